"""What the shipped `eurzad-forms-diff` pre-commit hook runs (.pre-commit-hooks.yaml): each staged definition
compared with its text in the last commit by `eurzad forms diff`, which says what the change breaks for citizens
and stored cases, and exits 1 on a breaking change that is not declared in a bumped version.

`eurzad forms diff` compares two files or two commits; a commit in the making is neither, so each file's
committed text is written to a temporary file first. A new file has nothing committed to break: it is skipped.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path


def committed(name: str, revision: str) -> str | None:
    """The text of the file `name` (relative to the working directory) at `revision`; None where it is not."""
    shown = subprocess.run(["git", "show", f"{revision}:./{name}"], capture_output=True, text=True)
    return shown.stdout if shown.returncode == 0 else None


def forms_diff(files: Sequence[str], workflows: str, revision: str = "HEAD") -> int:
    """`eurzad forms diff` on each file against its text at `revision`; the worst exit status of them all."""
    worst = 0
    with tempfile.TemporaryDirectory(prefix="eurzad-forms-diff-") as folder:
        for name in files:
            text = committed(name, revision)
            if text is None:
                continue
            before = Path(folder, revision, name)
            before.parent.mkdir(parents=True, exist_ok=True)
            before.write_text(text, encoding="utf-8")
            status = subprocess.call(["eurzad", "forms", "diff", str(before), name, "--workflows", workflows])
            worst = max(worst, status)
    return worst


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eurzad.hooks",
                                     description="eurzad forms diff of each file against its last commit")
    parser.add_argument("--workflows", default="workflows.yaml", help="the workflows file (default: %(default)s)")
    parser.add_argument("--revision", default="HEAD", help="the commit to compare with (default: %(default)s)")
    parser.add_argument("files", nargs="*", help="definition files, as pre-commit passes the staged ones")
    options = parser.parse_args(argv)
    return forms_diff(options.files, options.workflows, options.revision)


if __name__ == "__main__":
    sys.exit(main())
