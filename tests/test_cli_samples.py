"""`eurzad forms route` and `eurzad forms test` as an administrator uses them before publishing a form: where a
set of answers goes and why, and every sample run as a test, reported at its file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

from .test_cli import ROOT, run

WORKFLOWS = str(ROOT / "workflows.yaml")


def office(tmp_path: Path, form_id: str = "fault-report", sample: str | None = None) -> Path:
    """defs/ in tmp_path with one shipped form and its samples (or `sample` instead of them)."""
    defs = tmp_path / "defs"
    (defs / "samples").mkdir(parents=True)
    shutil.copy(ROOT / "form_definitions" / f"{form_id}.yaml", defs)
    text = (ROOT / "form_definitions" / "samples" / f"{form_id}.yaml").read_text(encoding="utf-8")
    (defs / "samples" / f"{form_id}.yaml").write_text(text if sample is None else sample, encoding="utf-8")
    return defs


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def forms_test(tmp_path: Path, *args: str):
    return run("forms", "test", "defs", "--workflows", WORKFLOWS, *args, cwd=tmp_path)


# --- forms route ----------------------------------------------------------------------------------

def test_forms_route_shows_every_row_with_why_and_the_winner_department_register_and_workflow():
    result = run("forms", "route", "fault-report", "form_definitions/samples/fault-report.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "fault-report (version 2), the answers in form_definitions/samples/fault-report.yaml:",
        "Routing table 'fault-report', read top to bottom; the first row that holds wins:",
        "✗ row 1 → GK (Street lighting is maintained by the Municipal Services Department)",
        "    'category' is \"pothole\", not \"street_light\"",
        "✓ row 2 → DR (Roads, pavements and signs are maintained by the Roads Department)  ← wins",
        "    'category' is \"pothole\", one of \"pothole\", \"pavement\", \"road_sign\"",
        "✓ row 3 → BOI (Other reports go to the Customer Service Office)",
        "    no condition: it takes every submission the rows above leave",
        "Department: DR, Roads Department",
        "Register: DR.7230 (case numbers DR.7230.<number>.<year>)",
        "Workflow: fault, Fault report",
    ]


def test_forms_route_takes_a_definition_file_and_a_plain_mapping_of_answers(tmp_path):
    (tmp_path / "answers.yaml").write_text("category: road_sign\nlocation_method: coordinates\n"
                                           "location: never asked\n", encoding="utf-8")
    result = run("forms", "route", str(ROOT / "form_definitions/fault-report.yaml"), "answers.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Left out, as a citizen with these answers is not asked them: 'location'" in out
    assert "These answers would be refused as they are" in out and "'description': " in out
    assert "✓ row 2 → DR" in out and "Register: DR.7230" in out


def test_forms_route_of_a_form_without_a_routing_table_says_its_own_department_takes_it():
    result = run("forms", "route", "waste-declaration", "form_definitions/samples/waste-declaration.yaml")
    assert result.returncode == 0, result.stderr
    assert "No routing table: every case goes to the form's own department." in result.stdout
    assert "✓" not in result.stdout and "Workflow: standard, Administrative case" in result.stdout


def test_forms_route_names_an_unknown_field_at_its_line_and_exits_2(tmp_path):
    text = "category: pothole\nlocation_method: address\ncolour: red\n"
    (tmp_path / "answers.yaml").write_text(text, encoding="utf-8")
    result = run("forms", "route", "fault-report", "answers.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == ["answers.yaml:3: unknown field 'colour'"]


def test_forms_route_names_an_unknown_input_of_a_sample_post_at_its_line(tmp_path):
    sample = (ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8")
    sample = sample.replace("  pole_number: \"K-1234\"\n", "  pole-number: \"K-1234\"\n", 1)
    (tmp_path / "sample.yaml").write_text(sample, encoding="utf-8")
    result = run("forms", "route", "fault-report", "sample.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"sample.yaml:{line_of(sample, 'pole-number')}: unknown field 'pole-number'"]


def test_forms_route_answers_bad_input_with_a_plain_message_and_exit_2(tmp_path):
    (tmp_path / "broken.yaml").write_text("category: [pothole\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- category\n", encoding="utf-8")
    cases = [
        (("fault-report", "missing.yaml"), "missing.yaml:1: cannot read the file (No such file or directory)"),
        (("fault-report", "broken.yaml"), "broken.yaml:2: YAML syntax error"),
        (("fault-report", "list.yaml"), "list.yaml:1: the file must be a mapping of answers"),
        (("no-such-form", "list.yaml"), "no form 'no-such-form' here (forms: fault-report, housing-allowance"),
        (("gone.yaml", "list.yaml"), "gone.yaml:1: cannot read the file (No such file or directory)"),
    ]
    for args, message in cases:
        result = run("forms", "route", *args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)


# --- forms test -----------------------------------------------------------------------------------

def test_forms_test_runs_every_sample_of_the_shipped_forms():
    result = run("forms", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr.startswith("OK: ") and "sample(s) behave as written, in 6 form(s)" \
        in result.stderr


def test_a_sample_that_routes_elsewhere_is_reported_at_its_department_line_with_where_it_went(tmp_path):
    shipped = (ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8")
    sample = shipped.replace("    department: GK\n    row: 1\n", "    department: DR\n    row: 2\n", 1)
    office(tmp_path, sample=sample)
    result = forms_test(tmp_path)
    assert result.returncode == 1
    department = line_of(sample, "    department: DR\n    row: 2")
    assert result.stdout.splitlines() == [
        f"defs/samples/fault-report.yaml:{department}: valid sample 1: goes to GK (routing table 'fault-report' "
        "row 1), not DR",
        f"defs/samples/fault-report.yaml:{department + 1}: valid sample 1: wins by row 1 of routing table "
        "'fault-report', not row 2",
    ]
    assert result.stderr.strip() == "1 of 5 sample(s) behave otherwise, in 1 form(s)."


def test_an_invalid_sample_the_engine_accepts_is_reported_at_each_question_that_should_fail(tmp_path):
    sample = """\
