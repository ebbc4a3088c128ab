"""`eurzad forms diff` as IT staff run it, on two files and on two git revisions, and the versioning rules that
`forms check` and the app's start enforce against the stored cases."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .test_cli import ROOT, run

SHIPPED = (ROOT / "form_definitions/tree-removal.yaml").read_text(encoding="utf-8")
DECLARED = """changes:
  - version: 3
    breaking: [tree.circumference]
    note: {pl: Obwód do 1500 cm, en: A circumference of up to 1500 cm}
"""


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def tightened(version: int = 3, declare: str = "") -> str:
    text = SHIPPED.replace("version: 2", f"version: {version}").replace("maximum: 2000}", "maximum: 1500}")
    return text + declare


def files(tmp_path: Path, old: str, new: str) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    return "old.yaml", "new.yaml"


def test_a_tightened_limit_between_two_files_is_breaking_with_its_line_and_exit_1(tmp_path):
    new = tightened()
    result = run("forms", "diff", *files(tmp_path, SHIPPED, new), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"new.yaml:{line_of(new, 'version: 3')}: form 'tree-removal': version 2 → 3",
        f"new.yaml:{line_of(new, 'maximum: 1500')}: question 'tree.circumference': maximum 2000 → 1500 — BREAKING: an "
        "answer accepted before may now be refused (not declared: list 'tree.circumference' under changes, version 3)"]
    assert "tree-removal: 1 breaking change(s) not declared" in result.stderr


def test_the_same_change_declared_in_the_bumped_version_passes(tmp_path):
    result = run("forms", "diff", *files(tmp_path, SHIPPED, tightened(declare=DECLARED)), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[1].endswith("(declared)")


def test_a_breaking_change_without_a_bump_fails_with_bump_the_version(tmp_path):
    result = run("forms", "diff", *files(tmp_path, SHIPPED, tightened(version=2)), cwd=tmp_path)
    assert result.returncode == 1
    assert "(bump the version, then declare 'tree.circumference')" in result.stdout
    assert "but version 2 was not bumped: bump the version" in result.stderr


def test_a_harmless_text_change_is_listed_and_passes(tmp_path):
    new = SHIPPED.replace("en: Tree species}", "en: Species of the tree}")
    result = run("forms", "diff", *files(tmp_path, SHIPPED, new), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"new.yaml:{line_of(new, 'version: 2')}: form 'tree-removal': version 2, not bumped",
        f"new.yaml:{line_of(new, 'Species of the tree')}: question 'tree.species': label changed (en)"]


@pytest.mark.parametrize(("text", "message"), [
    ("id: tree-removal\nversion: [\n", "new.yaml:3: YAML syntax error"),
    (SHIPPED.replace("version: 2", "version: two"), "new.yaml:7: version: 'two' is not of type 'integer'"),
])
def test_a_file_that_cannot_be_read_is_named_at_its_line_with_exit_2(tmp_path, text, message):
    result = run("forms", "diff", *files(tmp_path, SHIPPED, text), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_missing_file_is_one_plain_line_with_exit_2(tmp_path):
    (tmp_path / "old.yaml").write_text(SHIPPED, encoding="utf-8")
    result = run("forms", "diff", "old.yaml", "gone.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "eurzad forms diff: gone.yaml: no such file\n")
    both = run("forms", "diff", "gone.yaml", "old.yml", cwd=tmp_path)
    assert (both.returncode, both.stderr) == (2, "eurzad forms diff: gone.yaml: no such file\n")


# --- two git revisions -------------------------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.pl", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture()
def repo(tmp_path) -> Path:
    """A definitions repository: the shipped tree removal and public information forms and workflows.yaml, as
    its first commit (tagged `published`)."""
    (tmp_path / "form_definitions").mkdir()
    for name in ("tree-removal.yaml", "public-information.yaml"):
        (tmp_path / "form_definitions" / name).write_text((ROOT / "form_definitions" / name).read_text())
    (tmp_path / "workflows.yaml").write_text((ROOT / "workflows.yaml").read_text())
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "published")
    git(tmp_path, "tag", "published")
    return tmp_path


def commit(repo: Path, **files: str | None) -> None:
    for name, text in files.items():
        path = repo / "form_definitions" / name
        path.unlink() if text is None else path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")


def test_two_revisions_compare_every_form_in_the_definitions_folder(repo):
    commit(repo, **{"tree-removal.yaml": tightened(declare=DECLARED)})
    result = run("forms", "diff", "published", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split(": ", 1)[0] for line in result.stdout.splitlines()] == [
        f"form_definitions/tree-removal.yaml:{line_of(tightened(), 'version: 3')}",
        f"form_definitions/tree-removal.yaml:{line_of(tightened(), 'maximum: 1500')}"]
    inside = run("forms", "diff", "published", "HEAD", cwd=repo / "form_definitions")  # files named from where it runs
    assert inside.stdout == result.stdout.replace("form_definitions/", "")
    commit(repo, **{"tree-removal.yaml": tightened()})
    assert run("forms", "diff", "published", "HEAD", cwd=repo).returncode == 1


def test_a_form_added_or_removed_between_revisions_is_listed_and_a_removal_breaks(repo):
    notice = SHIPPED.replace("id: tree-removal", "id: tree-notice").replace("version: 2", "version: 1")
    commit(repo, **{"public-information.yaml": None, "tree-notice.yaml": notice})
    result = run("forms", "diff", "published", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "published:form_definitions/public-information.yaml: form 'public-information': removed — BREAKING: drafts in "
        "progress can no longer be sent, and its cases lose its title: keep the file and withdraw the form "
        "(withdrawn:) instead",
        "form_definitions/tree-notice.yaml:6: form 'tree-notice': added (version 1)"]


def test_a_routing_row_changed_in_the_workflows_file_is_listed_at_its_line(repo):
    text = (repo / "workflows.yaml").read_text().replace("      department: FN\n", "      department: OR\n", 1)
    (repo / "workflows.yaml").write_text(text)
    commit(repo)
    result = run("forms", "diff", "published", "HEAD", cwd=repo)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"workflows.yaml:{line_of(text, '      department: OR')}: routing row 1 of 'public-information': department "
        "FN → OR"]


@pytest.mark.parametrize(("args", "message"), [
    (("nope", "HEAD"), "eurzad forms diff: no such revision 'nope'\n"),
    (("published", "--definitions", "defs", "HEAD"), "eurzad forms diff: revision 'published' has no folder defs\n"),
])
def test_a_revision_or_folder_that_is_not_there_is_one_plain_line_with_exit_2(repo, args, message):
    result = run("forms", "diff", *args, cwd=repo)
    assert (result.returncode, result.stdout, result.stderr.splitlines()[-1] + "\n") == (2, "", message)


def test_a_broken_definition_in_a_revision_is_named_rev_colon_path_and_line(repo):
    commit(repo, **{"tree-removal.yaml": "id: tree-removal\nversion: [\n"})
    result = run("forms", "diff", "HEAD", "published", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "HEAD:form_definitions/tree-removal.yaml:3: YAML syntax error" in result.stderr


def test_outside_a_git_repository_two_revisions_are_a_plain_message(tmp_path):
    result = run("forms", "diff", "main", "HEAD", cwd=tmp_path, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 2 and result.stderr.startswith("eurzad forms diff: not in a git repository")


# --- against the stored cases ------------------------------------------------------------------------------------

PUBLIC = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
RETITLED = PUBLIC.replace("en: Request for access to public information", "en: Ask for public information")


@pytest.fixture()
def filed(app) -> dict[str, str]:
    """A request for public information filed under the shipped version 2, with a phone number; the settings
    that point the command at its database."""
    from eurzad.cases.operations import file_submission
    from eurzad.extensions import db, registry
    from eurzad.timeutil import utcnow
    with app.app_context():
        reg = registry()
        file_submission(reg.forms["public-information"], reg.workflows,
                        {"full_name": "Jan Kowalski", "email": "jan@example.pl", "phone": "+48 600 100 200",
                         "information_requested": "Budżet miasta na 2026 rok", "delivery_method": "email"},
                        None, "pl", utcnow(), app.config["OFFICE_TIMEZONE"], contact_email="jan@example.pl")
        db.session.commit()
    return {"EURZAD_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}


def test_forms_check_refuses_a_text_changed_under_a_version_cases_were_filed_under(filed, tmp_path):
    (tmp_path / "public-information.yaml").write_text(RETITLED, encoding="utf-8")
    result = run("forms", "check", "public-information.yaml", "--workflows", str(ROOT / "workflows.yaml"), env=filed,
                 cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"public-information.yaml:{line_of(RETITLED, 'version: 2')}: version 2: the text changed but the version did "
        "not (cases were filed under version 2 as it was): bump the version to 3"]
    (tmp_path / "public-information.yaml").write_text(RETITLED.replace("version: 2", "version: 3"), encoding="utf-8")
    bumped = run("forms", "check", "public-information.yaml", "--workflows", str(ROOT / "workflows.yaml"), env=filed,
                 cwd=tmp_path)
    assert bumped.returncode == 0 and "Stored cases checked: 1 in " in bumped.stderr, bumped.stdout + bumped.stderr


def test_the_app_refuses_to_start_on_a_text_changed_under_a_filed_version(filed, tmp_path):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "public-information.yaml").write_text(RETITLED, encoding="utf-8")
    env = {**filed, "EURZAD_DEFINITIONS_DIR": str(defs), "EURZAD_SECRET_KEY": "x"}
    result = run("routes", env=env, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the app will not start until they are fixed" in result.stderr
    at = f"defs/public-information.yaml:{line_of(RETITLED, 'version: 2')}"
    assert f"{at}: version 2: the text changed" in result.stderr
    (defs / "public-information.yaml").write_text(PUBLIC, encoding="utf-8")
    assert run("routes", env=env, cwd=tmp_path).returncode == 0


def without_question(text: str, key: str) -> str:
    """`text` without the top-level question `key`: its schema, its place on its page and its ui.fields entry."""
    schema = re.search(rf"^    {key}:.*\n(      .*\n)*", text, re.M)
    text = text[:schema.start()] + text[schema.end():]
    text = re.sub(rf", {key}\]", "]", text)
    ui = re.search(rf"^    {key}:\n      label:.*\n(      .*\n)*", text, re.M)
    return text[:ui.start()] + text[ui.end():]


def test_a_removed_question_that_stored_cases_answered_says_so(filed, tmp_path):
    without = without_question(without_question(PUBLIC, "phone"), "preferred_format")
    without = without.replace("version: 2", "version: 3")
    result = run("forms", "diff", *files(tmp_path, PUBLIC, without), env=filed, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    removed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if "removed" in line]
    assert removed == [
        "question 'phone': removed — BREAKING: stored cases have it (not declared: list 'phone' under changes, "
        "version 3)",
        "question 'preferred_format': removed — BREAKING: a draft in progress loses its answer (not declared: list "
        "'preferred_format' under changes, version 3)"]
    assert "Stored cases checked in " in result.stderr


@pytest.mark.parametrize("workflows", ["routing: [a, b]\n", "- a list\n", "routing: [",
                                       "routing:\n  public-information: [a, {department: OR, note: plain}]\n"])
def test_a_workflows_file_that_is_not_well_formed_leaves_routing_rows_out_without_a_traceback(tmp_path, workflows):
    (tmp_path / "workflows.yaml").write_text(workflows, encoding="utf-8")
    result = run("forms", "diff", *files(tmp_path, PUBLIC, RETITLED), "--workflows", "workflows.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "routing row" not in result.stdout and "title changed (en)" in result.stdout
