"""Yes/no questions have three states; a single tick box is ticked or not answered, and takes only its own
value (decision 0032)."""
from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.answers import answer_rows
from eurzad.engine.conditions import compile_predicate
from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import fill_form, form_class, read_answers
from eurzad.engine.journey import walk
from eurzad.engine.sources import DefinitionError, parse_source
from eurzad.engine.types import render_question
from eurzad.engine.validation import validate

FORM = """
id: boxes
version: 1
title: {pl: Pola, en: Boxes}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [danger, consent]
  properties:
    danger: {type: boolean}
    pets: {type: boolean}
    composter: {type: boolean}
    consent: {type: boolean, const: true}
    newsletter: {type: boolean}
    members:
      type: array
      items:
        type: object
        additionalProperties: false
        required: [name]
        properties:
          name: {type: string, maxLength: 50}
          disabled: {type: boolean}
ui:
  pages:
    - id: all
      title: {pl: Wszystko, en: Everything}
      fields: [danger, pets, composter, consent, newsletter, members]
  fields:
    danger: {label: {pl: "Czy jest zagrożenie?", en: "Is there a danger?"}, widget: radios}
    pets: {label: {pl: "Czy masz zwierzęta?", en: "Do you have pets?"}, widget: radios}
    composter: {label: {pl: Mam kompostownik, en: I have a composter}}
    consent:
      label: {pl: Zgadzam się na przetwarzanie danych, en: I agree to the processing of my data}
      errors:
        required: {pl: Zaznacz zgodę, en: Tick the consent}
    newsletter:
      label: {pl: Chcę dostawać informacje, en: I want news}
      required_if: {field: pets, equals: true}
    members: {label: {pl: Osoby, en: People}, item_label: {pl: Osoba, en: Person}}
    members.name: {label: {pl: Imię, en: Name}}
    members.disabled: {label: {pl: Osoba z niepełnosprawnością, en: Person with a disability}}
"""


@pytest.fixture(scope="module")
def boxes():
    return build_definition(parse_source("boxes.yaml", FORM), None)


def answers(definition, **post):
    return read_answers(definition.fields, form_class(definition, "pl")(MultiDict(post)))


def draw(definition, name, tr, data=None, errors=None):
    form = form_class(definition, tr.locale)()
    fill_form(form, definition.fields, data or {})
    return render_question(next(f for f in definition.fields if f.name == name), form, errors or {}, tr)


def check(definition, data, tr):
    return validate(definition, data, tr, required=walk(definition.pages, data).required)


@pytest.mark.parametrize(("posted", "stored"), [({"danger": "yes"}, {"danger": True}),
                                                ({"danger": "no"}, {"danger": False}), ({"danger": ""}, {}), ({}, {})])
def test_a_yes_no_question_is_yes_no_or_not_answered(boxes, posted, stored):
    assert answers(boxes, consent="y", **posted) == {"consent": True, **stored}


def test_no_is_an_answer_and_not_answering_is_not(boxes, pl):
    assert check(boxes, answers(boxes, danger="no", consent="y"), pl) == {}
    assert check(boxes, answers(boxes, consent="y"), pl) == {"danger": "Wybierz „Tak” lub „Nie”"}


def test_a_posted_value_that_is_not_yes_or_no_is_refused(boxes, pl):
    for forged in ("true", "1", "maybe", "False"):
        assert check(boxes, answers(boxes, danger=forged, consent="y"), pl) == {"danger": "Wybierz „Tak” lub „Nie”"}


def test_a_yes_no_question_is_two_radio_buttons_side_by_side_named_in_the_pages_language(boxes, pl, en):
    html = draw(boxes, "danger", pl)
    assert re.findall(r'<input [^>]*value="([^"]*)"', html) == ["yes", "no"]
    assert '<div class="radios radios--inline">' in html and ">Tak</label>" in html and ">Nie</label>" in html
    assert ">Yes</label>" in draw(boxes, "danger", en) and ">No</label>" in draw(boxes, "danger", en)


def test_a_stored_no_is_drawn_checked_and_unanswered_is_drawn_unchecked(boxes, pl):
    assert re.search(r'value="no" checked', draw(boxes, "danger", pl, {"danger": False}))
    assert re.search(r'value="yes" checked', draw(boxes, "danger", pl, {"danger": True}))
    assert "checked" not in draw(boxes, "danger", pl, {})


def test_yes_and_no_are_shown_in_words_and_an_unanswered_question_not_at_all(boxes, pl, en):
    rows = {row.key: row.value for row in answer_rows(boxes.fields, {"danger": False, "pets": True}, pl)}
    assert rows == {"danger": "Nie", "pets": "Tak"}
    assert [row.value for row in answer_rows(boxes.fields, {"danger": False}, en)] == ["No"]


def test_a_ticked_box_is_true_and_an_unticked_one_is_no_answer(boxes):
    assert answers(boxes, composter="y") == {"composter": True}
    assert answers(boxes) == {}


@pytest.mark.parametrize("forged", ["on", "true", "1", "yes", "n"])
def test_only_the_boxs_own_value_ticks_it(boxes, pl, forged):
    data = answers(boxes, danger="no", consent="y", composter=forged)
    assert data["composter"] == forged
    assert check(boxes, data, pl) == {"composter": "Sprawdź tę odpowiedź"}


def test_a_required_box_must_be_ticked_and_an_optional_one_may_be_left(boxes, pl):
    assert check(boxes, answers(boxes, danger="no"), pl) == {"consent": "Zaznacz zgodę"}
    assert check(boxes, answers(boxes, danger="no", consent="y"), pl) == {}
    assert check(boxes, answers(boxes, danger="no", consent="y", composter="y"), pl) == {}


def test_a_box_required_by_a_condition_must_be_ticked_when_the_condition_holds(boxes, pl):
    assert check(boxes, answers(boxes, danger="no", consent="y", pets="yes"), pl) == {
        "newsletter": "Zaznacz to pole, aby przejść dalej"}
    assert check(boxes, answers(boxes, danger="no", consent="y", pets="yes", newsletter="y"), pl) == {}
    assert check(boxes, answers(boxes, danger="no", consent="y", pets="no"), pl) == {}


def test_an_item_whose_only_answer_is_an_unticked_box_is_no_item(boxes):
    data = answers(boxes, **{"members-0-name": "Ala", "members-0-disabled": "y", "members-1-name": ""})
    assert data["members"] == [{"name": "Ala", "disabled": True}]


def test_conditions_tell_yes_no_and_unanswered_apart():
    says_no = compile_predicate({"field": "danger", "equals": False})
    assert says_no.matches({"danger": False})
    assert not says_no.matches({}) and not says_no.matches({"danger": True})
    assert compile_predicate({"field": "danger", "empty": True}).matches({})


def test_a_box_that_must_be_ticked_but_is_not_required_is_refused_by_the_check():
    text = FORM.replace("required: [danger, consent]", "required: [danger]")
    with pytest.raises(DefinitionError, match="field 'consent': an unticked box is no answer, so const: true alone "
                                              "lets it through: put 'consent' in required"):
        build_definition(parse_source("boxes.yaml", text), None)


def test_a_yes_no_question_needs_a_boolean_and_radios():
    with pytest.raises(DefinitionError, match="field 'danger': no widget 'select' can ask a value of type boolean"):
        build_definition(parse_source("boxes.yaml", FORM.replace("widget: radios}", "widget: select}", 1)), None)
