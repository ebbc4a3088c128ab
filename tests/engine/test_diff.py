"""`eurzad forms diff` in the engine: each change of a published form listed at its line, the breaking ones
flagged with why, and a breaking change passes only in a bumped version that declares it."""
from __future__ import annotations

import pytest
import yaml

from eurzad.engine.definitions import build_definition
from eurzad.engine.diff import FormDiff, Side, diff_forms
from eurzad.engine.sources import parse_source

FORM = """\
id: permit
version: 1
title: {pl: Zezwolenie, en: Permit}
service:
  department: BOI
  jrwa: "0150"
  legal_basis: {pl: Kpa, en: Kpa}
  fee: {pl: Bezpłatnie, en: Free}
  deadline: {months: 1}
workflow: standard
routing: permits
schema:
  type: object
  required: [name, kind]
  properties:
    name: {type: string, minLength: 2, maxLength: 100}
    kind:
      type: string
      enum: [tree, hedge]
    height: {type: integer, minimum: 1, maximum: 50}
    remarks: {type: string, maxLength: 500}
    plan: {type: string, format: attachment}
    start: {type: string, format: date}
    address:
      type: object
      properties:
        street: {type: string, maxLength: 200}
        postcode: {type: string, maxLength: 6, pattern: "^[0-9]{2}-[0-9]{3}$"}
ui:
  pages:
    - id: name
      fields: [name]
    - id: kind
      fields: [kind, height]
      title: {pl: Co, en: What}
    - id: remarks
      fields: [remarks, plan, start, address]
      title: {pl: Uwagi, en: Remarks}
  fields:
    name:
      label: {pl: Imię, en: Name}
    kind:
      label: {pl: Rodzaj, en: Kind}
      options:
        tree: {pl: Drzewo, en: Tree}
        hedge: {pl: Żywopłot, en: Hedge}
    height:
      label: {pl: Wysokość, en: Height}
    remarks:
      label: {pl: Uwagi, en: Remarks}
      widget: textarea
    plan:
      label: {pl: Plan, en: Plan}
    start:
      label: {pl: Początek, en: Start}
      date_rules: {min_days_ahead: 7}
    address:
      label: {pl: Adres, en: Address}
    address.street:
      label: {pl: Ulica, en: Street}
    address.postcode:
      label: {pl: Kod, en: Postcode}
"""

ROWS = ({"when": {"field": "kind", "equals": "tree"}, "department": "OŚ"}, {"department": "BOI"})


def side(text: str, name: str = "permit.yaml", rows: tuple = ROWS) -> Side:
    """A version of the form, with the rows of its routing table as a workflows file holds them."""
    source = parse_source(name, text)
    workflows = parse_source("workflows.yaml", yaml.safe_dump({"routing": {"permits": list(rows)}}, allow_unicode=True))
    return Side(build_definition(source, None, strict=False), source, rows, workflows)


def changed(*edits: tuple[str, str], version: int | None = 2, declare: str = "") -> str:
    """FORM with each (old, new) replaced once, the version set, and a `changes` block appended."""
    text = FORM
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if version is not None:
        text = text.replace("version: 1", f"version: {version}")
    return text + declare


def diff(*edits: tuple[str, str], version: int | None = 2, declare: str = "", stored=None) -> FormDiff:
    return diff_forms(side(FORM), side(changed(*edits, version=version, declare=declare)), stored)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def breaking(result: FormDiff) -> list[str]:
    return [f"{c.subject}: {c.what} — {c.breaking}" for c in result.changes if c.breaking]


def test_an_unchanged_form_has_no_changes_and_passes():
    result = diff(version=None)
    assert result.changes == () and result.status == 0 and result.lines() == []


def test_a_bumped_version_alone_is_listed_and_passes():
    result = diff()
    assert result.lines() == ["permit.yaml:2: form 'permit': version 1 → 2"]
    assert result.status == 0


