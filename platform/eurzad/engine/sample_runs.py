"""Samples as tests: every sample of a form read, validated and routed by the engine's own code (as a citizen's
sending is), and each that behaves otherwise than its file says reported at the line of the entry it
contradicts, with what happened instead."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import rfc8785

from .definitions import FormDefinition, sample_path
from .journey import walk
from .messages import Translator
from .routing import literal
from .samples import Sample, answers, is_keyword, read_samples, unknown_fields
from .sources import DefinitionError, JsonPath, Problem, Source, display_name
from .validation import Failure, failures
from .workflows import Route, WorkflowConfig


@dataclass(frozen=True)
class SampleRun:
    """What running the samples of one form found: how many there are, how many behave otherwise, and why."""

    form: FormDefinition
    file: str
    samples: int
    failed: int  # samples that behave otherwise (a file that cannot be read counts as one)
    problems: tuple[Problem, ...]


def run_samples(form: FormDefinition, workflows: WorkflowConfig, tr: Translator, today: date) -> SampleRun | None:
    """Run every sample of a form, in file order; None when the form has no sample file. `tr` must be Polish:
    samples quote the Polish messages."""
    path = sample_path(form)
    if not path.is_file():
        return None
    try:
        source, samples = read_samples(path)
    except DefinitionError as exc:
        return SampleRun(form, display_name(path), 0, 1, exc.problems)
    found = [run_sample(form, workflows, source, sample, tr, today) for sample in samples]
    return SampleRun(form, source.file, len(samples), sum(1 for problems in found if problems),
                     tuple(problem for problems in found for problem in problems))


def run_sample(form: FormDefinition, workflows: WorkflowConfig, source: Source, sample: Sample, tr: Translator,
               today: date) -> list[Problem]:
    """What the engine does otherwise than one sample says; empty when it behaves as written."""
    problems = unknown_fields(form, source, sample)
    if problems:
        return problems
    kept = answers(form, sample)
    found = failures(form, kept, tr, required=walk(form.pages, kept).required, today=today)
    if not sample.valid:
        return _not_refused(source, sample, found)
    problems = [source.problem(_answer_at(sample, key), f"{sample.what}: '{key}' is refused: it fails "
                                                        f"{_keywords(failure)} (\"{failure.message}\")")
                for key, failure in found.items()]
    stored = kept | form.computed_values(kept)  # as filing stores and routes them
    if sample.post is not None and sample.data is not None:
        problems += _stored_otherwise(source, sample, stored)
    route = workflows.route(form.routing, stored, form.service.department, form.service.jrwa)
    if route.department != sample.department:
        problems.append(source.problem(sample.at + ("department",), f"{sample.what}: goes to {route.department} "
                                                                    f"({_by(route)}), not {sample.department}"))
    if sample.row is not None and route.row != sample.row:
        otherwise = (f"wins by row {route.row} of routing table '{route.table}'" if route.table
                     else "the form has no routing table, so no row wins")
        problems.append(source.problem(sample.at + ("row",), f"{sample.what}: {otherwise}, not row {sample.row}"))
    return problems


def _not_refused(source: Source, sample: Sample, found: Mapping[str, Failure]) -> list[Problem]:
    """Each question an invalid sample names that does not fail as it says."""
    problems = []
    for key, expected in sample.errors.items():
        failure, keyword = found.get(key), is_keyword(expected)
        if failure is None:
            wanted = expected if keyword else f'"{expected}"'
            problem = f"'{key}' is accepted, but must fail with {wanted}"
        elif keyword and expected not in failure.keywords:
            problem = f"'{key}' fails {_keywords(failure)} (\"{failure.message}\"), not {expected}"
        elif not keyword and failure.message != expected:
            problem = f"'{key}' shows \"{failure.message}\", not \"{expected}\""
        else:
            continue
        problems.append(source.problem(sample.at + ("errors", key), f"{sample.what}: {problem}"))
    return problems


def _stored_otherwise(source: Source, sample: Sample, stored: Mapping[str, Any]) -> list[Problem]:
    """Each top-level answer the engine stores otherwise than the sample's `data` says."""
    expected = sample.data or {}
    problems = []
    for key in [*expected, *(key for key in stored if key not in expected)]:
        if key in expected and key in stored and _same(expected[key], stored[key]):
            continue
        if key not in stored:
            problem = f"stores no '{key}' (not asked with these answers, or left empty), but data: has it"
        elif key not in expected:
            problem = f"stores '{key}' as {literal(stored[key])}, which data: lacks"
        else:
            problem = f"stores '{key}' as {literal(stored[key])}, not {literal(expected[key])}"
        problems.append(source.problem(sample.data_at + (key,), f"{sample.what}: {problem}"))
    return problems


def _same(expected: Any, stored: Any) -> bool:
    """Equal as the filed JSON is written (RFC 8785, as the submission's digest counts it): 132 is 132.0, but
    true is not 1."""
    return bool(rfc8785.dumps(expected) == rfc8785.dumps(stored))


def _answer_at(sample: Sample, key: str) -> JsonPath:
    """Where a sample gives the answer to a question: its input in `post`, its value in `data`."""
    if sample.post is not None:
        return sample.at + ("post", key.replace(".", "-"))
    return sample.data_at + tuple(int(part) if part.isdigit() else part for part in key.split("."))


def _keywords(failure: Failure) -> str:
    return ", ".join(sorted(failure.keywords))


def _by(route: Route) -> str:
    return (f"routing table '{route.table}' row {route.row}" if route.table
            else "the form's own department: it has no routing table")
