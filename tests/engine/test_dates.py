"""Dates as GOV.UK asks them: day, month and year boxes, a message that names the part that is wrong, and date
rules in the definition (after another answer, not in the past, N days ahead) checked and enforced (decision 0029)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.answers import answer_rows
from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import fill_form, form_class, read_answers
from eurzad.engine.sources import DefinitionError, parse_source
from eurzad.engine.types import render_question
from eurzad.engine.validation import validate

TODAY = date(2027, 1, 4)  # a Monday

FORM = """
id: when
version: 1
title: {pl: Terminy, en: Dates}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [start_date, end_date]
  properties:
    start_date: {type: string, format: date}
    end_date: {type: string, format: date}
    birth_date: {type: string, format: date}
    meeting: {type: string, format: date}
    note: {type: string, maxLength: 20}
ui:
  pages:
    - id: dates
      title: {pl: Kiedy, en: When}
      fields: [start_date, end_date]
    - id: more
      title: {pl: Więcej, en: More}
      fields: [birth_date, meeting, note]
  fields:
    start_date:
      label: {pl: Początek, en: Start}
      hint: {pl: "Na przykład 4 1 2027.", en: "For example 4 1 2027."}
      date_rules: {not_in_past: true}
    end_date:
      label: {pl: Koniec, en: End}
      date_rules: {not_before: start_date}
      errors:
        not_before: {pl: Koniec nie może być przed początkiem, en: The end cannot be before the start}
    birth_date:
      label: {pl: Data urodzenia, en: Date of birth}
      autocomplete: bday
      date_rules: {not_in_future: true}
    meeting:
      label: {pl: Spotkanie, en: Meeting}
      date_rules: {after: start_date, not_after: end_date, min_days_ahead: 7}
    note:
      label: {pl: Uwagi, en: Notes}
