"""The versioning rules, checked against the versions cases were filed under (the stored snapshots).

A version, once filed, keeps its text: a changed file takes a version above the last one filed. An id, once
filed, names that form for good: a file that keeps the id but neither the title (in either language) nor any
question of the last version filed is another form, and takes an id of its own (decision 0036).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .definitions import FormDefinition, definition_from_text
from .sources import DefinitionError, Problem, parse_source


@dataclass(frozen=True)
class StoredVersion:
    """A definition version cases were filed under, as the snapshots table keeps it."""

    form_id: str
    version: int
    sha256: str
    text: str | None = None  # kept for the last version filed of each form: whether the id now names another


def version_problems(forms: Iterable[FormDefinition], stored: Iterable[StoredVersion]) -> list[Problem]:
    """What in the loaded definitions breaks the versioning rules, at the `version:` line (or the `id:` line)."""
    by_form: dict[str, list[StoredVersion]] = {}
    for version in stored:
        by_form.setdefault(version.form_id, []).append(version)
    problems = []
    for form in forms:
        filed = by_form.get(form.id, [])
        if not filed or form.sha256 in {version.sha256 for version in filed}:
            continue  # never filed, or exactly a version filed (a rollback is fine)
        problem = _problem(form, filed)
        if problem is not None:
            source = parse_source(form.file, form.text)
            problems.append(source.problem((problem[0],), problem[1]))
    return problems


def _problem(form: FormDefinition, filed: list[StoredVersion]) -> tuple[str, str] | None:
    """The key (`id` or `version`) and the message of what is wrong with a text no case was filed under."""
    last = max(filed, key=lambda version: version.version)
    other = another_form(form, last)
    if other is not None:
        return "id", (f"form id '{form.id}' was filed for another form ({other}, version {last.version}): an id, "
                      "once filed, is never given to another form; give this one an id of its own")
    if any(version.version == form.version for version in filed):
        return "version", (f"version {form.version}: the text changed but the version did not (cases were filed "
                           f"under version {form.version} as it was): bump the version to {last.version + 1}")
    if form.version < last.version:
        return "version", (f"version {form.version} is below version {last.version}, the last one cases were "
                           f"filed under: a changed form takes version {last.version + 1}")
    return None


def another_form(form: FormDefinition, last: StoredVersion) -> str | None:
    """The stored form's title when `form` shares with it neither its title (in either language) nor any question
    key; None when they are one form, or when the stored text can no longer be read (then nothing is said)."""
    if last.text is None:
        return None
    try:
        stored = definition_from_text(last.text, f"snapshot {last.sha256[:12]}")
    except DefinitionError:
        return None
    same_title = form.title.pl == stored.title.pl or form.title.en == stored.title.en
    shared = {field.key for field in form.all_fields()} & {field.key for field in stored.all_fields()}
    return None if same_title or shared else f"'{stored.title.en}'"
