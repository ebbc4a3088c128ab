"""`eurzad forms check` points at the line of each mistake, so the administrator can go straight to it.

Written for mutants of the check that survived the suite (docs/testing.md): each case breaks the shipped
public-information form or workflows.yaml in one place and expects the message at that place's line.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from eurzad.engine.definitions import build_definition, check, definition_files
from eurzad.engine.sources import DefinitionError, parse_source

ROOT = Path(__file__).resolve().parents[2]
FORM = (ROOT / "form_definitions" / "public-information.yaml").read_text(encoding="utf-8")
WORKFLOWS = (ROOT / "workflows.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems_of(tmp_path: Path, form: str = FORM, workflows: str = WORKFLOWS) -> list[str]:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "public-information.yaml").write_text(form, encoding="utf-8")
    (tmp_path / "workflows.yaml").write_text(workflows, encoding="utf-8")
    problems, _, _ = check(definition_files([tmp_path / "forms"]), tmp_path / "workflows.yaml")
    return [str(p).replace(str(tmp_path) + "/", "") for p in problems]


FORM_MISTAKES = {
    "a page id used twice": (
        ("    - id: topic\n      fields: [topic]\n", "    - fields: [topic]\n      id: request\n"),
        "      id: request\n", "page id 'request' is used twice"),
    "a malformed condition of a question": (
        ("      widget: tel\n", "      widget: tel\n      visible_if: {field: email, eqals: x}\n"),
        "visible_if: {field: email",
        "field 'phone' visible_if: a condition is {field: NAME, equals: VALUE}"),
    "a widget that cannot hold the answer": (
        ("      widget: tel\n", "      widget: date\n"), "    phone:\n      label",
        "field 'phone': no widget 'date' can ask a value of type string"),
    "a malformed skip route": (
        ("      fields: [information_requested]\n",
         "      fields: [information_requested]\n      next: [{when: {field: topic, eqals: x}, goto: delivery}]\n"),
        "      next:", "page 'request' skip route: a condition is"),
    "a skip route reading a later answer": (
        ("      fields: [information_requested]\n",
         "      fields: [information_requested]\n      next:\n        - goto: delivery\n"
         "          when: {field: delivery_method, equals: post}\n"),
        "          when: {field: delivery_method", "page 'request' skip route reads field 'delivery_method', "
                                                   "which is not asked before it"),
    "labels of choices for a question without choices": (
        ("      autocomplete: name\n", "      autocomplete: name\n      options: {a: {pl: A, en: A}}\n"),
        "      options: {a:", "field 'full_name' has no choices to label"),
    "a label of a choice the schema does not allow": (
        ("        other: {pl: Innej sprawy, en: Something else}\n",
         "        other: {pl: Innej sprawy, en: Something else}\n        nothing: {pl: Nic, en: Nothing}\n"),
        "        nothing:", "ui.options names 'nothing', which is not an allowed value"),
    "a key written twice inside a question": (
        ("      autocomplete: street-address\n", "      autocomplete: street-address\n      autocomplete: street\n"),
        "      autocomplete: street\n", "duplicate key 'autocomplete'"),
}


@pytest.mark.parametrize("mistake", FORM_MISTAKES)
def test_the_check_names_the_line_of_each_mistake_in_a_form(tmp_path, mistake):
    change, where, message = FORM_MISTAKES[mistake]
    broken = FORM.replace(*change)
    assert broken != FORM
    line = line_of(broken, where)
    problems = problems_of(tmp_path, form=broken)
    assert any(p.startswith(f"forms/public-information.yaml:{line}: ") and message in p for p in problems), problems


WORKFLOW_MISTAKES = {
    "an unknown front desk": (("  front_desk: BOI\n", "  front_desk: XYZ\n"), "  front_desk: XYZ",
                              "unknown department 'XYZ'"),
    "two initial states": (
        ("      in_progress:\n        class: active\n", "      in_progress:\n        class: initial\n"),
        "    states:\n      received:", "workflow 'standard' needs exactly one initial state, has 2"),
    "a transition to an unknown state": (("        to: in_progress\n", "        to: in_work\n"), "        to: in_work",
                                         "transition 'take': unknown state 'in_work'"),
    "a routing row to an unknown department": (("      department: FN\n", "      department: FIN\n"),
                                               "      department: FIN", "unknown department 'FIN'"),
    "a department without a name": (("    name: {pl: Wydział Organizacyjny, en: Organisation Department}\n", ""),
                                    "  OR:\n", "departments.OR: 'name' is required"),
}


@pytest.mark.parametrize("mistake", WORKFLOW_MISTAKES)
def test_the_check_names_the_line_of_each_mistake_in_workflows_yaml(tmp_path, mistake):
    change, where, message = WORKFLOW_MISTAKES[mistake]
    broken = WORKFLOWS.replace(*change, 1)
    assert broken != WORKFLOWS
    line = line_of(broken, where)
    problems = problems_of(tmp_path, workflows=broken)
    assert any(p.startswith(f"workflows.yaml:{line}: ") and message in p for p in problems), problems


def test_a_character_yaml_does_not_allow_is_reported_at_its_line():
    with pytest.raises(DefinitionError) as raised:
        parse_source("broken.yaml", "id: a\ntitle: \x07\n")
    assert str(raised.value).startswith("broken.yaml:2: YAML error: the character U+0007")


def test_fields_whose_pages_would_share_an_address_are_named():
    schema = FORM.split("ui:\n")[0].replace("    topic:\n", "    Topic: {type: string, maxLength: 5}\n    topic:\n")
    text = schema + """ui:
  fields:
    Topic: {label: {pl: T, en: T}}
    topic: {label: {pl: t, en: t}, options: {finances: {pl: F, en: F}, other: {pl: O, en: O}}}
    full_name: {label: {pl: N, en: N}}
    email: {label: {pl: E, en: E}}
    phone: {label: {pl: P, en: P}}
    address: {label: {pl: A, en: A}}
    address.street: {label: {pl: S, en: S}}
    address.postcode: {label: {pl: K, en: K}}
    address.city: {label: {pl: M, en: M}}
    information_requested: {label: {pl: I, en: I}}
    delivery_method: {label: {pl: D, en: D}, options: {email: {pl: E, en: E}, post: {pl: P, en: P},
                      in_person: {pl: O, en: I}}}
    preferred_format: {label: {pl: F, en: F}, options: {pdf: {pl: P, en: P}, scan: {pl: S, en: S},
                       paper: {pl: Pa, en: Pa}}}
"""
    with pytest.raises(DefinitionError) as raised:
        build_definition(parse_source("pages.yaml", text), None)
    assert ("field 'topic' would have the same page address as another ('topic'): list the pages in ui.pages"
            in str(raised.value))
