"""Lists of simple answers (an array of dates, numbers or short texts): each item asked with its own type, added and
removed without JavaScript, an error shown by the item it is about."""
from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.answers import answer_rows
from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import fill_form, form_class, page_action, read_answers
from eurzad.engine.sources import DefinitionError, parse_source
from eurzad.engine.types import AnswerRow, render_question
from eurzad.engine.validation import validate

TODAY = date(2027, 1, 4)

FORM = """
id: lists
version: 1
title: {pl: Listy, en: Lists}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  properties:
    start: {type: string, format: date}
    rehearsals:
      type: array
      minItems: 2
      maxItems: 3
      uniqueItems: true
      items: {type: string, format: date}
    amounts: {type: array, items: {type: number, minimum: 0, maximum: 1000}}
    plates: {type: array, items: {type: string, maxLength: 8, pattern: "^[A-Z0-9 ]+$"}}
ui:
  pages:
    - id: all
      title: {pl: Wszystko, en: Everything}
      fields: [start, rehearsals, amounts, plates]
  fields:
    start: {label: {pl: Impreza, en: Event}}
    rehearsals:
      label: {pl: Próby, en: Rehearsals}
      hint: {pl: "Każdą datę wpisz osobno.", en: "Enter each date on its own."}
      item_label: {pl: Próba, en: Rehearsal}
      add_label: {pl: Dodaj kolejną próbę, en: Add another rehearsal}
      date_rules: {not_in_past: true, before: start}
      errors:
        minItems: {pl: Podaj co najmniej dwie próby, en: Enter at least two rehearsals}
    amounts: {label: {pl: Kwoty, en: Amounts}}
    plates:
      label: {pl: Numery rejestracyjne, en: Number plates}
      width: "10"
      errors:
        pattern:
          pl: "Wpisz numer wielkimi literami i cyframi, na przykład KR 12345"
          en: "Enter the plate in capitals and digits, like KR 12345"
"""


@pytest.fixture(scope="module")
def lists():
    return build_definition(parse_source("lists.yaml", FORM), None)