"""


@pytest.fixture(scope="module")
def when():
    return build_definition(parse_source("when.yaml", FORM), None)


def answers(definition, **post):
    return read_answers(definition.fields, form_class(definition, "pl")(MultiDict(post)))


def boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def check(definition, tr, **dates: tuple[str, str, str]) -> dict[str, str]:
    posted = {key: value for name, parts in dates.items() for key, value in boxes(name, *parts).items()}
    return validate(definition, answers(definition, **posted), tr, today=TODAY)


def draw(definition, name, tr, posted=None, data=None, errors=None):
    form = form_class(definition, tr.locale)(MultiDict(posted) if posted else None)
    fill_form(form, definition.fields, data or {})
    return render_question(next(f for f in definition.fields if f.name == name), form, errors or {}, tr)


def test_a_date_is_three_text_boxes_day_month_year_in_that_order_without_a_date_picker(when, pl):
    html = draw(when, "start_date", pl)
    names = re.findall(r'<input [^>]*name="([^"]+)"', html)
    assert names == ["start_date-day", "start_date-month", "start_date-year"]
    assert re.findall(r'<label [^>]*>([^<]+)</label>', html) == ["Dzień", "Miesiąc", "Rok"]
    assert 'type="date"' not in html and html.count('type="text" inputmode="numeric"') == 3
    assert '<legend class="fieldset__legend">Początek</legend>' in html
    assert 'aria-describedby="start_date-hint"' in html and "Na przykład 4 1 2027." in html
    assert "input--width-2" in html and "input--width-4" in html


def test_an_english_page_names_the_boxes_in_english(when, en):
    assert re.findall(r'<label [^>]*>([^<]+)</label>', draw(when, "start_date", en)) == ["Day", "Month", "Year"]


def test_a_date_of_birth_lets_the_browser_fill_each_box(when, pl):
    html = draw(when, "birth_date", pl)
    assert re.findall(r'autocomplete="([^"]+)"', html) == ["bday-day", "bday-month", "bday-year"]
    assert "autocomplete" not in draw(when, "start_date", pl)


@pytest.mark.parametrize(("parts", "stored"), [
    (("4", "1", "2027"), "2027-01-04"), (("04", "01", "2027"), "2027-01-04"), ((" 31 ", "12", "2027"), "2027-12-31"),
    (("29", "2", "2028"), "2028-02-29")])
def test_the_three_boxes_are_stored_as_one_iso_date(when, parts, stored):
    assert answers(when, **boxes("end_date", *parts)) == {"end_date": stored}


def test_three_empty_boxes_are_no_answer(when, pl):
    assert answers(when, **boxes("end_date", "", " ", "")) == {}
    assert validate(when, {}, pl, today=TODAY)["end_date"] == "Uzupełnij to pole"


@pytest.mark.parametrize(("parts", "message"), [
    (("4", "", "2027"), "Data musi zawierać miesiąc"),
    (("", "1", "2027"), "Data musi zawierać dzień"),
    (("4", "1", ""), "Data musi zawierać rok"),
    (("", "1", ""), "Data musi zawierać dzień i rok"),
    (("32", "1", "2027"), "Dzień musi być liczbą od 1 do 31"),
    (("0", "1", "2027"), "Dzień musi być liczbą od 1 do 31"),
    (("4", "13", "2027"), "Miesiąc musi być liczbą od 1 do 12"),
    (("4", "sty", "2027"), "Miesiąc musi być liczbą od 1 do 12"),
    (("4", "1", "27"), "Rok musi mieć 4 cyfry, na przykład 2026"),
    (("31", "2", "2027"), "Data musi istnieć w kalendarzu"),
    (("29", "2", "2027"), "Data musi istnieć w kalendarzu"),
    (("31", "4", "2027"), "Data musi istnieć w kalendarzu"),
    (("٤", "1", "2027"), "Wpisz datę cyframi od 0 do 9"),
    (("4", "1", "２０２７"), "Wpisz datę cyframi od 0 do 9"),
])
def test_a_date_that_cannot_be_read_says_which_part_is_wrong(when, pl, parts, message):
    assert check(when, pl, start_date=("4", "1", "2027"), end_date=parts)["end_date"] == message


def test_the_messages_name_the_parts_in_english_too(when, en):
    assert check(when, en, start_date=("4", "", "2027"), end_date=("", "", "2027"))["start_date"] == \
        "The date must include a month"
    assert check(when, en, start_date=("4", "1", "2027"), end_date=("", "", "2027"))["end_date"] == \
        "The date must include a day and a month"
    assert check(when, en, start_date=("4", "13", "2027"), end_date=("4", "1", "2027"))["start_date"] == \
        "Month must be between 1 and 12"
    assert check(when, en, start_date=("31", "2", "2027"), end_date=("4", "1", "2027"))["start_date"] == \
        "The date must be a real date"


def test_only_the_box_at_fault_is_marked_and_what_was_typed_is_kept(when, pl):
    posted = boxes("end_date", "4", "13", "2027")
    html = draw(when, "end_date", pl, posted, errors={"end_date": "Miesiąc musi być liczbą od 1 do 12"})
    marked = re.findall(r'<input class="[^"]*input--error[^"]*"[^>]*name="([^"]+)"', html)
    assert marked == ["end_date-month"]
    assert 'value="13"' in html and 'value="4"' in html and 'value="2027"' in html
    assert '<p id="end_date-error" class="error-message">' in html


def test_a_date_that_breaks_a_rule_or_is_missing_is_marked_in_all_three_boxes(when, pl):
    html = draw(when, "end_date", pl, boxes("end_date", "3", "1", "2027"), errors={"end_date": "x"})
    assert html.count("input--error") == 3
    assert draw(when, "end_date", pl, errors={"end_date": "x"}).count("input--error") == 3


def test_an_answer_kept_is_put_back_into_the_boxes(when, pl):
    html = draw(when, "start_date", pl, data={"start_date": "2027-01-04"})
    assert re.findall(r'value="([^"]*)"', html) == ["4", "1", "2027"]


def test_a_date_is_shown_in_words_in_the_readers_language(when, pl, en):
    assert [row.value for row in answer_rows(when.fields, {"start_date": "2027-01-04"}, pl)] == ["4 stycznia 2027"]
    assert [row.value for row in answer_rows(when.fields, {"start_date": "2027-01-04"}, en)] == ["4 January 2027"]


def test_an_end_before_the_start_is_refused_with_the_definitions_message(when, pl):
    assert check(when, pl, start_date=("10", "1", "2027"), end_date=("9", "1", "2027")) == {
        "end_date": "Koniec nie może być przed początkiem"}
    assert check(when, pl, start_date=("10", "1", "2027"), end_date=("10", "1", "2027")) == {}  # the same day


def test_a_date_in_the_past_is_refused_and_today_is_not(when, pl, en):
    assert check(when, pl, start_date=("3", "1", "2027"), end_date=("4", "1", "2027")) == {
        "start_date": "Data nie może być wcześniejsza niż dzisiaj"}
    assert check(when, en, start_date=("3", "1", "2027"), end_date=("4", "1", "2027")) == {
        "start_date": "The date must be today or in the future"}
    assert check(when, pl, start_date=("4", "1", "2027"), end_date=("4", "1", "2027")) == {}


def test_a_date_of_birth_cannot_be_in_the_future(when, pl):
    dates = {"start_date": ("4", "1", "2027"), "end_date": ("4", "1", "2027")}
    assert check(when, pl, **dates, birth_date=("5", "1", "2027")) == {
        "birth_date": "Data nie może być późniejsza niż dzisiaj"}
    assert check(when, pl, **dates, birth_date=("4", "1", "2027")) == {}


def test_a_date_at_least_7_days_ahead_names_the_first_date_allowed(when, pl, en):
    dates = {"start_date": ("4", "1", "2027"), "end_date": ("31", "1", "2027")}
    assert check(when, pl, **dates, meeting=("10", "1", "2027")) == {
        "meeting": "Data nie może być wcześniejsza niż 11 stycznia 2027 – co najmniej 7 dni od dzisiaj"}
    assert check(when, en, **dates, meeting=("10", "1", "2027")) == {
        "meeting": "The date must be 11 January 2027 or later, at least 7 days from today"}
    assert check(when, pl, **dates, meeting=("11", "1", "2027")) == {}


def test_after_and_not_after_name_the_other_answer_in_words(when, pl):
    assert check(when, pl, start_date=("20", "1", "2027"), end_date=("31", "1", "2027"),
                 meeting=("20", "1", "2027")) == {"meeting": "Data musi być późniejsza niż 20 stycznia 2027"}
    assert check(when, pl, start_date=("4", "1", "2027"), end_date=("20", "1", "2027"),
                 meeting=("21", "1", "2027")) == {"meeting": "Data nie może być późniejsza niż 20 stycznia 2027"}
    assert check(when, pl, start_date=("4", "1", "2027"), end_date=("20", "1", "2027"),
                 meeting=("20", "1", "2027")) == {}  # not after the end: the last day itself is fine


def test_a_rule_on_another_date_holds_while_that_date_is_missing_or_unreadable(when, pl):
    data = answers(when, **boxes("end_date", "1", "1", "2027"))
    assert "end_date" not in validate(when, data, pl, today=TODAY)  # no start date yet
    broken = check(when, pl, start_date=("31", "2", "2027"), end_date=("1", "1", "2027"))
    assert broken == {"start_date": "Data musi istnieć w kalendarzu"}


def test_rules_that_count_from_today_need_to_be_told_today(when, pl):
    with pytest.raises(ValueError, match="needs today's date"):
        validate(when, answers(when, **boxes("start_date", "4", "1", "2027")), pl)


def problems(text: str) -> str:
    with pytest.raises(DefinitionError) as raised:
        build_definition(parse_source("when.yaml", text), None)
    return str(raised.value)


@pytest.mark.parametrize(("rules", "problem"), [
    ("{not_before: strat_date}", "field 'end_date': date_rules.not_before names 'strat_date', which the form does "
                                 "not have"),
    ("{after: note}", "field 'end_date': date_rules.after names 'note', which is not a date question"),
    ("{before: end_date}", "field 'end_date': date_rules.before compares the date with itself"),
    ("{not_after: meeting}", "field 'end_date': date_rules.not_after names 'meeting', which is asked after it: "
                             "write the rule on the later question"),
    ("{after: start_date, before: start_date}", "field 'end_date': its date_rules cannot all hold (end_date after "
                                                "start_date, end_date before start_date): no date comes after itself"),
    ("{not_before: start_date, not_in_future: true}", "its date_rules cannot all hold"),
])
def test_the_check_refuses_rules_that_name_no_earlier_date_or_cannot_hold(rules, problem):
    assert problem in problems(FORM.replace("date_rules: {not_before: start_date}", f"date_rules: {rules}"))


def test_the_check_refuses_rules_that_contradict_across_questions():
    text = FORM.replace("date_rules: {not_in_past: true}", "date_rules: {min_days_ahead: 3}").replace(
        "date_rules: {not_before: start_date}", "date_rules: {not_before: start_date, not_in_future: true}")
    assert ("when.yaml:29: field 'start_date': its date_rules cannot all hold (start_date min_days_ahead 3, "
            "end_date not_in_future, end_date not_before start_date): no date comes after itself") in problems(text)


def test_the_check_refuses_date_rules_on_a_question_that_is_no_date():
    text = FORM.replace("      label: {pl: Uwagi, en: Notes}", "      label: {pl: Uwagi, en: Notes}\n"
                                                                 "      date_rules: {not_in_past: true}")
    assert "field 'note': date_rules are for date questions (format: date)" in problems(text)


def test_the_check_refuses_a_rule_that_names_a_date_inside_a_repeating_group():
    text = FORM.replace("    note: {type: string, maxLength: 20}", """    note: {type: string, maxLength: 20}
    visits:
      type: array
      items:
        type: object
        properties:
          day: {type: string, format: date}""").replace("fields: [birth_date, meeting, note]",
                                                         "fields: [birth_date, meeting, note, visits]").replace(
        "    note:\n", "    visits: {label: {pl: Wizyty, en: Visits}}\n    visits.day: {label: {pl: Dzień, en: Day}}\n"
                      "    note:\n").replace("date_rules: {after: start_date, not_after: end_date, min_days_ahead: 7}",
                                            "date_rules: {after: visits.day}")
    assert "date_rules.after names 'visits.day', which is a list of answers" in problems(text)


def test_an_unknown_rule_or_a_wrong_number_of_days_is_a_mistake_of_the_file_format():
    text = problems(FORM.replace("date_rules: {not_in_past: true}", "date_rules: {in_future: true}"))
    assert "unknown key 'in_future'" in text
    assert "0 is less than the minimum of 1" in problems(
        FORM.replace("min_days_ahead: 7", "min_days_ahead: 0"))
