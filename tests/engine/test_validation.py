"""Every error lands by its field, in plain words, in the citizen's language."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import form_class, read_answers
from eurzad.engine.sources import parse_source
from eurzad.engine.validation import FORM_LEVEL, validate

SMALL = """
id: small
version: 1
title: {pl: Mały, en: Small}
service:
  department: OR
  jrwa: "1431"
  legal_basis: {pl: Ustawa, en: Act}
  fee: {pl: Brak, en: None}
  deadline: {days: 14}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [name, pesel, residents, start, kind, agree]
  properties:
    name: {type: string, minLength: 2, maxLength: 5}
    pesel: {type: string, format: pesel}
    nip: {type: string, format: nip}
    residents: {type: integer, minimum: 1, maximum: 99}
    area: {type: number, exclusiveMinimum: 0, maximum: 100000}
    start: {type: string, format: date}
    kind: {type: string, enum: [a, b]}
    tags: {type: array, items: {enum: [x, y]}, uniqueItems: true, minItems: 2}
    postcode: {type: string, maxLength: 6, pattern: "^[0-9]{2}-[0-9]{3}$"}
    agree: {type: boolean, const: true}
  dependentRequired:
    nip: [postcode]
ui:
  fields:
    name: {label: {pl: Imię, en: Name}}
    pesel: {label: {pl: PESEL, en: PESEL}}
    nip: {label: {pl: NIP, en: NIP}}
    residents: {label: {pl: Mieszkańcy, en: Residents}}
    area: {label: {pl: Powierzchnia, en: Area}}
    start: {label: {pl: Od, en: From}}
    kind: {label: {pl: Rodzaj, en: Kind}, options: {a: {pl: A, en: A}, b: {pl: B, en: B}}}
    tags: {label: {pl: Cechy, en: Tags}, options: {x: {pl: X, en: X}, y: {pl: Y, en: Y}}}
    postcode:
      label: {pl: Kod, en: Postcode}
      errors:
        pattern: {pl: Wpisz kod pocztowy w formacie 00-000, en: Enter the postcode in the format 00-000}
    agree: {label: {pl: Zgoda, en: Consent}}
"""


@pytest.fixture(scope="module")
def small():
    return build_definition(parse_source("small.yaml", SMALL), None)


def answers(definition, **post):
    form = form_class(definition, "pl")(MultiDict(post))
    return read_answers(definition.fields, form)


def test_valid_answers_give_no_errors(small, pl):
    data = answers(small, name="Ala", pesel="44051401359", residents="3", kind="a", agree="y",
                   **{"start-day": "14", "start-month": "5", "start-year": "2026"})
    assert data == {"name": "Ala", "pesel": "44051401359", "residents": 3, "start": "2026-05-14",
                    "kind": "a", "agree": True}
    assert validate(small, data, pl) == {}


def test_each_missing_answer_gets_a_message_by_its_field_in_page_order(small, pl):
    errors = validate(small, answers(small), pl)
    assert list(errors) == ["name", "pesel", "residents", "start", "kind", "agree"]
    assert errors["name"] == "Uzupełnij to pole"
    assert errors["kind"] == "Wybierz jedną z odpowiedzi"
    assert errors["agree"] == "Zaznacz to pole, aby przejść dalej"


def test_messages_come_in_english_when_the_page_is_english(small, en):
    errors = validate(small, answers(small, residents="dużo"), en)
    assert errors["name"] == "Fill in this field"
    assert errors["residents"] == "Enter a whole number, like 12"


@pytest.mark.parametrize(("post", "field", "message"), [
    ({"name": "A"}, "name", "Wpisz co najmniej 2 znaki"),
    ({"name": "Aleksandra"}, "name", "Wpisz najwyżej 5 znaków"),
    ({"pesel": "44051401358"}, "pesel", "Wpisz poprawny, 11-cyfrowy numer PESEL"),
    ({"nip": "1234563219"}, "nip", "Wpisz poprawny, 10-cyfrowy numer NIP"),
    ({"residents": "0"}, "residents", "Wpisz liczbę równą 1 lub większą"),
    ({"residents": "2,5"}, "residents", "Wpisz liczbę całkowitą, na przykład 12"),
    ({"area": "0"}, "area", "Wpisz liczbę większą niż 0"),
    ({"area": "abc"}, "area", "Wpisz liczbę, na przykład 12,5"),
    ({"start-day": "31", "start-month": "2", "start-year": "2026"}, "start", "Data musi istnieć w kalendarzu"),
    ({"start-day": "31", "start-month": "", "start-year": "2026"}, "start", "Data musi zawierać miesiąc"),
    ({"kind": "c"}, "kind", "Wybierz jedną z podanych odpowiedzi"),
    ({"tags": ["x"]}, "tags", "Zaznacz co najmniej 2 odpowiedzi"),
    ({"tags": ["x", "z"]}, "tags", "Wybierz jedną z podanych odpowiedzi"),
    ({"postcode": "38400"}, "postcode", "Wpisz kod pocztowy w formacie 00-000"),
])
def test_a_wrong_answer_gets_a_message_that_says_what_to_do(small, pl, post, field, message):
    assert validate(small, answers(small, **post), pl)[field] == message


def test_numbers_and_dates_are_read_as_people_type_them(small):
    data = answers(small, residents=" 12 ", area="1 250,5",
                   **{"start-day": "5", "start-month": "1", "start-year": "2026"})
    assert data["residents"] == 12 and data["area"] == 1250.5 and data["start"] == "2026-01-05"


def test_empty_answers_are_not_stored_and_an_unticked_box_is_no_answer(small):
    data = answers(small, name="   ", nip="")
    assert "name" not in data and "nip" not in data and "agree" not in data


def test_answers_to_questions_the_form_does_not_have_are_ignored(small):
    data = answers(small, name="Ala", is_admin="1", **{"kind-evil": "x"})
    assert set(data) == {"name"}


def test_an_error_no_field_owns_goes_to_the_summary(small, pl):
    errors = validate(small, {"unexpected": 1}, pl)
    assert FORM_LEVEL in errors


def test_checked_values_of_checkboxes_are_stored_as_the_schema_values(small):
    assert answers(small, tags=["y", "x"])["tags"] == ["y", "x"]


def test_a_dependent_requirement_applies_only_when_its_trigger_is_answered(small, pl):
    assert validate(small, answers(small, nip="1234563218"), pl)["postcode"] == "Uzupełnij to pole"
    assert "nip" not in validate(small, answers(small, postcode="38-400"), pl)
