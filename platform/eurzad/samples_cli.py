"""`eurzad forms route` and `eurzad forms test`: where a form's answers go and why, and its samples run as
tests; and the samples part of `forms check --strict`: what administrators run before publishing."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

import click
from babel.support import NullTranslations, Translations

from . import config
from .engine.definitions import FormDefinition, check, definition_files, sample_path
from .engine.messages import Translator
from .engine.routing import RouteExplanation, Said, explain_form, said_rows
from .engine.sample_runs import SampleRun, run_samples
from .engine.samples import answers, read_answers_file
from .engine.sources import DefinitionError, Problem, parse_source
from .engine.validation import failures
from .engine.workflows import WorkflowConfig

ENGLISH = Translator("en", NullTranslations())
"""The command line speaks English: the engine's words as written, untranslated."""
TRANSLATIONS = Path(__file__).parent / "translations"

workflows_option = click.option(
    "--workflows", "workflows_file", type=click.Path(path_type=Path), envvar="EURZAD_WORKFLOWS_FILE",
    default=config.PROJECT_ROOT / "workflows.yaml", show_default=True,
    help="The workflows file the definitions refer to (or EURZAD_WORKFLOWS_FILE).")


def definitions_dir() -> Path:
    """The definitions the app loads: EURZAD_DEFINITIONS_DIR, else form_definitions/ of the checkout."""
    return Path(os.environ.get("EURZAD_DEFINITIONS_DIR") or config.PROJECT_ROOT / "form_definitions")


@click.command("route")
@click.argument("form")
@click.argument("sample", type=click.Path(path_type=Path))
@workflows_option
def route_command(form: str, sample: Path, workflows_file: Path) -> None:
    """Where a form's answers would go, and why: every routing row, whether it holds and what fails.

    FORM is a form id of the definitions (EURZAD_DEFINITIONS_DIR or form_definitions/) or a definition file;
    SAMPLE a YAML file of answers: a sample file (its golden sample) or a plain mapping, question: answer.
    """
    definition, workflows = _load_form(form, workflows_file)
    try:
        source, given = read_answers_file(sample, definition)
    except DefinitionError as exc:
        _stop(exc.problems)
    kept = answers(definition, given)
    explanation = explain_form(workflows, definition, kept | definition.computed_values(kept))
    assert explanation is not None  # the check found its routing table in the workflows file
    click.echo(f"{definition.id} (version {definition.version}), the answers in {source.file}:")
    left_out = sorted(set(given.data or ()) - set(kept) - {value.name for value in definition.computed})
    if given.post is None and left_out:
        click.echo("Left out, as a citizen with these answers is not asked them: "
                   + ", ".join(f"'{key}'" for key in left_out))
    refused = failures(definition, kept, ENGLISH, today=date.today())
    if refused:
        click.echo("These answers would be refused as they are; where they would go once corrected:")
        for key, failure in refused.items():
            click.echo(f"    '{key}': {failure.message}")
    for line in explanation_lines(explanation, workflows):
        click.echo(line)


def explanation_lines(explanation: RouteExplanation, workflows: WorkflowConfig) -> list[str]:
    """The explanation as the command line prints it: each row with ✓ or ✗ and its reasons, then the outcome."""
    route = explanation.route
    if route.table is None:
        lines = ["No routing table: every case goes to the form's own department."]
    else:
        lines = [f"Routing table '{route.table}', read top to bottom; the first row that holds wins:"]
    for verdict, said in said_rows(explanation, ENGLISH):
        note = f" ({verdict.row.note.en})" if verdict.row.note else ""
        wins = "  ← wins" if verdict is explanation.winner else ""
        lines.append(f"{'✓' if verdict.holds else '✗'} row {verdict.row.number} → {verdict.row.department}"
                     f"{note}{wins}")
        lines += [line for part in said for line in _indented(part, 1)]
    department, title = workflows.departments[route.department], explanation.workflow_title
    lines += [f"Department: {route.department}, {department.name.en}",
              f"Register: {explanation.register} (case numbers {explanation.register}.<number>.<year>)",
              f"Workflow: {explanation.workflow}" + (f", {title.en}" if title else "")]
    return lines


