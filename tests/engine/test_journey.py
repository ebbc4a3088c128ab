"""Pages, conditions and skip routes: which questions a citizen is asked, and what is kept."""
from __future__ import annotations

import pytest

from eurzad.engine.definitions import build_definition
from eurzad.engine.journey import walk
from eurzad.engine.sources import DefinitionError, parse_source
from eurzad.engine.validation import validate

HEAD = """
id: trip
version: 1
title: {pl: Wycieczka, en: Trip}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 7}}
workflow: standard
"""
FORM = HEAD + """
schema:
  type: object
  additionalProperties: false
  required: [kind]
  properties:
    kind: {type: string, enum: [car, train]}
    plate: {type: string, maxLength: 10}
    seats: {type: integer, minimum: 1, maximum: 9}
    station: {type: string, maxLength: 50}
    notes: {type: string, maxLength: 100}
ui:
  pages:
    - id: kind
      fields: [kind]
      next: [{when: {field: kind, equals: train}, goto: train}]
    - id: car
      title: {pl: Auto, en: Car}
      fields: [plate, seats]
    - id: train
      fields: [station]
      visible_if: {field: kind, equals: train}
    - id: notes
      fields: [notes]
  fields:
    kind: {label: {pl: Czym, en: How}, options: {car: {pl: Auto, en: Car}, train: {pl: Pociąg, en: Train}}}
    plate: {label: {pl: Numer, en: Plate}, required_if: {field: kind, equals: car}}
    seats: {label: {pl: Miejsca, en: Seats}, visible_if: {field: plate, empty: false}}
    station: {label: {pl: Stacja, en: Station}, required_if: {field: kind, equals: train}}
    notes: {label: {pl: Uwagi, en: Notes}}
"""


def build(text: str):
    return build_definition(parse_source("trip.yaml", text), None)


@pytest.fixture(scope="module")
def trip():
    return build(FORM)


def ids(journey):
    return [page.id for page in journey.pages]


def test_a_skip_route_jumps_forward_and_a_page_condition_hides_a_page(trip):
    assert ids(walk(trip.pages, {"kind": "car"})) == ["kind", "car", "notes"]
    assert ids(walk(trip.pages, {"kind": "train"})) == ["kind", "train", "notes"]


def test_answers_on_skipped_pages_and_to_hidden_fields_are_not_kept(trip):
    answers = {"kind": "train", "plate": "KR 12345", "seats": 4, "station": "Krosno", "notes": "x"}
    assert walk(trip.pages, answers).data == {"kind": "train", "station": "Krosno", "notes": "x"}
    assert "seats" not in walk(trip.pages, {"kind": "car", "seats": 4}).data


def test_hidden_answers_are_not_validated(trip, pl):
    journey = walk(trip.pages, {"kind": "train", "station": "Krosno", "plate": "x" * 500})
    assert validate(trip, journey.data, pl, required=journey.required) == {}


def test_required_if_applies_only_when_its_condition_holds(trip, pl):
    car = walk(trip.pages, {"kind": "car"})
    assert validate(trip, car.data, pl, required=car.required) == {"plate": "Uzupełnij to pole"}
    train = walk(trip.pages, {"kind": "train"})
    assert validate(trip, train.data, pl, required=train.required) == {"station": "Uzupełnij to pole"}


def test_a_page_reports_only_its_own_fields(trip, pl):
    journey = walk(trip.pages, {})
    assert validate(trip, journey.data, pl, only=["notes"], required=journey.required) == {}
    assert "kind" in validate(trip, journey.data, pl, only=["kind"], required=journey.required)


def test_without_pages_each_question_has_a_page_of_its_own(registry):
    form = registry.forms["public-information"]
    assert all(len(page.fields) >= 1 for page in form.pages)
    text = FORM[: FORM.index("  pages:")] + FORM[FORM.index("\n  fields:\n") + 1:]
    text = text.replace("required_if: {field: kind, equals: car}", "").replace(
        "required_if: {field: kind, equals: train}", "")
    assert [p.id for p in build(text).pages] == ["kind", "plate", "seats", "station", "notes"]


@pytest.mark.parametrize(("change", "message"), [
    (("fields: [station]", "fields: [station, notes]"), "field 'notes' is already on page 'train'"),
    (("      fields: [notes]\n", "      fields: [note]\n"), "lists 'note', which is not a top-level field"),
    (("    - id: notes\n      fields: [notes]\n", ""), "field 'notes' is on no page"),
    (("goto: train}", "goto: kind}"), "skip route to 'kind' goes back"),
    (("goto: train}", "goto: nowhere}"), "skip route to 'nowhere': no such page"),
    (("visible_if: {field: plate, empty: false}", "visible_if: {field: notes, empty: false}"),
     "field 'seats' visible_if reads field 'notes', which is not asked before it"),
    (("required: [kind]", "required: [kind, station]"),
     "field 'station' can be hidden (its page can be skipped), so the schema must not require it"),
    (("      title: {pl: Auto, en: Car}\n", ""), "page 'car' asks several fields: give it a title"),
    (("visible_if: {field: kind, equals: train}", "visible_if: {field: kind, is: train}"),
     "page 'train' visible_if: a condition is {field: NAME, equals: VALUE}"),
])
def test_the_check_names_each_mistake_in_pages_and_conditions(change, message):
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace(*change))
    assert message in str(raised.value)


def test_conditions_cannot_reach_into_a_repeating_group(pl):
    from pathlib import Path
    text = (Path(__file__).parents[1] / "definitions/household.yaml").read_text()
    with pytest.raises(DefinitionError) as raised:
        build(text.replace("      label: {pl: Dochód miesięczny w zł, en: Monthly income in PLN}",
                           "      label: {pl: Dochód miesięczny w zł, en: Monthly income in PLN}\n"
                           "      visible_if: {field: members.name, empty: false}"))
    assert "field 'members.income': conditions inside a repeating group are not supported" in str(raised.value)
    household = build(text)
    journey = walk(household.pages, {"members": [{"name": "Ala", "income": 1, "extra": 2}, {}]})
    assert journey.data == {"members": [{"name": "Ala", "income": 1}]}
    errors = validate(household, {"members": [{"name": "Ala", "income": 1}, {"name": "B"}]}, pl)
    assert errors == {"members.1.name": "Wpisz co najmniej 2 znaki", "members.1.income": "Wpisz dochód"}


def test_a_page_shows_a_hidden_question_only_when_its_condition_reads_the_same_page(trip):
    car = next(page for page in trip.pages if page.id == "car")
    journey = walk(trip.pages, {"kind": "car"})
    # seats depends on plate, on the same page: shown, since only the posted page tells
    assert [f.key for f in journey.shown(car)] == ["plate", "seats"]
    text = FORM.replace("    station: {label: {pl: Stacja, en: Station}, required_if: {field: kind, equals: train}}",
                        "    station: {label: {pl: Stacja, en: Station}, required_if: {field: kind, equals: train}}")
    form = build(text.replace("      fields: [station]\n      visible_if: {field: kind, equals: train}",
                              "      fields: [station]").replace(
        "    notes: {label: {pl: Uwagi, en: Notes}}",
        "    notes: {label: {pl: Uwagi, en: Notes}, visible_if: {field: kind, equals: car}}"))
    notes_page = next(page for page in form.pages if page.id == "notes")
    assert walk(form.pages, {"kind": "train"}).shown(notes_page) == ()
