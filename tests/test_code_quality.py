"""The code reads as STYLE.md asks: lint-clean, and typed where the logic lives (engine, operations)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing():
    result = subprocess.run([BIN / "ruff", "check", "platform", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_mypy_accepts_the_engine_the_operations_the_inbox_queries_and_the_case_log_chain():
    targets = ["platform/eurzad/engine", "platform/eurzad/clerk/inbox.py", "platform/eurzad/cases/log.py",
               "platform/eurzad/cases/chain.py", "platform/eurzad/cases/seals.py",
               # running it: settings checked at start, logs, headers, probes, the gunicorn config
               *(f"platform/eurzad/{name}.py" for name in ("config", "logs", "security", "probes", "gunicorn_conf")),
               *map(str, (ROOT / "platform/eurzad").glob("*/operations.py"))]
    result = subprocess.run([BIN / "mypy", "--ignore-missing-imports", *targets], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
