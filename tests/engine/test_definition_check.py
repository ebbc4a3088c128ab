"""`eurzad forms check` names file and line for every kind of mistake an administrator makes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eurzad.engine.definitions import check, definition_files, load_registry
from eurzad.engine.sources import DefinitionError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "form_definitions" / "public-information.yaml").read_text(encoding="utf-8")
WORKFLOWS = (ROOT / "workflows.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def office(tmp_path: Path):
    """A copy of the shipped office in a temporary folder; returns a function that runs the check."""
    forms = tmp_path / "form_definitions"
    forms.mkdir()
    (forms / "public-information.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "workflows.yaml").write_text(WORKFLOWS, encoding="utf-8")

    def run(**files: str) -> list[str]:
        for name, text in files.items():
            target = tmp_path / name if name == "workflows.yaml" else forms / name
            target.write_text(text, encoding="utf-8")
        problems, _, _ = check(definition_files([forms]), tmp_path / "workflows.yaml")
        return [str(p).replace(str(tmp_path) + "/", "") for p in problems]
    run.root = tmp_path
    return run


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_the_shipped_definitions_pass():
    problems, forms, workflows = check(definition_files([ROOT / "form_definitions"]), ROOT / "workflows.yaml")
    assert problems == []
    assert len(forms) == len(list((ROOT / "form_definitions").glob("*.yaml")))
    assert workflows is not None


def test_yaml_syntax_error_names_its_line(office):
    broken = EXAMPLE.replace("  department: OR\n", "  department: [OR\n")
    problems = office(**{"public-information.yaml": broken})
    assert len(problems) == 1
    name, line, message = problems[0].split(":", 2)
    assert name.endswith("public-information.yaml")
    assert abs(int(line) - line_of(broken, "department: [OR")) <= 1
    assert "YAML syntax error" in message


def test_meta_schema_violation_names_the_key_and_its_line(office):
    broken = EXAMPLE.replace("      widget: tel\n", "      widget: telephone\n")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'widget: telephone')}:" in problem
    assert "ui.fields.phone.widget" in problem and "'telephone' is not one of" in problem


def test_unknown_key_is_reported_where_it_stands(office):
    broken = EXAMPLE.replace("version: 2\n", "version: 2\nverison: 3\n")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'verison')}:" in problem and "unknown key 'verison'" in problem


def test_comma_in_a_flow_text_gets_a_hint(office):
    text = '{pl: "Budżetu, podatków lub wydatków miasta"'
    broken = EXAMPLE.replace(text, text.replace('"', ""))
    problems = office(**{"public-information.yaml": broken})
    assert problems and all("put a text with a comma in quotes" in p for p in problems)


def test_schema_that_is_not_valid_json_schema_is_reported(office):
    broken = EXAMPLE.replace("    full_name: {type: string, minLength: 2, maxLength: 200}",
                             "    full_name: {type: text, minLength: 2, maxLength: 200}")
    problems = office(**{"public-information.yaml": broken})
    assert any(f":{line_of(broken, 'full_name: {type: text')}:" in p and "schema.properties.full_name.type" in p
               for p in problems)


def test_duplicate_form_id_is_reported_in_the_second_file(office):
    problems = office(**{"zz-copy.yaml": EXAMPLE})
    assert problems == [f"form_definitions/zz-copy.yaml:{line_of(EXAMPLE, 'id: public-information')}: "
                        "form id 'public-information' is already used by form_definitions/public-information.yaml"]


def test_ui_entry_for_a_field_the_schema_lacks_is_reported(office):
    broken = EXAMPLE.replace("    full_name:\n      label:", "    fullname:\n      label:", 1)
    problems = office(**{"public-information.yaml": broken})
    assert any(f":{line_of(broken, '    fullname:')}:" in p and "'fullname', which the schema does not have" in p
               for p in problems)
    assert any("field 'full_name' has no entry in ui.fields" in p for p in problems)


def test_unknown_workflow_and_department_are_reported(office):
    broken = (EXAMPLE.replace("workflow: public_information", "workflow: standart")
              .replace("department: OR", "department: XX"))
    problems = office(**{"public-information.yaml": broken})
    assert any(f":{line_of(broken, 'workflow: standart')}: workflow 'standart' is not in" in p for p in problems)
    assert any(f":{line_of(broken, 'department: XX')}: department 'XX' is not in" in p for p in problems)


def test_a_catalogue_category_the_office_does_not_declare_is_reported(office):
    broken = EXAMPLE.replace("category: information", "category: informacje")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'category: informacje')}: category 'informacje' is not in `categories`" in problem
    assert "known: reports, taxes" in problem


def test_unknown_routing_table_is_reported(office):
    broken = EXAMPLE.replace("routing: public-information", "routing: nowhere")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'routing: nowhere')}: routing table 'nowhere' is not in" in problem


def test_routing_table_without_catch_all_row_is_reported_in_workflows_yaml(office):
    broken = WORKFLOWS.replace("    - department: OR\n",
                               "    - when: {field: topic, equals: other}\n      department: OR\n")
    problems = office(**{"workflows.yaml": broken})
    assert any(p.startswith("workflows.yaml:") and "routing table 'public-information' has no catch-all row" in p
               for p in problems)


def test_catch_all_row_above_other_rows_is_reported(office):
    broken = WORKFLOWS.replace("    - when: {field: category, equals: street_light}\n",
                               "    - department: BOI\n    - when: {field: category, equals: street_light}\n")
    problems = office(**{"workflows.yaml": broken})
    assert any("row 1 catches all, so the rows below it can never match" in p for p in problems)


def test_routing_condition_on_a_field_the_form_lacks_is_reported(office):
    broken = WORKFLOWS.replace("{field: topic, equals: finances}", "{field: subject, equals: finances}")
    problems = office(**{"workflows.yaml": broken})
    assert any("reads field 'subject', which this form does not have" in p for p in problems)


def test_unknown_format_is_reported(office):
    broken = EXAMPLE.replace("format: email, maxLength: 254}", "format: e-mail, maxLength: 254}")
    contact, problem = office(**{"public-information.yaml": broken})
    assert "unknown format 'e-mail'" in problem and f":{line_of(broken, 'format: e-mail')}:" in problem
    assert "contact.field 'email' must be an e-mail question" in contact  # the typo leaves the form no contact


def test_a_pattern_that_is_no_regular_expression_is_reported_where_it_stands(office):
    broken = EXAMPLE.replace("format: email, maxLength: 254}", "format: email, maxLength: 254, pattern: '[a-'}")
    [problem] = office(**{"public-information.yaml": broken})
    assert "pattern '[a-' is not a valid regular expression" in problem
    assert f":{line_of(broken, 'pattern:')}:" in problem


def test_choice_without_labels_is_reported(office):
    broken = EXAMPLE.replace(
        "        in_person: {pl: Odbiorę osobiście w urzędzie, en: I will collect it at the office}\n", "")
    [problem] = office(**{"public-information.yaml": broken})
    assert "option 'in_person' needs a label" in problem


def test_widget_that_cannot_hold_the_schema_is_reported(office):
    broken = EXAMPLE.replace("      widget: textarea\n", "      widget: checkbox\n")
    [problem] = office(**{"public-information.yaml": broken})
    assert "no widget 'checkbox' can ask a value of type string" in problem


def test_text_without_english_is_reported(office):
    broken = EXAMPLE.replace("  en: Request for access to public information\n", "")
    [problem] = office(**{"public-information.yaml": broken})
    assert "title: 'en' is required" in problem


def test_duplicate_yaml_key_is_reported(office):
    broken = EXAMPLE.replace("version: 2\n", "version: 2\nversion: 3\n")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'version: 3')}: duplicate key 'version'" in problem


def test_empty_and_non_utf8_files_are_reported(office):
    (office.root / "form_definitions" / "latin2.yaml").write_bytes("id: zaż".encode("iso-8859-2"))
    problems = office(**{"empty.yaml": ""})
    assert any("empty.yaml:1: the file is empty" in p for p in problems)
    assert any("latin2.yaml:1: not UTF-8 text" in p for p in problems)


def test_loading_a_broken_office_raises_with_every_problem(office):
    office(**{"public-information.yaml": EXAMPLE.replace("workflow: public_information", "workflow: nope"),
              "zz-copy.yaml": EXAMPLE.replace("id: public-information", "id: other")
                                     .replace("version: 2", "version: 0")})
    with pytest.raises(DefinitionError) as raised:
        load_registry(office.root / "form_definitions", office.root / "workflows.yaml")
    messages = str(raised.value)
    assert "workflow 'nope' is not in" in messages and "version: 0 is less than the minimum of 1" in messages


def test_the_registry_cannot_be_changed(registry):
    with pytest.raises(TypeError):
        registry.forms["evil"] = registry.forms["public-information"]


def test_dates_in_yaml_stay_strings(office, tmp_path):
    text = EXAMPLE.replace("    full_name: {type: string, minLength: 2, maxLength: 200}",
                           "    full_name: {type: string, minLength: 2, maxLength: 200, examples: [2026-01-01]}")
    office(**{"public-information.yaml": text})
    registry = load_registry(office.root / "form_definitions", office.root / "workflows.yaml")
    assert registry.forms["public-information"].schema["properties"]["full_name"]["examples"] == ["2026-01-01"]


def test_a_copy_of_the_shipped_office_loads(tmp_path):
    shutil.copytree(ROOT / "form_definitions", tmp_path / "defs")
    registry = load_registry(tmp_path / "defs", ROOT / "workflows.yaml")
    assert "public-information" in registry.forms


def test_text_without_a_length_limit_is_reported(office):
    broken = EXAMPLE.replace("{type: string, minLength: 2, maxLength: 200}", "{type: string, minLength: 2}")
    [problem] = office(**{"public-information.yaml": broken})
    assert f":{line_of(broken, 'full_name: {type: string, minLength: 2}')}:" in problem
    assert "field 'full_name': give it a maxLength" in problem


def test_numbers_need_bounds_that_json_carries_exactly(office):
    text = (EXAMPLE.replace("    information_requested: {type: string,",
                            "    rooms: {type: integer, minimum: 0}\n"
                            "    area: {type: number, minimum: 0, maximum: 9.0e+300}\n"
                            "    information_requested: {type: string,")
            .replace("fields: [full_name, email, phone]", "fields: [full_name, email, phone, rooms, area]")
            .replace("  fields:\n    full_name:", "  fields:\n    rooms: {label: {pl: Pokoje, en: Rooms}}\n"
                                              "    area: {label: {pl: Pow, en: Area}}\n    full_name:"))
    problems = office(**{"public-information.yaml": text})
    assert any("field 'rooms': give it a minimum and a maximum" in p for p in problems), problems
    assert any("field 'area': keep its minimum and maximum within ±9007199254740991" in p for p in problems)


def test_old_snapshots_are_read_without_the_rules_added_since(registry):
    from eurzad.engine.definitions import definition_from_text
    old = EXAMPLE.replace("{type: string, minLength: 2, maxLength: 200}", "{type: string, minLength: 2}")
    assert definition_from_text(old).field("full_name").label.pl == "Imię i nazwisko"


def test_a_malformed_routing_condition_says_how_conditions_are_written(office):
    broken = WORKFLOWS.replace("{field: topic, equals: finances}", "{field: topic, is: finances}")
    [problem] = office(**{"workflows.yaml": broken})
    assert problem.startswith(f"workflows.yaml:{line_of(broken, '{field: topic, is: finances}')}: ")
    assert "a condition is {field: NAME, equals: VALUE}" in problem


def test_a_condition_no_answer_can_meet_is_reported_with_the_options_it_could_name(office):
    broken = EXAMPLE.replace("visible_if: {field: delivery_method, equals: post}",
                             "visible_if: {field: delivery_method, equals: Post}")
    [problem] = office(**{"public-information.yaml": broken})
    assert problem.startswith(f"form_definitions/public-information.yaml:{line_of(broken, 'equals: Post')}: ")
    assert ("page 'address' never holds: field 'delivery_method' answers one of \"email\", \"post\", "
            "\"in_person\", and none of them matches") in problem


def test_a_text_compared_with_a_number_is_reported_in_plain_words(office):
    gt = EXAMPLE.replace("visible_if: {field: delivery_method, equals: post}", "visible_if: {field: full_name, gt: 5}")
    assert any("never holds: field 'full_name' is a text answer, and gt/lt compare numbers" in p for p in office(
        **{"public-information.yaml": gt}))
    number = EXAMPLE.replace("visible_if: {field: delivery_method, equals: post}",
                             "visible_if: {field: full_name, equals: 2}")
    assert any("field 'full_name' is a text answer: write the value in quotes, equals: \"2\"" in p for p in office(
        **{"public-information.yaml": number}))


def test_a_routing_row_no_answer_can_meet_is_reported_at_the_forms_routing_line(office):
    routed = WORKFLOWS.replace("- when: {field: topic, equals: finances}", "- when: {field: topic, equals: Finanse}")
    [problem] = office(**{"workflows.yaml": routed})
    assert f"public-information.yaml:{line_of(EXAMPLE, 'routing: public-information')}: " in problem
    assert "routing table 'public-information' row 1 never holds: field 'topic' answers one of" in problem


def test_an_id_written_the_wrong_way_gets_the_id_to_write_instead(office):
    broken = EXAMPLE.replace("id: public-information", "id: Public_Information")
    problems = office(**{"public-information.yaml": broken})
    assert any(f":{line_of(broken, 'id: Public_Information')}: id: 'Public_Information' will not do: ids use "
               "lower-case letters and digits, words joined by hyphens: public-information" in p for p in problems)


def test_a_deadline_dated_by_an_answer_must_read_a_date_every_applicant_gives(office):
    text = EXAMPLE.replace("  deadline:\n", "  deadline:\n    before: {field: phone, days: 1}\n", 1)
    [problem] = office(**{"public-information.yaml": text})
    line = line_of(text, "before: {field: phone")
    assert f":{line}: deadline.before reads field 'phone', which is not a date" in problem
    missing = EXAMPLE.replace("  deadline:\n", "  deadline:\n    before: {field: start, days: 1}\n", 1)
    assert any("deadline.before reads field 'start', which this form does not have" in p
               for p in office(**{"public-information.yaml": missing}))


# --- contact: the anonymous sender's e-mail address, asked once --------------------------------------

def with_contact(contact: str, text: str = EXAMPLE) -> str:
    return text.replace("contact:\n  field: email\n", contact)


def test_contact_names_the_forms_own_email_question_and_the_definition_knows_it(registry):
    form = registry.forms["public-information"]
    assert form.contact.field == "email" and not form.contact.optional
    assert form.contact.address({"email": " ala@example.pl "}) == "ala@example.pl"
    fault = registry.forms["fault-report"]
    assert fault.contact.optional and fault.contact.address({}) is None
    assert registry.forms["waste-declaration"].contact.field is None


def test_contact_field_must_exist_be_an_email_question_and_stay_out_of_groups(office):
    missing = with_contact("contact:\n  field: mail\n")
    [problem] = office(**{"public-information.yaml": missing})
    assert f":{line_of(missing, 'field: mail')}:" in problem
    assert "names 'mail', which the schema does not have" in problem
    not_email = with_contact("contact:\n  field: full_name\n")
    [problem] = office(**{"public-information.yaml": not_email})
    assert "contact.field 'full_name' must be an e-mail question (type: string, format: email)" in problem
    nested = with_contact("contact:\n  field: address.city\n")
    [problem] = office(**{"public-information.yaml": nested})
    assert "must be an e-mail question" in problem  # a nested key is followed to its question


def test_contact_must_say_optional_exactly_when_the_question_may_be_left_empty(office):
    optional_but_required = with_contact("contact:\n  field: email\n  optional: true\n")
    [problem] = office(**{"public-information.yaml": optional_but_required})
    assert f":{line_of(optional_but_required, 'optional: true')}:" in problem
    assert "contact says optional, but the schema requires 'email'" in problem
    not_required = with_contact("contact:\n  field: email\n").replace(
        "required: [full_name, email, information_requested", "required: [full_name, information_requested")
    [problem] = office(**{"public-information.yaml": not_required})
    assert "the schema does not require 'email', so a sender may leave it empty" in problem
    assert office(**{"public-information.yaml": with_contact("contact:\n  optional: true\n")}) == []


def test_contact_belongs_to_forms_without_an_account(office):
    account = EXAMPLE.replace("assurance: anonymous\n", "")
    [problem] = office(**{"public-information.yaml": account})
    assert f":{line_of(account, 'contact:')}:" in problem
    assert "applies only to a form sent without an account" in problem


LAUGHS = "".join(f"{name}: &{name} [{', '.join([f'*{before}' if before else 'ha'] * 10)}]\n"
                 for before, name in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh", strict=True))


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000, "nests deeper than 64 levels"),
    ("a:\n" + "".join(" " * depth + "b:\n" for depth in range(1, 80)) + " " * 80 + "c: 1\n",
     "nests deeper than 64 levels"),
    (LAUGHS, "holds more than 200000 values"),
    ("a: &x [*x]\n", "nests deeper than 64 levels")])
def test_a_file_nested_too_deep_or_expanding_past_any_form_is_refused_with_a_plain_problem(office, text, expected):
    [problem] = office(**{"deep.yaml": text})
    assert problem.startswith("form_definitions/deep.yaml:") and expected in problem
