"""When the office should answer: statutory time limits as the Code of Administrative Procedure counts them."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Poland(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def due_date(start: date, days: int | None = None, months: int | None = None) -> date:
    """The last day of a time limit counted from `start` (KPA art. 57).

    Days: the day of the event is not counted, so the limit ends `days` later. Months: it ends on
    the same day of the month, or on the month's last day when there is no such day. A limit
    ending on a Saturday, Sunday or public holiday ends on the next working day.
    """
    return paused_due_date(start, days, months, 0)


def paused_due_date(start: date, days: int | None, months: int | None, paused_days: int) -> date:
    """The last day of a time limit whose clock stood still for `paused_days` calendar days (KPA art. 35
    §5: the time the office waits for the party is not counted). The limit is counted as due_date counts
    it, the pause added to its end, and the result moved off a Saturday, Sunday or holiday."""
    if (days is None) == (months is None):
        raise ValueError("give days or months")
    end = start + timedelta(days=days) if days is not None else start + relativedelta(months=months)
    end += timedelta(days=paused_days)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end


def before_date(event: date, days: int) -> date:
    """The last day to act `days` before an event (the day of the event not counted); a Saturday, Sunday or
    holiday moves it to the working day before: a limit counted back must not end after its mark."""
    end = event - timedelta(days=days)
    while not is_working_day(end):
        end -= timedelta(days=1)
    return end


def working_days_between(start: date, end: date) -> int:
    """How many working days from `start` (not counted) to `end` (counted); negative when `end` is earlier."""
    step = 1 if end >= start else -1
    day, count = start, 0
    while day != end:
        day += timedelta(days=step)
        count += step if is_working_day(day) else 0
    return count


def working_days_after(start: date, days: int) -> date:
    """The day `days` working days after `start` (not counted): the last day that is "due within `days`
    working days" of `start`. Counted once, so that a list of cases compares dates instead of counting."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day