def test_a_harmless_text_change_is_listed_at_its_line_and_not_breaking():
    text = changed(("label: {pl: Wysokość, en: Height}", "label: {pl: Wysokość, en: Height in metres}"))
    result = diff_forms(side(FORM), side(text))
    assert f"permit.yaml:{line_of(text, 'Height in metres')}: question 'height': label changed (en)" in result.lines()
    assert breaking(result) == [] and result.status == 0 and result.summary() is None


def test_a_removed_question_is_breaking_and_says_whether_stored_cases_have_it():
    edits = (("    remarks: {type: string, maxLength: 500}\n", ""), ("fields: [remarks, plan,", "fields: [plan,"),
             ("    remarks:\n      label: {pl: Uwagi, en: Remarks}\n      widget: textarea\n", ""))
    assert breaking(diff(*edits)) == ["question 'remarks': removed — a draft in progress loses its answer"]
    asked = []
    stored = diff(*edits, stored=lambda form_id, path: asked.append((form_id, path)) or True)
    assert breaking(stored) == ["question 'remarks': removed — stored cases have it"]
    assert asked == [("permit", ("remarks",))]


def test_a_renamed_question_is_one_removed_and_one_added():
    result = diff(("    remarks: {type", "    comments: {type"), ("[remarks, plan", "[comments, plan"),
                  ("    remarks:\n      label", "    comments:\n      label"))
    assert [(c.subject, c.what, bool(c.breaking)) for c in result.changes if "question" in c.subject] == [
        ("question 'remarks'", "removed", True), ("question 'comments'", "added", False)]


def test_a_group_removed_whole_is_one_change_not_one_per_question():
    result = diff(("    address:\n      type: object\n      properties:\n"
                   "        street: {type: string, maxLength: 200}\n"
                   "        postcode: {type: string, maxLength: 6, pattern: \"^[0-9]{2}-[0-9]{3}$\"}\n", ""),
                  ("[remarks, plan, start, address]", "[remarks, plan, start]"),
                  ("    address:\n      label: {pl: Adres, en: Address}\n    address.street:\n      label: {pl: Ulica, "
                   "en: Street}\n    address.postcode:\n      label: {pl: Kod, en: Postcode}\n", ""))
    assert breaking(result) == ["question 'address': removed — a draft in progress loses its answer"]


def test_a_changed_type_is_breaking():
    result = diff(("height: {type: integer,", "height: {type: number,"))
    assert breaking(result) == ["question 'height': type integer → number — stored answers have the old type: a "
                                "question keeps its type once published"]


def test_a_new_required_question_is_breaking_and_a_new_optional_one_is_not():
    new = ("    plan: {type", "    phone: {type: string, maxLength: 20}\n    plan: {type")
    page = ("[remarks, plan", "[remarks, phone, plan")
    label = ("    plan:\n", "    phone:\n      label: {pl: Tel, en: Phone}\n    plan:\n")
    assert breaking(diff(new, page, label)) == []
    required = diff(new, page, label, ("required: [name, kind]", "required: [name, kind, phone]"))
    assert breaking(required) == ["question 'phone': added (required) — drafts in progress must go back to answer it"]


def test_a_question_made_required_is_breaking_and_made_optional_is_not():
    assert breaking(diff(("required: [name, kind]", "required: [name, kind, height]"))) == [
        "question 'height': made required — drafts in progress that left it empty must go back to answer it"]
    optional = diff(("required: [name, kind]", "required: [name]"))
    assert breaking(optional) == [] and "question 'kind': made optional" in [
        f"{c.subject}: {c.what}" for c in optional.changes]


def test_a_required_if_added_makes_it_required_when_it_holds():
    result = diff(("      widget: textarea\n",
                   "      widget: textarea\n      required_if: {field: kind, equals: hedge}\n"))
    assert breaking(result) == ["question 'remarks': condition required_if (none) → {field: kind, equals: hedge} — "
                                "now required when it holds: drafts in progress that left it empty must go back"]


