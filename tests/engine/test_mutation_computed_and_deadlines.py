"""Sums, the check of computed values, and the office's deadline: the figures a citizen is told.

Written for mutants that survived the suite (docs/testing.md).
"""
from __future__ import annotations

from datetime import date

import pytest

from eurzad.engine.deadlines import due_date
from eurzad.engine.definitions import build_definition
from eurzad.engine.sources import DefinitionError, parse_source

FORM = """
id: fee
version: 1
title: {pl: Opłata, en: Fee}
service: {department: GK, jrwa: "6233", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {months: 1}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  properties:
    adults: {type: integer, minimum: 0, maximum: 99}
    children: {type: integer, minimum: 0, maximum: 99}
    composter: {type: boolean}
ui:
  fields:
    adults: {label: {pl: Dorośli, en: Adults}}
    children: {label: {pl: Dzieci, en: Children}}
    composter: {label: {pl: Kompostownik, en: Composter}}
computed:
  people:
    label: {pl: Osoby, en: People}
    round: 0
    value: {sum: [{field: adults}, {field: children}, 1]}
  fee:
    label: {pl: Opłata, en: Fee}
    value:
      difference:
        - product: [{field: adults}, 30]
        - rate: [{when: {field: composter, equals: true}, value: 5}, {value: 0}]
"""


def build(text: str = FORM):
    return build_definition(parse_source("fee.yaml", text), None)


def test_a_sum_adds_up_every_answer_it_names():
    assert build().computed_values({"adults": 2, "children": 3})["people"] == 6


def test_the_check_refuses_an_operation_given_a_name_instead_of_a_list():
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace("{sum: [{field: adults}, {field: children}, 1]}", "{sum: adults}"))
    assert "an expression is a number, {field: NAME}, or one of sum, product" in str(raised.value)


def test_the_check_names_a_condition_of_a_rate_that_reads_a_question_the_form_lacks():
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace("{field: composter, equals: true}", "{field: compost, equals: true}"))
    assert "computed value 'fee' reads 'compost', which the form does not have" in str(raised.value)


def test_the_check_names_a_nested_answer_the_form_lacks_by_its_dotted_name():
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace("{field: composter, equals: true}", "{field: home.composter, equals: true}"))
    assert "computed value 'fee' reads 'home.composter', which the form does not have" in str(raised.value)


def test_the_check_says_how_rate_rows_are_written_in_full():
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace("{value: 0}", "{when: {field: composter, equals: false}, value: 0}"))
    assert ("rate rows are {when: CONDITION, value: EXPRESSION}; the last row has only a value"
            in str(raised.value))


@pytest.mark.parametrize(("start", "limit", "last_day"), [
    (date(2026, 3, 2), {"days": 5}, date(2026, 3, 9)),  # ends on a Saturday: the next Monday
    (date(2026, 4, 1), {"days": 4}, date(2026, 4, 7)),  # Easter Sunday, then Easter Monday: the Tuesday
    (date(2026, 1, 31), {"months": 1}, date(2026, 3, 2)),  # February has no 31st; its last day is a Saturday
    (date(2026, 3, 3), {"days": 14}, date(2026, 3, 17)),  # a working day: as counted
])
def test_a_limit_ending_on_a_day_off_ends_on_the_next_working_day(start, limit, last_day):
    assert due_date(start, **limit) == last_day
