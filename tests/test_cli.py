"""The `eurzad` command as IT staff use it: check definitions, set up an instance, refuse a broken office."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EURZAD = str(Path(sys.executable).parent / "eurzad")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([EURZAD, *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, **(env or {})})


def test_forms_check_passes_the_shipped_files():
    result = run("forms", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and "OK:" in result.stderr


def test_forms_check_prints_file_line_message_and_exits_1(tmp_path):
    broken = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
    broken = broken.replace("workflow: public_information", "workflow: missing").replace("version: 2", "version: one")
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    result = run("forms", "check", str(tmp_path / "broken.yaml"), cwd=tmp_path)
    assert result.returncode == 1
    line = broken[: broken.index("version: one")].count("\n") + 1
    assert result.stdout.splitlines() == [f"broken.yaml:{line}: version: 'one' is not of type 'integer'"]


def test_forms_check_reads_a_folder_and_another_workflows_file(tmp_path):
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs/a.yaml").write_text("id: [", encoding="utf-8")
    (tmp_path / "workflows.yaml").write_text("office: {}\n", encoding="utf-8")
    result = run("forms", "check", "defs", "--workflows", "workflows.yaml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("defs/a.yaml:1: YAML syntax error") for line in lines)
    assert any(line.startswith("workflows.yaml:1: ") and "'departments' is required" in line for line in lines)


def test_the_app_refuses_to_start_on_a_broken_definition_without_a_traceback(tmp_path):
    broken = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
    (tmp_path / "x.yaml").write_text(broken.replace("routing: public-information", "routing: gone"), encoding="utf-8")
    env = {"EURZAD_DEFINITIONS_DIR": str(tmp_path), "EURZAD_SECRET_KEY": "x",
           "EURZAD_INSTANCE_PATH": str(tmp_path / "instance")}
    result = run("run", "--port", "0", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "x.yaml:" in result.stderr and "routing table 'gone' is not in" in result.stderr


def test_init_and_demo_set_up_an_instance_that_the_demo_citizen_can_use(tmp_path):
    env = {"EURZAD_INSTANCE_PATH": str(tmp_path / "instance")}
    first = run("init", env=env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "instance/eurzad.cfg").exists() and (tmp_path / "instance/eurzad.db").exists()
    secret = (tmp_path / "instance/eurzad.cfg").read_text()
    assert run("init", env=env).returncode == 0
    assert (tmp_path / "instance/eurzad.cfg").read_text() == secret, "init must keep the secret key"
    demo = run("demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "jan.kowalski@example.pl" in demo.stdout and "urzednik.dr@example.pl" in demo.stdout
    assert run("demo", env=env).returncode == 0, "demo must be safe to run again"


@pytest.mark.parametrize("args", [("--help",), ("forms", "--help")])
def test_help_works_without_an_instance(tmp_path, args):
    result = run(*args, env={"EURZAD_INSTANCE_PATH": str(tmp_path / "none")})
    assert result.returncode == 0 and "Usage:" in result.stdout


def test_users_create_makes_a_clerk_who_can_log_in(tmp_path):
    env = {"EURZAD_INSTANCE_PATH": str(tmp_path / "instance")}
    assert run("init", env=env).returncode == 0
    args = ("users", "create", "--email", "k.nowak@um.krosno.pl", "--name", "Katarzyna Nowak", "--department")
    made = run(*args, "DR", "--password", "a long enough passphrase", env=env)
    assert made.returncode == 0 and "Created clerk k.nowak@um.krosno.pl in DR" in made.stdout
    again = run(*args, "DR", "--password", "a long enough passphrase", env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = run(*args, "XX", "--password", "a long enough passphrase", env=env)
    assert wrong.returncode == 2 and "belongs to a department: select it (--department, one of: BOI" in wrong.stderr
    from eurzad import create_app
    from eurzad.auth.operations import authenticate
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'instance' / 'eurzad.db'}"})
    with app.app_context():
        assert authenticate("k.nowak@um.krosno.pl", "a long enough passphrase").department == "DR"
        from eurzad.extensions import db
        db.engine.dispose()
