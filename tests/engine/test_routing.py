"""Routing tables: first match wins, the catch-all takes the rest, and the row is recorded."""
from __future__ import annotations

import pytest

from eurzad.engine.conditions import compile_predicate


def route(registry, form_id, data):
    form = registry.forms[form_id]
    return registry.workflows.route(form.routing, data, form.service.department, form.service.jrwa)


def test_street_light_goes_to_municipal_services_and_pothole_to_roads(registry):
    light = route(registry, "fault-report", {"category": "street_light"})
    pothole = route(registry, "fault-report", {"category": "pothole"})
    assert (light.department, light.jrwa, light.row) == ("GK", "7011", 1)
    assert (pothole.department, pothole.jrwa, pothole.row) == ("DR", "7230", 2)


def test_what_no_row_matches_goes_to_the_catch_all(registry):
    other = route(registry, "fault-report", {"category": "other"})
    assert other.department == "BOI" and other.row == 3 and other.table == "fault-report"


def test_first_matching_row_wins(registry):
    rows = registry.workflows.routing["fault-report"]
    assert rows[0].when.matches({"category": "street_light"})
    assert route(registry, "fault-report", {"category": "street_light"}).row == 1


def test_jrwa_comes_from_the_form_unless_the_row_sets_it(registry):
    finances = route(registry, "public-information", {"topic": "finances"})
    assert (finances.department, finances.jrwa, finances.row) == ("FN", "1431", 1)
    assert finances.note.en.startswith("Information on the city's budget")


@pytest.mark.parametrize(("predicate", "data", "expected"), [
    ({"field": "a", "equals": 1}, {"a": 1}, True),
    ({"field": "a", "equals": 1}, {}, False),
    ({"field": "a", "in": [1, 2]}, {"a": 2}, True),
    ({"field": "a", "gt": 10}, {"a": 10}, False),
    ({"field": "a", "gt": 10}, {"a": 10.5}, True),
    ({"field": "a", "lt": 10}, {"a": "5"}, False),
    ({"field": "a", "empty": True}, {}, True),
    ({"field": "a", "empty": True}, {"a": ""}, True),
    ({"field": "a", "empty": False}, {"a": "x"}, True),
    ({"field": "b.c", "schema": {"type": "string", "pattern": "^38-"}}, {"b": {"c": "38-400"}}, True),
    ({"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 1, "b": 3}, False),
    ({"any": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}]}, {"a": 0, "b": 2}, True),
    ({"not": {"field": "a", "equals": 1}}, {"a": 1}, False),
])
def test_predicates_are_json_schema_tests_on_one_field(predicate, data, expected):
    assert compile_predicate(predicate).matches(data) is expected