@pytest.mark.parametrize(("old", "new", "what"), [
    ("minLength: 2, maxLength: 100}", "minLength: 2, maxLength: 80}", "question 'name': maxLength 100 → 80"),
    ("minLength: 2, maxLength: 100}", "minLength: 3, maxLength: 100}", "question 'name': minLength 2 → 3"),
    ("minimum: 1, maximum: 50", "minimum: 2, maximum: 50", "question 'height': minimum 1 → 2"),
    ("minimum: 1, maximum: 50", "minimum: 1, maximum: 40", "question 'height': maximum 50 → 40"),
    ("minimum: 1, maximum: 50", "minimum: 1, maximum: 50, multipleOf: 5", "question 'height': multipleOf (none) → 5"),
    ('pattern: "^[0-9]{2}-[0-9]{3}$"', 'pattern: "^[0-9]{2}-[0-9]{3}[A-Z]?$"',
     "question 'address.postcode': pattern ^[0-9]{2}-[0-9]{3}$ → ^[0-9]{2}-[0-9]{3}[A-Z]?$"),
    ("remarks: {type: string, maxLength: 500}", "remarks: {type: string, maxLength: 500, format: email}",
     "question 'remarks': format (none) → email"),
    ("      label: {pl: Plan, en: Plan}\n", "      label: {pl: Plan, en: Plan}\n      max_size_mb: 2\n",
     "question 'plan': max_size_mb 5 → 2"),
    ("      label: {pl: Plan, en: Plan}\n", "      label: {pl: Plan, en: Plan}\n      file_types: [pdf]\n",
     "question 'plan': file_types [pdf, jpeg, png] → [pdf]"),
    ("{min_days_ahead: 7}", "{min_days_ahead: 14}", "question 'start': date_rules.min_days_ahead 7 → 14"),
    ("{min_days_ahead: 7}", "{min_days_ahead: 7, not_in_past: true}", "question 'start': date_rules.not_in_past "
                                                                     "(none) → true"),
])
def test_a_tightened_limit_is_breaking(old, new, what):
    assert breaking(diff((old, new))) == [f"{what} — an answer accepted before may now be refused"]


@pytest.mark.parametrize(("old", "new"), [
    ("minLength: 2, maxLength: 100}", "minLength: 2, maxLength: 200}"),
    ("minLength: 2, maxLength: 100}", "maxLength: 100}"),
    ("minimum: 1, maximum: 50", "minimum: 0, maximum: 60"),
    ('maxLength: 6, pattern: "^[0-9]{2}-[0-9]{3}$"', "maxLength: 6"),
    ("      label: {pl: Plan, en: Plan}\n",
     "      label: {pl: Plan, en: Plan}\n      file_types: [pdf, jpeg, png, odt]\n"),
])
def test_a_loosened_limit_is_listed_but_not_breaking(old, new):
    result = diff((old, new))
    assert len(result.changes) >= 2 and breaking(result) == [] and result.status == 0


def test_free_text_made_a_choice_of_options_is_breaking():
    result = diff(("minLength: 2, maxLength: 100}", "minLength: 2, maxLength: 100, enum: [Ala, Ola]}"),
                  ("      label: {pl: Imię, en: Name}\n", "      label: {pl: Imię, en: Name}\n      options:\n"
                   "        Ala: {pl: Ala, en: Ala}\n        Ola: {pl: Ola, en: Ola}\n"))
    assert breaking(result) == [
        "question 'name': now a choice of options — an answer accepted before may now be refused"]


@pytest.mark.parametrize(("before", "after", "breaks"), [
    (1, 5, True), (2, 3, True), (5, 1, False), (0.3, 0.1, False), (1, 0.01, False), (0.01, 0.02, True)])