def date_boxes(name: str, index: int, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-{index}-day": day, f"{name}-{index}-month": month, f"{name}-{index}-year": year}


def posted(definition, **post):
    form = form_class(definition, "pl")(MultiDict(post))
    return form, read_answers(definition.fields, form)


def draw(definition, name, form, tr, errors=None):
    return render_question(next(f for f in definition.fields if f.name == name), form, errors or {}, tr)


def test_a_list_of_dates_is_asked_item_by_item_in_three_boxes_each(lists, pl):
    html = draw(lists, "rehearsals", form_class(lists, "pl")(), pl)
    assert re.findall(r'name="([^"]+)"', html) == ["rehearsals-0-day", "rehearsals-0-month", "rehearsals-0-year"]
    assert '<legend class="fieldset__legend">Próby (opcjonalnie)</legend>' in html
    assert '<legend class="fieldset__legend">Próba 1</legend>' in html
    assert "Każdą datę wpisz osobno." in html and ">Dodaj kolejną próbę</button>" in html
    assert 'formaction="/page/add/rehearsals"' in draw_with_actions(lists, pl)


def draw_with_actions(lists, pl):
    field = next(f for f in lists.fields if f.name == "rehearsals")
    return render_question(field, form_class(lists, "pl")(), {}, pl, actions=lambda path: f"/page/{path}")


def test_add_another_adds_an_item_and_remove_takes_one_away(lists, pl):
    form = form_class(lists, "pl")(MultiDict(date_boxes("rehearsals", 0, "1", "1", "2027")))
    assert page_action(form, lists.fields, "add", "rehearsals")
    html = draw(lists, "rehearsals", form, pl)
    assert "Próba 2" in html and 'name="rehearsals-1-day"' in html and 'value="2027"' in html
    assert html.count(">Usuń<span") == 2
    assert page_action(form, lists.fields, "remove", "rehearsals", 0)
    assert "Próba 2" not in draw(lists, "rehearsals", form, pl)


def test_no_more_items_than_max_items_can_be_added(lists):
    post = {k: v for i in range(3) for k, v in date_boxes("rehearsals", i, "1", "2", "2027").items()}
    form = form_class(lists, "pl")(MultiDict(post))
    assert not page_action(form, lists.fields, "add", "rehearsals")


def test_the_answer_is_a_list_of_values_without_the_items_left_empty(lists):
    _form, data = posted(lists, **date_boxes("rehearsals", 0, "2", "1", "2027"),
                         **date_boxes("rehearsals", 1, "", "", ""), **date_boxes("rehearsals", 2, "9", "1", "2027"),
                         **{"amounts-0": "0", "amounts-1": "", "amounts-2": "12,5", "plates-0": " KR 12345 "})
    assert data == {"rehearsals": ["2027-01-02", "2027-01-09"], "amounts": [0, 12.5], "plates": ["KR 12345"]}


def test_a_list_left_empty_is_no_answer(lists):
    assert posted(lists, **date_boxes("rehearsals", 0, "", "", ""), **{"amounts-0": ""})[1] == {}


def test_an_error_is_shown_by_the_item_it_is_about_even_after_an_empty_one(lists, pl):
    form, data = posted(lists, **date_boxes("rehearsals", 0, "5", "1", "2027"),
                        **date_boxes("rehearsals", 1, "", "", ""), **date_boxes("rehearsals", 2, "9", "13", "2027"))
    errors = validate(lists, data, pl, today=TODAY)
    assert errors == {"rehearsals.1": "Miesiąc musi być liczbą od 1 do 12"}
    html = draw(lists, "rehearsals", form, pl, errors)
    second = html[html.index("Próba 2"):]
    assert "Miesiąc musi być liczbą od 1 do 12" in second and 'value="13"' in second
    assert re.findall(r'input--error[^"]*"[^>]*name="([^"]+)"', html) == ["rehearsals-1-month"]


def test_each_item_is_checked_as_its_own_question_with_the_lists_messages(lists, pl):
    _form, data = posted(lists, **{"amounts-0": "5", "amounts-1": "1001", "plates-0": "KR 1", "plates-1": "kr-1"})
    assert validate(lists, data, pl, today=TODAY) == {
        "amounts.1": "Wpisz liczbę równą 1\u00a0000 lub mniejszą",
        "plates.1": "Wpisz numer wielkimi literami i cyframi, na przykład KR 12345"}


def test_rules_of_the_whole_list_are_shown_by_the_list(lists, pl):
    one = {"rehearsals": ["2027-01-05"]}
    assert validate(lists, one, pl, today=TODAY) == {"rehearsals": "Podaj co najmniej dwie próby"}
    twice = {"rehearsals": ["2027-01-05", "2027-01-05"]}
    assert validate(lists, twice, pl, today=TODAY) == {"rehearsals": "Każdą odpowiedź wpisz tylko raz"}


def test_the_date_rules_of_a_list_hold_for_every_date_in_it(lists, pl):
    data = {"start": "2027-01-20", "rehearsals": ["2027-01-03", "2027-01-19", "2027-01-20"]}
    assert validate(lists, data, pl, today=TODAY) == {
        "rehearsals.0": "Data nie może być wcześniejsza niż dzisiaj",
        "rehearsals.2": "Data musi być wcześniejsza niż 20 stycznia 2027"}  # not on the day of the event itself


def test_the_error_summary_links_to_the_first_box_of_the_item(lists):
    field = lists.field("rehearsals.2")
    assert field.type.first_input(field, "rehearsals.2") == "rehearsals-2-day"
    assert field.type.first_input(field, "rehearsals") == "rehearsals-0-day"
    amounts = lists.field("amounts")
    assert amounts.type.first_input(amounts, "amounts.1") == "amounts-1"


def test_answers_kept_are_put_back_item_by_item(lists, pl):
    form = form_class(lists, "pl")()
    fill_form(form, lists.fields, {"rehearsals": ["2027-01-05", "2027-01-12"], "amounts": [0, 12.5]})
    assert re.findall(r'value="([^"]*)"', draw(lists, "rehearsals", form, pl)) == ["5", "1", "2027", "12", "1", "2027"]
    assert re.findall(r'value="([^"]*)"', draw(lists, "amounts", form, pl)) == ["0", "12.5"]


def test_the_summary_shows_the_answers_one_under_another_in_words(lists, pl, en):
    data = {"rehearsals": ["2027-01-05", "2027-01-12"], "amounts": [0, 1250.5]}
    assert answer_rows(lists.fields, data, pl) == [
        AnswerRow("Próby", "5 stycznia 2027\n12 stycznia 2027", 0, "rehearsals"),
        AnswerRow("Kwoty", "0\n1\u00a0250,5", 0, "amounts")]
    assert answer_rows(lists.fields, data, en)[0].value == "5 January 2027\n12 January 2027"


def problems(text: str) -> str:
    with pytest.raises(DefinitionError) as raised:
        build_definition(parse_source("lists.yaml", text), None)
    return str(raised.value)


def test_items_of_text_need_a_longest_answer_and_items_of_numbers_bounds():
    assert "field 'plates': give its items a maxLength (the longest answer it takes)" in problems(
        FORM.replace("items: {type: string, maxLength: 8,", "items: {type: string,"))
    assert "field 'amounts': give its items a minimum and a maximum" in problems(
        FORM.replace("items: {type: number, minimum: 0, maximum: 1000}", "items: {type: number}"))


def test_a_list_is_a_question_of_its_own_not_one_inside_a_group():
    text = FORM.replace("    amounts: {type: array, items: {type: number, minimum: 0, maximum: 1000}}", """    money:
      type: object
      properties:
        amounts: {type: array, items: {type: number, minimum: 0, maximum: 1000}}""").replace(
        "fields: [start, rehearsals, amounts, plates]", "fields: [start, rehearsals, money, plates]").replace(
        "    amounts: {label: {pl: Kwoty, en: Amounts}}",
        "    money: {label: {pl: Pieniądze, en: Money}}\n    money.amounts: {label: {pl: Kwoty, en: Amounts}}")
    assert ("field 'money.amounts': a list of answers can only be asked as a question of its own, not inside a "
            "group") in problems(text)


def test_lists_of_yes_no_answers_or_of_files_have_no_widget():
    for items in ("{type: boolean}", "{type: string, format: attachment}"):
        text = FORM.replace("items: {type: number, minimum: 0, maximum: 1000}", f"items: {items}")
        assert "field 'amounts': no widget '(default)' can ask a value of type array" in problems(text)
