"""Questions drawn so they can be answered, answers kept and checked as asked, computed values labelled.

Written for mutants that survived the suite (docs/testing.md).
"""
from __future__ import annotations

import re

import pytest

from eurzad.engine.answers import computed_rows
from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import form_class
from eurzad.engine.journey import walk
from eurzad.engine.sources import parse_source
from eurzad.engine.types import render_question
from eurzad.engine.validation import validate

FORM = """
id: asked
version: 1
title: {pl: Pytania, en: Questions}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [kind, size]  # not in the order of the questions
  properties:
    size: {type: string, enum: [small, large]}
    colour: {type: string, anyOf: [{const: red}, {const: blue}]}
    kind: {type: string, enum: [flat, house]}
    town: {type: string, maxLength: 50}
    address:
      type: object
      additionalProperties: false
      properties:
        street: {type: string, maxLength: 50}
        flat: {type: string, maxLength: 10}
        floor: {type: string, maxLength: 3}
    residents: {type: integer, minimum: 1, maximum: 9}
    lift: {type: boolean}
ui:
  pages:
    - id: first
      title: {pl: Pytania, en: Questions}
      fields: [kind, size, colour, town, address, residents, lift]
  fields:
    size: {label: {pl: Rozmiar, en: Size}, options: {small: {pl: Mały, en: Small}, large: {pl: Duży, en: Large}},
           hint: {pl: Wybierz jeden, en: Choose one}}
    colour: {label: {pl: Kolor, en: Colour}, options: {red: {pl: Czerwony, en: Red}, blue: {pl: Niebieski, en: Blue}}}
    kind: {label: {pl: Rodzaj, en: Kind}, widget: select,
           options: {flat: {pl: Mieszkanie, en: Flat}, house: {pl: Dom, en: House}}}
    town: {label: {pl: Miejscowość, en: Town}}
    address: {label: {pl: Adres, en: Address}}
    address.street: {label: {pl: Ulica, en: Street}}
    address.flat: {label: {pl: Lokal, en: Flat}, required_if: {field: kind, equals: flat}}
    address.floor: {label: {pl: Piętro, en: Floor}, visible_if: {field: kind, equals: flat}}
    residents: {label: {pl: Mieszkańcy, en: Residents}}
    lift: {label: {pl: Winda, en: Lift}, visible_if: {field: address.floor, empty: false}}
computed:
  places:
    label: {pl: Miejsca, en: Places}
    round: 0
    value: {product: [{field: residents}, 2]}
  fee:
    label: {pl: Opłata, en: Fee}
    unit: {pl: zł, en: PLN}
    value: {product: [{field: residents}, 10.5]}
"""


@pytest.fixture(scope="module")
def asked():
    return build_definition(parse_source("asked.yaml", FORM), None)


def draw(definition, name, tr, errors=None):
    field = next(f for f in definition.fields if f.name == name)
    return render_question(field, form_class(definition, tr.locale)(), errors or {}, tr)


def test_each_radio_button_sends_the_value_of_its_option(asked, pl):
    html = draw(asked, "size", pl)
    assert re.findall(r'<input [^>]*value="([^"]*)"', html) == ["small", "large"]
    assert '<label class="choice__label" for="size">Mały</label>' in html


def test_an_english_page_names_the_options_in_english(asked, en):
    html = draw(asked, "size", en)
    assert ">Small</label>" in html and ">Large</label>" in html and "Mały" not in html


def test_a_question_of_any_of_given_values_is_asked_with_radio_buttons(asked, pl):
    html = draw(asked, "colour", pl)
    assert 'type="radio"' in html and re.findall(r'value="([^"]*)"', html) == ["red", "blue"]


def test_a_drop_down_starts_with_an_empty_choose_option(asked, pl, en):
    assert '<option value="">Wybierz</option>' in draw(asked, "kind", pl)
    assert '<option value="">Choose</option>' in draw(asked, "kind", en)


def test_a_question_without_a_hint_has_no_hint_box_and_one_with_a_hint_has_it(asked, pl):
    assert "hint" not in draw(asked, "town", pl)
    assert '<div id="size-hint" class="hint">Wybierz jeden</div>' in draw(asked, "size", pl)


def test_only_a_question_in_error_is_marked_invalid_and_styled_as_in_error(asked, pl):
    fine = draw(asked, "town", pl)
    assert "aria-invalid" not in fine and "form-group--error" not in fine
    wrong = draw(asked, "town", pl, {"town": "Wpisz miejscowość"})
    assert 'aria-invalid="true"' in wrong and 'class="form-group form-group--error"' in wrong


def test_a_group_whose_only_answers_are_to_questions_no_longer_asked_is_not_kept(asked):
    journey = walk(asked.pages, {"kind": "house", "size": "small", "address": {"floor": "2"}})
    assert "address" not in journey.data
    kept = walk(asked.pages, {"kind": "house", "size": "small", "address": {"street": "Długa"}})
    assert kept.data["address"] == {"street": "Długa"}


def test_a_nested_answer_required_by_a_condition_is_accepted_once_given(asked, pl):
    data = {"kind": "flat", "size": "small", "address": {"street": "Długa", "flat": "4"}}
    required = walk(asked.pages, data).required
    assert "address.flat" in required
    assert validate(asked, data, pl, required=required) == {}
    missing = {"kind": "flat", "size": "small", "address": {"street": "Długa"}}
    assert validate(asked, missing, pl, required=walk(asked.pages, missing).required) == {
        "address.flat": "Uzupełnij to pole"}


def test_errors_come_in_the_order_of_the_questions_not_of_the_schemas_required_list(asked, pl):
    assert list(validate(asked, {}, pl)) == ["size", "kind"]


def test_computed_values_read_under_their_labels_with_a_unit_only_where_one_is_given(asked, pl):
    rows = computed_rows(asked.computed, asked.computed_values({"residents": 3}), pl)
    assert [(row.label, row.value) for row in rows] == [("Miejsca", "6"), ("Opłata", "31,50 zł")]


def test_an_error_of_a_group_in_a_group_links_to_its_first_input():
    text = FORM.replace("""    address:
      type: object
      additionalProperties: false
      properties:
""", """    address:
      type: object
      additionalProperties: false
      properties:
        where:
          type: object
          additionalProperties: false
          properties:
            postcode: {type: string, maxLength: 6}
""").replace("    address.street:", """    address.where: {label: {pl: Gdzie, en: Where}}
    address.where.postcode: {label: {pl: Kod, en: Postcode}}
    address.street:""")
    nested = build_definition(parse_source("nested.yaml", text), None)
    address = nested.field("address")
    assert address.type.first_input(address, "address") == "address-where-postcode"


def test_a_question_shown_by_an_answer_on_its_own_page_is_drawn_there_even_before_that_answer(asked):
    journey = walk(asked.pages, {"kind": "house", "size": "small"})
    assert "lift" in [field.name for field in journey.shown(asked.pages[0])]
