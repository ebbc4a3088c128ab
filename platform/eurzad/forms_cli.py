"""`eurzad forms check` and `eurzad forms diff`: what IT staff run on definitions before they publish them,
without an app, and with the configured database when there is one (never creating it)."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import Connection

from . import config
from .engine.definitions import check, definition_files, sample_path
from .engine.diff import FormDiff, Side, StoredAnswers, diff_forms
from .engine.sources import DefinitionError
from .engine.versions import version_problems
from .engine.workflows import stored_case_problems
from .revisions import InputError, file_sides, git_sides
from .samples_cli import missing_sample_problems, route_command, sample_runs, summary, test_command

WORKFLOWS_HELP = "The workflows file the definitions refer to (or EURZAD_WORKFLOWS_FILE)."


def _default_dir() -> Path:
    return Path(os.environ.get("EURZAD_DEFINITIONS_DIR") or config.PROJECT_ROOT / "form_definitions")


def _default_workflows() -> Path:
    return Path(os.environ.get("EURZAD_WORKFLOWS_FILE") or config.PROJECT_ROOT / "workflows.yaml")


@click.group("forms")
def forms_group() -> None:
    """Form definitions."""


forms_group.add_command(route_command)
forms_group.add_command(test_command)


@forms_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--workflows", "workflows_file", type=click.Path(path_type=Path), envvar="EURZAD_WORKFLOWS_FILE",
              default=config.PROJECT_ROOT / "workflows.yaml", show_default=True, help=WORKFLOWS_HELP)
@click.option("--strict", is_flag=True, help="For CI: run every form's samples too (`forms test`), and a form "
                                             "without samples is a problem, not a recommendation.")
def check_command(paths: tuple[Path, ...], workflows_file: Path, strict: bool) -> None:
    """Check definition files (default: all in EURZAD_DEFINITIONS_DIR or form_definitions/).

    Prints one `file:line: message` per problem and exits 1 when there is any. With a database, the
    workflows file and the definitions are also checked against the cases stored there. With --strict, the
    samples as well.
    """
    files = definition_files(paths or [_default_dir()])
    problems, forms, workflows = check(files, workflows_file, config.definitions_cache())
    with _database() as (connection, where):
        if connection is not None:
            from sqlalchemy.exc import SQLAlchemyError

            from .cases.stored import stored_cases, stored_versions
            try:
                stored, versions = stored_cases(connection), stored_versions(connection)
            except SQLAlchemyError as exc:
                connection, where = None, _unreadable(where, exc)
        if connection is None:
            click.echo(f"Stored cases not checked: {where}.", err=True)
        else:
            if workflows is not None:
                problems = sorted(stored_case_problems(workflows, stored)) + problems
            problems += version_problems(forms, versions)
            click.echo(f"Stored cases checked: {sum(group.count for group in stored)} in {where}.", err=True)
    if strict and workflows is not None:
        runs, missing = sample_runs(forms, workflows)
        problems += missing_sample_problems(missing) + [problem for run in runs for problem in run.problems]
        click.echo(f"Samples: {summary(runs, missing)}", err=True)
    for problem in problems:
        click.echo(str(problem))
    for form in forms if not strict else ():
        if not sample_path(form).is_file():
            click.echo(f"{form.file}: recommended: a golden sample, {sample_path(form)} (what a browser posts, "
                       "what is stored, where the case goes; the test suite then walks the whole form): "
                       "docs/form-definitions.md#golden-samples", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(files)} file(s).", err=True)
        sys.exit(1)
    click.echo(f"OK: {len(forms)} form(s), {workflows_file.name} fine.", err=True)


@forms_group.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--definitions", "folder", type=click.Path(path_type=Path),
              help="With two revisions: the definitions folder in them (default: EURZAD_DEFINITIONS_DIR, else "
                   "form_definitions/ at the top of the repository).")
@click.option("--workflows", "workflows_file", type=click.Path(path_type=Path),
              help="Where the routing tables are: with two files, the file both use; with two revisions, the file "
                   "in each (default: EURZAD_WORKFLOWS_FILE, else workflows.yaml at the top).")
def diff_command(old: str, new: str, folder: Path | None, workflows_file: Path | None) -> None:
    """What changed from OLD to NEW, two definition files or two git revisions (`forms diff main HEAD`).

    One line per change, `file:line: what`; a breaking change says why. Exits 0 when nothing breaks or all that
    breaks is declared in a bumped version, 1 otherwise, 2 when OLD or NEW cannot be read.
    """
    try:
        before, after = _sides(old, new, folder, workflows_file)
    except InputError as exc:
        click.echo(f"eurzad forms diff: {exc}", err=True)
        sys.exit(2)
    except DefinitionError as exc:
        click.echo(f"{exc}\nThe definitions above cannot be compared until they are fixed.", err=True)
        sys.exit(2)
    with _database() as (connection, where):
        stored = _answers(connection) if connection is not None else None
        diffs = [diff_forms(before.get(form_id), after.get(form_id), stored)
                 for form_id in sorted(before.keys() | after.keys())]
        click.echo(f"Stored cases {'checked in' if connection is not None else 'not checked:'} {where}.", err=True)
    _report(diffs)


def _answers(connection: Connection) -> StoredAnswers:
    """Whether stored filings of a form answered a question; a database that fails to answer says no."""
    from sqlalchemy.exc import SQLAlchemyError

    from .cases.stored import has_answer

    def stored(form_id: str, path: tuple[str, ...]) -> bool:
        try:
            return has_answer(connection, form_id, path)
        except SQLAlchemyError:
            return False
    return stored


def _sides(old: str, new: str, folder: Path | None, workflows: Path | None
           ) -> tuple[dict[str, Side], dict[str, Side]]:
    """Two files when both name files, else two revisions of the git repository around the working directory."""
    paths = Path(old), Path(new)
    if any(path.is_dir() for path in paths):
        raise InputError("give two definition files or two git revisions, not a folder (see --definitions)")
    if all(path.is_file() for path in paths):
        return file_sides(*paths, workflows or _default_workflows())
    for path in paths:  # one a file, or named as a file is (a revision never ends in .yaml): a file is missing
        if not path.is_file() and (any(other.is_file() for other in paths) or path.suffix in (".yaml", ".yml")):
            raise InputError(f"{path}: no such file")
    return git_sides(old, new, folder or _from_env("EURZAD_DEFINITIONS_DIR"), workflows or _from_env(
        "EURZAD_WORKFLOWS_FILE"))


def _from_env(name: str) -> Path | None:
    return Path(os.environ[name]) if os.environ.get(name) else None


def _report(diffs: list[FormDiff]) -> None:
    """Each form's changes on standard output; what to do about breaking ones on standard error; exit 1 when
    any breaking change is not accepted."""
    for diff in diffs:
        for line in diff.lines():
            click.echo(line)
    for diff in diffs:
        summary = diff.summary()
        if summary:
            click.echo(summary, err=True)
    if not any(diff.changes for diff in diffs):
        click.echo("No changes.", err=True)
    sys.exit(max((diff.status for diff in diffs), default=0))


@contextmanager
def _database() -> Iterator[tuple[Connection | None, str]]:
    """A connection to the configured database and its name (the password hidden); or None and why it cannot be
    read: no database yet, no tables yet, or out of reach. A database that does not exist is never made."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from . import models  # noqa: F401  (every table, so the Case model is complete)
    from .cases.models import Case
    try:
        url = make_url(config.database_url())
    except SQLAlchemyError as exc:
        yield None, f"SQLALCHEMY_DATABASE_URI is not a database URL ({exc})"
        return
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(config.instance_path() / url.database))  # relative: in instance/, as the app
    where = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        yield None, f"no database at {where} yet (`eurzad init` makes it)"
        return
    engine = create_engine(url, connect_args={"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {})
    try:
        try:
            connection = engine.connect()
            tables = inspect(connection).has_table(Case.__tablename__)
        except SQLAlchemyError as exc:
            yield None, _unreadable(where, exc)
            return
        with connection:
            empty = f"{where} has no cases yet (`eurzad init` makes its tables)"
            yield (connection, where) if tables else (None, empty)
    finally:
        engine.dispose()


def _unreadable(where: str, exc: Exception) -> str:
    return f"cannot read {where} ({str(getattr(exc, 'orig', None) or exc).splitlines()[0]})"
