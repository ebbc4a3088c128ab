""""Where would this go, and why?": every routing row for some answers, the failing part of each condition in
words of both languages, and the row `route` picks as the winner (the explanation never decides)."""
from __future__ import annotations

import pytest
from babel.support import NullTranslations

from eurzad.engine.conditions import compile_predicate
from eurzad.engine.messages import Translator
from eurzad.engine.routing import Said, explain_form, explain_route, question_labels, said_rows, say

ENGLISH = Translator("en", NullTranslations())


def words(said: Said) -> list:
    """A reason in words as a nested list: its sentence, then its parts' words."""
    return [said.text, *[words(part) for part in said.parts]] if said.parts else said.text


def why_not(spec: dict, data: dict, tr: Translator) -> list:
    return [words(say(reason, tr)) for reason in compile_predicate(spec).why_not(data)]


def why(spec: dict, data: dict, tr: Translator) -> list:
    return [words(say(reason, tr)) for reason in compile_predicate(spec).why(data)]


# (condition, answers, English, Polish): each kind of test, failing, in words of both languages.
FAILING = [
    ({"field": "topic", "equals": "finances"}, {"topic": "education"},
     "'topic' is \"education\", not \"finances\"", "'topic' to \"education\", a nie \"finances\""),
    ({"field": "topic", "equals": "finances"}, {},
     "'topic' has no answer, not \"finances\"", "'topic' nie ma odpowiedzi, a warunek wymaga \"finances\""),
    ({"field": "category", "in": ["pothole", "pavement"]}, {"category": "other"},
     "'category' is \"other\", not one of \"pothole\", \"pavement\"",
     "'category' to \"other\", a nie jedna z: \"pothole\", \"pavement\""),
    ({"field": "category", "in": ["pothole"]}, {},
     "'category' has no answer, not one of \"pothole\"",
     "'category' nie ma odpowiedzi, a warunek wymaga jednej z: \"pothole\""),
    ({"field": "area", "gt": 100}, {"area": 12},
     "'area' is 12, not more than 100", "'area' to 12, a nie więcej niż 100"),
    ({"field": "area", "gt": 100}, {},
     "'area' has no answer, not more than 100", "'area' nie ma odpowiedzi, a warunek wymaga więcej niż 100"),
    ({"field": "income", "lt": 1500.5}, {"income": 2000},
     "'income' is 2000, not less than 1500.5", "'income' to 2000, a nie mniej niż 1500.5"),
    ({"field": "income", "lt": 1500}, {},
     "'income' has no answer, not less than 1500", "'income' nie ma odpowiedzi, a warunek wymaga mniej niż 1500"),
    ({"field": "phone", "empty": True}, {"phone": "+48 600"},
     "'phone' has an answer: \"+48 600\"", "'phone' ma odpowiedź: \"+48 600\""),
    ({"field": "phone", "empty": False}, {"phone": ""},
     "'phone' has no answer", "'phone' nie ma odpowiedzi"),
    ({"field": "address.postcode", "schema": {"pattern": "^38-"}}, {"address": {"postcode": "00-950"}},
     "'address.postcode' is \"00-950\", which does not match the schema {\"pattern\": \"^38-\"}",
     "'address.postcode' to \"00-950\", co nie pasuje do schematu {\"pattern\": \"^38-\"}"),
    ({"field": "address.postcode", "schema": {"pattern": "^38-"}}, {},
     "'address.postcode' has no answer, so it does not match the schema {\"pattern\": \"^38-\"}",
     "'address.postcode' nie ma odpowiedzi, więc nie pasuje do schematu {\"pattern\": \"^38-\"}"),
]


@pytest.mark.parametrize(("spec", "data", "english", "polish"), FAILING,
                         ids=[f"{next(k for k in s if k != 'field')}-{'answered' if d else 'no answer'}"
                              for s, d, _, _ in FAILING])
def test_a_failing_test_of_one_field_says_the_answer_and_what_the_condition_wanted(spec, data, english, polish,
                                                                                    pl, en):
    assert why_not(spec, data, en) == [english]
    assert why_not(spec, data, pl) == [polish]
    assert why(spec, data, en) == []


# (condition, answers, English, Polish): each kind of test, holding, and why.
HOLDING = [
    ({"field": "topic", "equals": "finances"}, {"topic": "finances"}, "'topic' is \"finances\"",
     "'topic' to \"finances\""),
    ({"field": "category", "in": ["pothole", "pavement"]}, {"category": "pothole"},
     "'category' is \"pothole\", one of \"pothole\", \"pavement\"",
     "'category' to \"pothole\", jedna z: \"pothole\", \"pavement\""),
    ({"field": "area", "gt": 100}, {"area": 150}, "'area' is 150, more than 100", "'area' to 150, więcej niż 100"),
    ({"field": "area", "lt": 100}, {"area": 50}, "'area' is 50, less than 100", "'area' to 50, mniej niż 100"),
    ({"field": "phone", "empty": True}, {}, "'phone' has no answer", "'phone' nie ma odpowiedzi"),
    ({"field": "phone", "empty": False}, {"phone": "600"}, "'phone' has an answer: \"600\"",
     "'phone' ma odpowiedź: \"600\""),
    ({"field": "age", "schema": {"minimum": 18}}, {"age": 40},
     "'age' is 40, which matches the schema {\"minimum\": 18}", "'age' to 40, co pasuje do schematu {\"minimum\": 18}"),
]