post: {category: pothole, location_method: address, location: ul. Lwowska, description: Dziura na jezdni., hazard: "no"}
department: DR
invalid:
  - data: {category: pothole, location_method: address, location: ul. Lwowska, description: Dziura na jezdni.}
    errors:
      description: minLength
      location: "Wpisz, gdzie jest awaria"
"""
    office(tmp_path, sample=sample)
    result = forms_test(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "defs/samples/fault-report.yaml:6: invalid sample 1: 'description' is accepted, but must fail with minLength",
        "defs/samples/fault-report.yaml:7: invalid sample 1: 'location' is accepted, but must fail with "
        "\"Wpisz, gdzie jest awaria\"",
    ]


def test_an_invalid_sample_is_told_the_keyword_or_message_it_fails_with_instead(tmp_path):
    sample = """\
invalid:
  post: {location_method: address, location: "", description: Dziura.}
  errors:
    category: "Wybierz kategorię"
    description: pattern
    location: required
"""
    office(tmp_path, sample=sample)
    result = forms_test(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "defs/samples/fault-report.yaml:4: invalid sample: 'category' shows \"Wybierz, co się zepsuło\", not "
        "\"Wybierz kategorię\"",
        "defs/samples/fault-report.yaml:5: invalid sample: 'description' fails minLength (\"Opisz awarię w co "
        "najmniej 10 znakach\"), not pattern",
    ]


def test_a_valid_sample_the_engine_refuses_or_stores_otherwise_is_reported(tmp_path):
    shipped = (ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8")
    sample = shipped.replace("  hazard: false\n  email:", "  hazard: true\n  email:", 1)
    sample = sample.replace("      pole_number: K-1234\n", "      pole_number: K-1234-5678-9012-3456-7890\n", 1)
    office(tmp_path, sample=sample)
    lines = forms_test(tmp_path).stdout.splitlines()
    assert lines == [
        f"defs/samples/fault-report.yaml:{line_of(sample, '  hazard: true')}: golden sample: stores 'hazard' as "
        "false, not true",
        f"defs/samples/fault-report.yaml:{line_of(sample, '      pole_number: K-1234-')}: valid sample 1: "
        "'pole_number' is refused: it fails maxLength (\"Wpisz numer słupa (najwyżej 20 znaków)\")",
    ]


def test_a_sample_naming_an_unknown_field_or_breaking_the_format_is_reported_at_its_line(tmp_path):
    sample = "valid:\n  - data: {category: pothole, colour: red}\n    department: DR\n  - department: DR\n"
    office(tmp_path, sample=sample)
    lines = forms_test(tmp_path).stdout.splitlines()
    assert lines == ["defs/samples/fault-report.yaml:4: valid sample 2: give its answers, as post: (what a browser "
                     "posts) or data: (the answers as stored)"]
    office(tmp_path / "second", sample=sample.split("  - department")[0])
    result = forms_test(tmp_path / "second")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["defs/samples/fault-report.yaml:2: unknown field 'colour'"]


def test_a_form_without_samples_is_counted_not_failed(tmp_path):
    defs = office(tmp_path)
    shutil.copy(ROOT / "form_definitions" / "tree-removal.yaml", defs)
    result = forms_test(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "in 1 form(s); 1 form(s) without samples (tree-removal)." in result.stderr


# --- forms check --strict -------------------------------------------------------------------------

def test_forms_check_strict_runs_the_samples_and_wants_every_form_to_have_some(tmp_path):
    defs = office(tmp_path)
    shutil.copy(ROOT / "form_definitions" / "tree-removal.yaml", defs)
    lenient = run("forms", "check", "defs", "--workflows", WORKFLOWS, cwd=tmp_path)
    assert lenient.returncode == 0 and "recommended: a golden sample" in lenient.stderr
    strict = run("forms", "check", "defs", "--workflows", WORKFLOWS, "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    tree = (defs / "tree-removal.yaml").read_text(encoding="utf-8")
    assert strict.stdout.splitlines() == [
        f"defs/tree-removal.yaml:{line_of(tree, 'id: tree-removal')}: no samples: write "
        "defs/samples/tree-removal.yaml (docs/form-definitions.md#samples-as-tests)"]
    assert "recommended" not in strict.stderr and "Samples: OK: 5 sample(s) behave as written" in strict.stderr


def test_forms_check_strict_fails_on_a_sample_that_behaves_otherwise(tmp_path):
    shipped = (ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8")
    office(tmp_path, sample=shipped.replace("department: DR\nrow: 2\n", "department: BOI\nrow: 2\n", 1))
    assert run("forms", "check", "defs", "--workflows", WORKFLOWS, cwd=tmp_path).returncode == 0
    strict = run("forms", "check", "defs", "--workflows", WORKFLOWS, "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "golden sample: goes to DR (routing table 'fault-report' row 2), not BOI" \
        in strict.stdout
