"""What IT staff who keep definitions in git get: the schema line that gives an editor completion and checks, and
the shipped pre-commit hooks (.pre-commit-hooks.yaml) that run `eurzad forms check` and `eurzad forms diff`."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCHEMA_LINE = "# yaml-language-server: $schema=../platform/eurzad/engine/schemas/form-definition.schema.json\n"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
# The keys pre-commit documents for a hook of .pre-commit-hooks.yaml (https://pre-commit.com/#new-hooks).
DOCUMENTED = {"id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types",
              "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial", "description",
              "language_version", "minimum_pre_commit_version", "args", "stages"}
DEFINITIONS = sorted((ROOT / "form_definitions").glob("*.yaml"))


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda path: path.name)
def test_every_shipped_definition_starts_with_the_schema_line_of_the_editor(path):
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    schema = path.parent / SCHEMA_LINE.split("$schema=")[1].strip()
    assert schema.is_file()  # the path is relative to the definition, as the YAML language server reads it


def test_the_hooks_are_the_two_documented_with_the_keys_pre_commit_knows():
    assert [hook["id"] for hook in HOOKS] == ["eurzad-forms-check", "eurzad-forms-diff"]
    for hook in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(hook) <= DOCUMENTED, hook
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        matched = [path.name for path in DEFINITIONS if re.search(hook["files"], f"form_definitions/{path.name}")]
        assert matched == [path.name for path in DEFINITIONS]
        assert not re.search(hook["files"], "form_definitions/samples/public-information.yaml")
        assert not re.search(hook["files"], "workflows.yaml")


def hook_command(hook_id: str, *files: str) -> list[str]:
    """The command pre-commit runs for a hook on these files: its entry, its args, the files."""
    hook = next(hook for hook in HOOKS if hook["id"] == hook_id)
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *files]
    return [str(BIN / command[0]), *command[1:]]


def test_the_check_hook_passes_good_definitions_and_names_the_line_of_a_bad_one(tmp_path):
    good = subprocess.run(hook_command("eurzad-forms-check", "form_definitions/public-information.yaml"),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    (tmp_path / "form_definitions").mkdir()
    (tmp_path / "workflows.yaml").write_text((ROOT / "workflows.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
    (tmp_path / "form_definitions/bad.yaml").write_text(text.replace("version: ", "version: x", 1), encoding="utf-8")
    bad = subprocess.run(hook_command("eurzad-forms-check", "form_definitions/bad.yaml"), cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and re.match(r"form_definitions/bad\.yaml:\d+: version: ", bad.stdout), bad.stdout


@pytest.fixture()
def repository(tmp_path) -> Path:
    """A git repository of definitions with one commit, and a stand-in `eurzad` on PATH that records how it is
    called (the real `forms diff` is not this test's subject) and exits with $DIFF_STATUS."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    (tmp_path / "form_definitions").mkdir()
    (tmp_path / "form_definitions/old.yaml").write_text("id: old\nversion: 1\n", encoding="utf-8")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=IT", "-c", "user.email=it@example.pl", "commit", "-qm", "first")
    (tmp_path / "bin").mkdir()
    stand_in = tmp_path / "bin/eurzad"
    stand_in.write_text('#!/bin/sh\necho "$@" >> "$CALLS"\ncat "$3" >> "$CALLS"\nexit "${DIFF_STATUS:-0}"\n')
    stand_in.chmod(0o755)
    return tmp_path


def run_diff_hook(repository: Path, *files: str, status: int = 0) -> tuple[int, str]:
    calls = repository / "calls.txt"
    calls.write_text("")
    env = {**os.environ, "PATH": f"{repository / 'bin'}{os.pathsep}{os.environ['PATH']}", "CALLS": str(calls),
           "DIFF_STATUS": str(status)}
    command = hook_command("eurzad-forms-diff", *files)
    done = subprocess.run([sys.executable, *command[1:]], cwd=repository, env=env, capture_output=True, text=True,
                          timeout=60)
    return done.returncode, calls.read_text()


def test_the_diff_hook_compares_each_staged_definition_with_its_last_commit(repository):
    (repository / "form_definitions/old.yaml").write_text("id: old\nversion: 2\n", encoding="utf-8")
    (repository / "form_definitions/new.yaml").write_text("id: new\nversion: 1\n", encoding="utf-8")
    status, calls = run_diff_hook(repository, "form_definitions/old.yaml", "form_definitions/new.yaml")
    assert status == 0
    first, committed = calls.splitlines()[0], calls.splitlines()[1:]
    words = first.split()
    assert words[:2] == ["forms", "diff"] and words[2].endswith("/HEAD/form_definitions/old.yaml")
    assert words[3:] == ["form_definitions/old.yaml", "--workflows", "workflows.yaml"]
    assert committed == ["id: old", "version: 1"]  # the old side is the text of the last commit
    assert "new.yaml" not in calls  # a new file has nothing committed to break


def test_the_diff_hook_fails_the_commit_when_the_diff_finds_a_breaking_change(repository):
    status, _calls = run_diff_hook(repository, "form_definitions/old.yaml", status=1)
    assert status == 1