@pytest.mark.parametrize(("spec", "data", "english", "polish"), HOLDING,
                         ids=[next(k for k in s if k != "field") for s, _, _, _ in HOLDING])
def test_a_holding_test_of_one_field_says_why_it_holds(spec, data, english, polish, pl, en):
    assert why(spec, data, en) == [english]
    assert why(spec, data, pl) == [polish]
    assert why_not(spec, data, en) == []


def test_of_all_only_the_failing_parts_are_said():
    spec = {"all": [{"field": "a", "equals": 1}, {"field": "b", "equals": 2}, {"field": "c", "gt": 5}]}
    assert why_not(spec, {"a": 1, "b": 3}, ENGLISH) == ["'b' is 3, not 2", "'c' has no answer, not more than 5"]


def test_of_any_every_part_is_said_under_none_of_these_holds(pl):
    spec = {"any": [{"field": "a", "equals": 1},
                    {"all": [{"field": "b", "empty": True}, {"field": "c", "in": [1, 2]}]}]}
    assert why_not(spec, {"a": 0, "b": "x"}, ENGLISH) == [
        ["none of these holds:", "'a' is 0, not 1",
         ["these parts fail:", "'b' has an answer: \"x\"", "'c' has no answer, not one of 1, 2"]]]
    assert why_not(spec, {"a": 0, "b": "x"}, pl)[0][0] == "żaden z tych warunków nie jest spełniony:"


def test_of_not_the_inner_part_is_said_as_what_holds(pl):
    spec = {"not": {"field": "topic", "equals": "finances"}}
    assert why_not(spec, {"topic": "finances"}, ENGLISH) == [
        ["this must not hold, and it does:", "'topic' is \"finances\""]]
    assert why_not(spec, {"topic": "finances"}, pl) == [
        ["ten warunek ma nie być spełniony, a jest:", "'topic' to \"finances\""]]
    assert why(spec, {"topic": "other"}, ENGLISH) == ["'topic' is \"other\", not \"finances\""]


@pytest.mark.parametrize("data", [{}, {"a": 1}, {"a": 2, "b": "x"}, {"a": 1, "b": ""}, {"b": "y", "c": 7}])
def test_a_condition_has_reasons_why_not_exactly_when_it_does_not_match(data):
    spec = {"any": [{"all": [{"field": "a", "equals": 1}, {"not": {"field": "b", "empty": True}}]},
                    {"field": "c", "gt": 5}]}
    predicate = compile_predicate(spec)
    assert bool(predicate.why_not(data)) is not predicate.matches(data)
    assert bool(predicate.why(data)) is predicate.matches(data)


def test_every_row_is_explained_and_the_winner_is_the_row_route_picks(registry):
    form = registry.forms["fault-report"]
    explanation = explain_form(registry.workflows, form, {"category": "pothole"})
    assert [(verdict.row.number, verdict.holds) for verdict in explanation.rows] == [(1, False), (2, True), (3, True)]
    assert explanation.winner.row.number == 2 == explanation.route.row
    assert (explanation.route.department, explanation.register, explanation.workflow) == ("DR", "DR.7230", "fault")
    rows = said_rows(explanation, ENGLISH)
    assert [words(said) for said in rows[0][1]] == ["'category' is \"pothole\", not \"street_light\""]
    assert [words(said) for said in rows[2][1]] == ["no condition: it takes every submission the rows above leave"]


def test_the_first_row_that_holds_wins_though_a_later_one_holds_too(registry):
    form = registry.forms["fault-report"]
    explanation = explain_form(registry.workflows, form, {"category": "other"})
    assert [verdict.holds for verdict in explanation.rows] == [False, False, True]
    assert explanation.winner.row.number == 3 and explanation.register == "BOI.1510"


def test_a_form_without_a_routing_table_goes_to_its_own_department_with_its_own_register(registry):
    form = registry.forms["housing-allowance"]
    explanation = explain_form(registry.workflows, form, {})
    assert explanation.rows == () and explanation.winner is None
    assert explanation.register == f"{form.service.department}.{form.service.jrwa}"
    assert explanation.workflow_title.en == "Administrative case"


def test_a_routing_table_gone_from_workflows_yaml_is_not_explained(registry):
    from dataclasses import replace
    form = replace(registry.forms["fault-report"], routing="gone")
    assert explain_form(registry.workflows, form, {}) is None


def test_a_page_names_questions_by_their_label_in_its_language(registry, pl, en):
    form = registry.forms["public-information"]
    explanation = explain_route(registry.workflows, "public-information", {"topic": "other"}, "OR", "1431",
                                form.workflow)
    reason = explanation.rows[0].reasons[0]
    assert say(reason, en, question_labels(form, en)).text == \
        "“What is the information about?” is \"other\", not \"finances\""
    assert say(reason, pl, question_labels(form, pl)).text == \
        "„Czego dotyczy informacja?” to \"other\", a nie \"finances\""
