"""The two sides `eurzad forms diff` compares, read from two definition files or from two git revisions of the
checkout (every definition in the definitions folder of each, matched by id, and each one's workflows file)."""
from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .engine.definitions import build_definition
from .engine.diff import Side
from .engine.sources import DefinitionError, Problem, Source, display_name, parse_source, read_source


class InputError(Exception):
    """What was asked for cannot be read: one plain line for the person who typed the command."""


def file_sides(old: Path, new: Path, workflows: Path) -> tuple[dict[str, Side], dict[str, Side]]:
    """The forms of two definition files, each with its routing table from one workflows file; the NEW form is
    keyed by the OLD one's id, so that a changed id shows as a change of the form, not as two forms."""
    rules = _workflows(read_source, workflows) if workflows.is_file() else None
    before, after = _side(read_source(old), rules), _side(read_source(new), rules)
    return {before.form.id: before}, {before.form.id: after}


def git_sides(old: str, new: str, folder: Path | None, workflows: Path | None
              ) -> tuple[dict[str, Side], dict[str, Side]]:
    """The forms of the definitions folder in two revisions of the git repository around the working directory
    (by default its top's form_definitions/ and workflows.yaml)."""
    top = Path(_git(Path.cwd(), "rev-parse", "--show-toplevel", failure="not in a git repository: give two "
                    "definition files, or run it inside the repository of the definitions").strip())
    where = _inside(top, folder or top / "form_definitions"), _inside(top, workflows or top / "workflows.yaml")
    return _revision(old, top, *where, f"{old}:"), _revision(new, top, *where, "")


def _revision(rev: str, top: Path, folder: str, workflows: str, prefix: str) -> dict[str, Side]:
    """Every definition directly in `folder` at `rev`, by id; named `rev:path` on the OLD side (`prefix`), and by
    its path on the NEW one, so that its lines point into the file as it is checked out."""
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", failure=f"no such revision '{rev}'")
    listing = _git(top, "ls-tree", "-z", rev, "--", f"{folder}/", failure=f"cannot list {folder} in '{rev}'")
    paths = sorted(entry.split("\t", 1)[1] for entry in listing.split("\0")
                   if "\t" in entry and entry.split()[1] == "blob" and entry.endswith((".yaml", ".yml")))
    if not paths and not _git(top, "ls-tree", rev, "--", folder, failure=""):
        raise InputError(f"revision '{rev}' has no folder {folder}")

    def name(path: str) -> str:
        return f"{prefix}{path}" if prefix else display_name(top / path)

    rules = _workflows(lambda path: parse_source(name(path), _blob(top, rev, path, name(path))), workflows) \
        if _git(top, "ls-tree", rev, "--", workflows, failure="") else None
    sides: dict[str, Side] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            side = _side(parse_source(name(path), _blob(top, rev, path, name(path))), rules)
        except DefinitionError as exc:
            problems += exc.problems
            continue
        if side.form.id in sides:
            problems.append(side.source.problem(("id",), f"form id '{side.form.id}' is already used by "
                                                         f"{sides[side.form.id].source.file}"))
        sides[side.form.id] = side
    if problems:
        raise DefinitionError(problems)
    return sides


def text_side(name: str, text: str) -> Side:
    """A form from the text of a definition (a stored version, the file published now), without routing rows:
    what the admin pages compare. DefinitionError when the text is not a definition."""
    return _side(parse_source(name, text), None)


def _side(source: Source, workflows: Source | None) -> Side:
    """A definition read as stored snapshots are (the file format, not the rules of publishing), so that any
    version that was ever loaded can be compared."""
    form = build_definition(source, None, strict=False)
    return Side(form, source, _rows(workflows, form.routing), workflows)


def _workflows(read: Any, path: Any) -> Source | None:
    """The workflows file, parsed only: its rows are compared as written. Unreadable: routing rows are not."""
    try:
        source: Source = read(path)
    except DefinitionError:
        return None
    return source if isinstance(source.data, Mapping) else None


def _rows(workflows: Source | None, table: str | None) -> tuple[Mapping[str, Any], ...] | None:
    if workflows is None:
        return None
    tables = workflows.data.get("routing")
    rows = (tables.get(table, ()) if isinstance(tables, Mapping) else None) if table else ()
    return tuple(row for row in rows if isinstance(row, Mapping)) if isinstance(rows, list | tuple) else None


def _blob(top: Path, rev: str, path: str, name: str) -> str:
    content = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=top, capture_output=True, check=False).stdout
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DefinitionError([Problem(name, 1, f"not UTF-8 text ({exc.reason})")]) from None


def _inside(top: Path, path: Path) -> str:
    """A path of the working tree as git names it in a revision: relative to the repository's top, with /."""
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise InputError(f"{path} is not inside the git repository at {top}") from None


def _git(cwd: Path, *args: str, failure: str) -> str:
    """A git command's output, run at `cwd` (paths are the top's); InputError(`failure`) when it fails (an empty
    `failure`: empty output)."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        raise InputError("git is not installed: give two definition files") from None
    if done.returncode != 0:
        if not failure:
            return ""
        raise InputError(failure)
    return done.stdout
