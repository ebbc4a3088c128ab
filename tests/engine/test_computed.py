"""Computed values: declared in the definition, evaluated without eval, money rounded half up."""
from __future__ import annotations

import pytest

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
  required: [residents, composter]
  properties:
    residents: {type: integer, minimum: 1, maximum: 99}
    composter: {type: boolean}
    area: {type: number, minimum: 0, maximum: 10000}
ui:
  fields:
    residents: {label: {pl: Mieszkańcy, en: Residents}}
    composter: {label: {pl: Kompostownik, en: Composter}}
    area: {label: {pl: Powierzchnia, en: Area}}
computed:
  monthly_fee:
    label: {pl: Miesięczna opłata, en: Monthly fee}
    unit: {pl: zł, en: PLN}
    value:
      difference:
        - product: [{field: residents}, 36.5]
        - rate:
            - when: {field: composter, equals: true}
            - value: 0
  area_share:
    label: {pl: Udział, en: Share}
    round: 0
    value: {max: [{field: area}, 1]}
"""


def build(text: str = FORM):
    return build_definition(parse_source("fee.yaml", text), None)


def test_the_fee_is_residents_times_rate_less_the_composter_discount():
    form = build(FORM.replace("            - when: {field: composter, equals: true}\n",
                              "            - when: {field: composter, equals: true}\n              value: 5.25\n"))
    assert form.computed_values({"residents": 3, "composter": True}) == {"monthly_fee": 104.25}
    assert form.computed_values({"residents": 3, "composter": False}) == {"monthly_fee": 109.5}


def test_a_value_whose_answers_are_missing_is_left_out_and_rounding_is_half_up():
    form = build(FORM.replace("            - when: {field: composter, equals: true}\n",
                              "            - when: {field: composter, equals: true}\n              value: 5.25\n"))
    assert "area_share" not in form.computed_values({"residents": 1, "composter": False})
    assert form.computed_values({"residents": 1, "composter": False, "area": 2.5})["area_share"] == 3
    assert form.computed_values({"residents": 1, "composter": False, "area": 0.4})["area_share"] == 1


@pytest.mark.parametrize(("change", "message"), [
    (("- when: {field: composter, equals: true}\n", "- when: {field: composter, equals: true}\n"
                                                    "              value: {field: composter}\n"),
     "computed value reads 'composter', which is not a number field"),
    (("  area_share:", "  residents:"), "computed value 'residents' has the name of a field of the schema"),
    (("value: {max: [{field: area}, 1]}", "value: {power: [2, 3]}"), "an expression is a number, {field: NAME}"),
    (("- when: {field: composter, equals: true}\n", "- when: {field: composter, equals: true}\n"),
     "rate rows are {when: CONDITION, value: EXPRESSION}"),
])
def test_the_check_names_each_mistake_in_a_computed_value(change, message):
    with pytest.raises(DefinitionError) as raised:
        build(FORM.replace(*change))
    assert message in str(raised.value)