def _indented(said: Said, depth: int) -> list[str]:
    return [f"{'    ' * depth}{'- ' if depth > 1 else ''}{said.text}",
            *(line for part in said.parts for line in _indented(part, depth + 1))]


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@workflows_option
def test_command(paths: tuple[Path, ...], workflows_file: Path) -> None:
    """Run every sample of every form: valid ones must be accepted and go where they say, invalid ones fail.

    Prints `file:line: what happened instead` for each sample that behaves otherwise, then a summary; exits
    1 when there is any (or when a definition has problems).
    """
    files = definition_files(paths or [definitions_dir()])
    problems, forms, workflows = check(files, workflows_file)
    runs, missing = sample_runs(forms, workflows) if workflows is not None else ([], [])
    for problem in problems + [problem for run in runs for problem in run.problems]:
        click.echo(str(problem))
    click.echo(summary(runs, missing, len(problems)), err=True)
    if problems or any(run.failed for run in runs):
        sys.exit(1)


def sample_runs(forms: Iterable[FormDefinition], workflows: WorkflowConfig
                ) -> tuple[list[SampleRun], list[FormDefinition]]:
    """The samples of every form run, and the forms that have none."""
    tr, today = polish(), date.today()
    runs, missing = [], []
    for form in forms:
        run = run_samples(form, workflows, tr, today)
        if run is None:
            missing.append(form)
        else:
            runs.append(run)
    return runs, missing


def missing_sample_problems(forms: Iterable[FormDefinition]) -> list[Problem]:
    """A form without samples, as `forms check --strict` reports it: at its `id` line."""
    return [parse_source(form.file, form.text).problem(("id",), f"no samples: write {sample_path(form)} "
                                                                  "(docs/form-definitions.md#samples-as-tests)")
            for form in forms]


def summary(runs: Sequence[SampleRun], missing: Sequence[FormDefinition], definition_problems: int = 0) -> str:
    """The last line of `forms test`: how many samples ran and how many behave otherwise."""
    total, failed = sum(run.samples for run in runs), sum(run.failed for run in runs)
    line = (f"{failed} of {total} sample(s) behave otherwise" if failed
            else f"OK: {total} sample(s) behave as written") + f", in {len(runs)} form(s)"
    if missing:
        line += f"; {len(missing)} form(s) without samples ({', '.join(form.id for form in missing)})"
    if definition_problems:
        line += f"; {definition_problems} problem(s) in the definitions (their samples not run)"
    return line + "."


def polish() -> Translator:
    """The Polish messages samples quote; stops when the catalog is not compiled (`make install` does it)."""
    translations = Translations.load(str(TRANSLATIONS), ["pl"])
    if not isinstance(translations, Translations):
        raise click.ClickException(f"no compiled Polish catalog in {TRANSLATIONS}: run `make install`")
    return Translator("pl", translations)


def _load_form(form: str, workflows_file: Path) -> tuple[FormDefinition, WorkflowConfig]:
    """The form named by id (among the definitions) or by file, and the workflows; stops with exit 2 if not."""
    named = Path(form)
    as_file = named.suffix in (".yaml", ".yml") or named.is_file()
    problems, forms, workflows = check([named] if as_file else definition_files([definitions_dir()]), workflows_file)
    found = forms[0] if as_file and forms else next((f for f in forms if f.id == form), None)
    if workflows is None or found is None:
        ids = ", ".join(sorted(f.id for f in forms)) or "none"
        _stop(problems if as_file or workflows is None else
              [*problems, Problem(str(definitions_dir()), 0, f"no form '{form}' here (forms: {ids})")])
    return found, workflows


def _stop(problems: Iterable[Problem]) -> NoReturn:
    """Bad input: each problem as `file:line: message` on standard error, exit status 2, no traceback."""
    for problem in problems:
        click.echo(str(problem) if problem.line else f"{problem.file}: {problem.message}", err=True)
    sys.exit(2)
