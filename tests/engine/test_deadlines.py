"""The date by which the office should answer, counted as the Code of Administrative Procedure counts it."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from eurzad.engine.deadlines import before_date, due_date, is_working_day, working_days_after


def test_the_day_of_filing_is_not_counted():
    assert due_date(date(2026, 3, 3), days=1) == date(2026, 3, 4)  # filed on a Tuesday: due on Wednesday
    assert due_date(date(2026, 3, 3), days=14) == date(2026, 3, 17)  # two weeks on, a Tuesday again


def test_a_deadline_ending_on_a_working_day_stays_there_even_on_a_friday():
    assert due_date(date(2026, 3, 6), days=14) == date(2026, 3, 20)


def test_a_deadline_ending_on_a_saturday_moves_to_monday():
    assert due_date(date(2026, 3, 7), days=14) == date(2026, 3, 23)


def test_a_deadline_ending_on_a_sunday_moves_to_monday():
    assert due_date(date(2026, 3, 8), days=14) == date(2026, 3, 23)


def test_a_deadline_ending_on_independence_day_moves_to_the_next_day():
    assert due_date(date(2026, 10, 28), days=14) == date(2026, 11, 12)  # 11 November 2026 is a Wednesday


def test_a_deadline_ending_on_easter_monday_moves_to_tuesday():
    assert due_date(date(2026, 3, 23), days=14) == date(2026, 4, 7)


def test_a_deadline_ending_on_the_saturday_before_easter_passes_easter_sunday_and_monday():
    assert due_date(date(2026, 3, 21), days=14) == date(2026, 4, 7)


@pytest.mark.parametrize(("filed", "due"), [
    (date(2026, 12, 10), date(2026, 12, 28)),  # Christmas Eve (Thu), Christmas (Fri), Saturday, Sunday
    (date(2026, 12, 11), date(2026, 12, 28)),  # Christmas Day (Fri), the Second Day of Christmas (Sat), Sunday
    (date(2026, 4, 17), date(2026, 5, 4)),  # 1 May (Fri), Saturday, 3 May on a Sunday
])
def test_a_deadline_ending_on_a_holiday_followed_by_a_weekend_moves_past_both(filed, due):
    assert due_date(filed, days=14) == due


def test_a_month_ends_on_the_same_day_of_the_next_month_not_thirty_days_later():
    assert due_date(date(2026, 3, 15), months=1) == date(2026, 4, 15)
    assert due_date(date(2026, 1, 15), months=3) == date(2026, 4, 15)


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month():
    assert due_date(date(2026, 3, 31), months=1) == date(2026, 4, 30)
    assert due_date(date(2026, 10, 31), months=1) == date(2026, 11, 30)
    assert due_date(date(2026, 1, 31), months=3) == date(2026, 4, 30)


def test_a_month_from_the_31st_of_january_ends_with_february_or_the_monday_after_it():
    assert due_date(date(2028, 1, 31), months=1) == date(2028, 2, 29)  # a leap year; a Tuesday
    assert due_date(date(2026, 1, 31), months=1) == date(2026, 3, 2)  # 28 February 2026 is a Saturday


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 3, 6), True),  # a Friday
    (date(2026, 3, 9), True),  # a Monday
    (date(2026, 3, 7), False),  # a Saturday
    (date(2026, 3, 8), False),  # a Sunday
    (date(2026, 1, 6), False),  # Epiphany
    (date(2026, 6, 4), False),  # Corpus Christi
    (date(2026, 11, 11), False),
    (date(2026, 12, 24), False),
    (date(2026, 12, 25), False),
])
def test_working_days_are_monday_to_friday_except_public_holidays(day, working):
    assert is_working_day(day) is working


def test_a_limit_counted_back_from_an_event_ends_on_the_working_day_before_its_mark():
    assert before_date(date(2027, 3, 15), 1) == date(2027, 3, 12)  # Sunday 14th, Saturday 13th: Friday
    assert before_date(date(2027, 5, 4), 1) == date(2027, 4, 30)  # 3 May a holiday, 1 May a holiday on Saturday
    assert before_date(date(2027, 1, 7), 0) == date(2027, 1, 7)


def test_a_service_dated_by_an_answer_takes_the_earlier_date_never_before_the_filing(registry):
    lane = registry.forms["road-lane-occupation"].service  # one month, and at the latest a day before date_from
    filed = date(2027, 1, 4)
    assert lane.due(filed, {"date_from": "2027-01-20"}) == date(2027, 1, 19)  # before the month is out
    assert lane.due(filed, {"date_from": "2027-06-01"}) == date(2027, 2, 4)  # the month comes first
    assert lane.due(filed, {"date_from": "2027-01-04"}) == filed  # an event today: due today, not yesterday
    assert lane.due(filed, {}) == date(2027, 2, 4)  # no date answered (an older snapshot): the month
    alone = replace(lane, deadline_months=None)
    assert alone.due(filed, {"date_from": "2027-06-01"}) == date(2027, 5, 31)
    assert lane.due(filed, {"date_from": "2027-01-20"}, paused_days=30) == date(2027, 1, 19)  # waiting moves no event


def test_three_working_days_after_a_day_skip_the_weekend_and_holidays():
    assert working_days_after(date(2026, 11, 6), 3) == date(2026, 11, 12)  # Fri → Mon 9, Tue 10, (11th) Thu 12
    assert working_days_after(date(2026, 12, 23), 3) == date(2026, 12, 30)  # Christmas Eve is a holiday from 2025
    assert working_days_after(date(2026, 11, 7), 0) == date(2026, 11, 7)