def test_a_step_breaks_unless_every_old_multiple_is_a_new_one(before, after, breaks):
    old = FORM.replace("minimum: 1, maximum: 50", f"minimum: 1, maximum: 50, multipleOf: {before}")
    new = changed(("minimum: 1, maximum: 50", f"minimum: 1, maximum: 50, multipleOf: {after}"))
    assert bool(breaking(diff_forms(side(old), side(new)))) == breaks


def test_a_date_rule_loosened_or_removed_is_not_breaking():
    assert breaking(diff(("{min_days_ahead: 7}", "{min_days_ahead: 3}"))) == []
    result = diff(("      date_rules: {min_days_ahead: 7}\n", ""))
    assert breaking(result) == [] and "date_rules.min_days_ahead 7 → (none)" in [c.what for c in result.changes]


def test_a_removed_option_is_breaking_and_declared_as_option_field_value():
    result = diff(("enum: [tree, hedge]", "enum: [tree]"), ("        hedge: {pl: Żywopłot, en: Hedge}\n", ""))
    assert breaking(result) == ["question 'kind': option 'hedge' removed — stored answers and drafts in progress may "
                                "hold it"]
    assert [c.declare for c in result.changes if c.breaking] == ["option kind.hedge"]


def test_an_option_whose_label_changes_in_either_language_is_breaking():
    result = diff(("tree: {pl: Drzewo, en: Tree}", "tree: {pl: Drzewo, en: Shrub}"))
    assert breaking(result) == ["question 'kind': option 'tree' now reads \"Drzewo\" / \"Shrub\" (was \"Drzewo\" / "
                                "\"Tree\") — stored answers 'tree' would now read differently"]


def test_an_added_option_is_not_breaking():
    result = diff(("enum: [tree, hedge]", "enum: [tree, hedge, bush]"),
                  ("        hedge: {pl: Żywopłot, en: Hedge}\n", "        hedge: {pl: Żywopłot, en: Hedge}\n"
                                                                "        bush: {pl: Krzew, en: Bush}\n"))
    assert breaking(result) == [] and "option 'bush' added" in [c.what for c in result.changes]


def test_a_condition_that_may_hide_a_question_is_breaking_and_one_removed_is_not():
    hide = ("      widget: textarea\n", "      widget: textarea\n      visible_if: {field: kind, equals: hedge}\n")
    assert breaking(diff(hide)) == [
        "question 'remarks': condition visible_if (none) → {field: kind, equals: hedge} — may now hide it from someone "
        "it was asked before: later cases may lack an answer earlier ones have"]
    assert breaking(diff(hide, stored=lambda form_id, path: True))[0].endswith("; stored cases have it")
    shown = diff_forms(side(changed(hide, version=None)), side(FORM.replace("version: 1", "version: 2")))
    assert breaking(shown) == [] and "condition visible_if {field: kind, equals: hedge} → (none)" in [
        c.what for c in shown.changes]


def test_a_page_condition_is_breaking_and_declared_as_page_id():
    result = diff(("      title: {pl: Uwagi, en: Remarks}\n",
                   "      title: {pl: Uwagi, en: Remarks}\n      visible_if: {field: kind, equals: tree}\n"))
    assert [c.declare for c in result.changes if c.breaking] == ["page remarks"]


def test_pages_service_facts_routing_rows_and_computed_values_are_listed_not_breaking():
    text = changed(("department: BOI", "department: OR"), ("fee: {pl: Bezpłatnie, en: Free}", "fee: {pl: 10 zł, en: "
                                                                                             "10 PLN}"),
                   ("    - id: name\n      fields: [name]\n", ""), ("    - id: kind\n", "    - id: name\n      fields:"
                                                                                          " [name]\n    - id: kind\n"),
                   ("title: {pl: Co, en: What}", "title: {pl: Co, en: What is it}"))
    rows = ({"when": {"field": "kind", "equals": "hedge"}, "department": "OŚ"}, {"department": "BOI"},
            {"department": "OR"})
    result = diff_forms(side(FORM), side(text, rows=rows))
    assert breaking(result) == [] and result.status == 0
    assert [line.split(": ", 1)[1] for line in result.lines()] == [
        "form 'permit': version 1 → 2", "service: department BOI → OR", "service: fee changed (pl, en)",
        "page 'kind': title changed (en)", "routing row 1 of 'permits': when {field: kind, equals: tree} → {field: "
        "kind, equals: hedge}", "routing row 3 of 'permits': added: (none) → OR"]
    assert result.lines()[-1].startswith("workflows.yaml:")


def test_the_changes_read_in_the_order_of_the_new_file():
    result = diff(("label: {pl: Imię, en: Name}", "label: {pl: Imię, en: Full name}"),
                  ("maxLength: 500}", "maxLength: 400}"))
    lines = [change.line for change in result.changes]
    assert lines == sorted(lines)


DECLARE = """\
changes:
  - version: 2
    breaking: [name, option kind.hedge]
    note: {pl: Krótsze imię; bez żywopłotów, en: A shorter name; no hedges}
"""
BREAKS = (("minLength: 2, maxLength: 100}", "minLength: 2, maxLength: 80}"), ("enum: [tree, hedge]", "enum: [tree]"),
          ("        hedge: {pl: Żywopłot, en: Hedge}\n", ""))


def test_a_breaking_change_declared_in_a_bumped_version_passes():
    result = diff(*BREAKS, declare=DECLARE)
    assert result.status == 0 and len(breaking(result)) == 2
    assert all(line.endswith("(declared)") for line in result.lines() if "BREAKING" in line)
    assert result.summary() == "permit: 2 breaking change(s), declared for version 2."


def test_a_breaking_change_not_declared_fails_and_says_what_to_list():
    result = diff(*BREAKS, declare=DECLARE.replace("[name, option kind.hedge]", "[name]"))
    assert result.status == 1
    [refused] = result.refused
    assert refused.declare == "option kind.hedge"
    assert result.lines()[-1].endswith("(not declared: list 'option kind.hedge' under changes, version 2)")


def test_a_declaration_of_an_older_version_does_not_cover_a_new_change():
    result = diff_forms(side(changed(version=2, declare=DECLARE)), side(changed(*BREAKS, version=3, declare=DECLARE)))
    assert result.status == 1 and len(result.refused) == 2


def test_a_breaking_change_in_the_same_version_always_fails_with_bump_the_version():
    result = diff_forms(side(changed(version=2)), side(changed(*BREAKS, version=2, declare=DECLARE)))
    assert result.status == 1 and len(result.refused) == 2
    assert "(bump the version, then declare 'name')" in result.lines()[1]
    assert "bump the version" in result.summary()


def test_a_removed_form_is_breaking_and_an_added_one_is_not():
    removed = diff_forms(side(FORM), None)
    assert removed.status == 1 and removed.lines() == [
        "permit.yaml: form 'permit': removed — BREAKING: drafts in progress can no longer be sent, and its cases lose "
        "its title: keep the file and withdraw the form (withdrawn:) instead"]
    added = diff_forms(None, side(FORM))
    assert added.status == 0 and added.lines() == ["permit.yaml:1: form 'permit': added (version 1)"]


def test_a_withdrawal_is_listed_not_breaking():
    result = diff(("workflow: standard\n", "workflow: standard\nwithdrawn:\n  since: \"2027-01-01\"\n  note: {pl: Już "
                                           "nie, en: No longer}\n"))
    assert result.status == 0 and "form 'permit': withdrawn from 2027-01-01" in [
        f"{c.subject}: {c.what}" for c in result.changes]


def test_routing_rows_are_compared_as_written_even_when_the_workflows_file_is_not_well_formed():
    before = side(FORM, rows=({"department": "BOI", "note": "plain text"},))
    after = side(changed(), rows=({"department": "BOI", "note": "other text"},))
    assert "routing row 1 of 'permits': note changed" in [f"{c.subject}: {c.what}" for c in
                                                          diff_forms(before, after).changes]
