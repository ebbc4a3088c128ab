"""`eurzad forms diff`: what changed between two versions of a form — per question, page, condition, routing
row and service fact — and whether it may be published: a breaking change needs a bumped version whose
`changes` entry declares it (decision 0036). Pure: the caller reads the files, git and the database."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .definitions import FormDefinition
from .diff_questions import NONE, Change, Changes, StoredAnswers, question_changes, schema_path, show, text_change
from .journey import Page
from .lifecycle import declared_between
from .sources import JsonPath, Source

__all__ = ["Change", "FormDiff", "Side", "StoredAnswers", "diff_forms"]

FORM_TEXTS: tuple[JsonPath, ...] = (("title",), ("description",), ("keywords",), ("ui", "lead"), ("ui", "submit"),
                                    ("ui", "declaration"), ("ui", "privacy_notice"))
FORM_FACTS: tuple[JsonPath, ...] = (("workflow",), ("assurance",), ("contact",))
SERVICE_TEXTS = {"legal_basis", "fee", "note"}
ROW_KEYS = ("when", "department", "jrwa", "note")
REMOVED_FORM = ("drafts in progress can no longer be sent, and its cases lose its title: keep the file and "
                "withdraw the form (withdrawn:) instead")


@dataclass(frozen=True)
class Side:
    """One version of a form: its definition, its parsed file (for lines), and its routing table's rows as
    written in that version's workflows file (None: not read)."""

    form: FormDefinition
    source: Source
    routing: Sequence[Mapping[str, Any]] | None = None
    workflows: Source | None = None


@dataclass(frozen=True)
class FormDiff:
    """The changes of one form, in the order its NEW file reads, and what the NEW version declares."""

    form_id: str
    old_version: int | None
    new_version: int | None
    changes: tuple[Change, ...]
    declared: frozenset[str] = frozenset()

    @property
    def bumped(self) -> bool:
        return self.old_version is not None and self.new_version is not None and self.new_version > self.old_version

    def accepted(self, change: Change) -> bool:
        """A breaking change is accepted when a `changes` entry of a version after OLD's, up to NEW's, names it
        (so never in a version that was not bumped)."""
        return change.declare is not None and change.declare in self.declared

    @property
    def refused(self) -> list[Change]:
        return [change for change in self.changes if change.breaking and not self.accepted(change)]

    @property
    def status(self) -> int:
        """0: nothing breaks, or all that breaks is declared in a bumped version; 1: otherwise."""
        return 1 if self.refused else 0

    def lines(self) -> list[str]:
        """One line per change, `file:line: subject: what`, and for a breaking one why and what to do."""
        return [_line(change, self) for change in self.changes]

    def summary(self) -> str | None:
        """What to do about the breaking changes, or None when nothing breaks."""
        breaking = [change for change in self.changes if change.breaking]
        if not breaking:
            return None
        if not self.refused:
            return f"{self.form_id}: {len(breaking)} breaking change(s), declared for version {self.new_version}."
        if self.old_version is not None and self.new_version is not None and not self.bumped:
            return (f"{self.form_id}: {len(breaking)} breaking change(s) but version {self.new_version} was not "
                    "bumped: bump the version, then declare them under `changes`.")
        return (f"{self.form_id}: {len(self.refused)} breaking change(s) not declared: list them under `changes` "
                "(docs/form-definitions.md#changing-a-published-form).")


def _line(change: Change, diff: FormDiff) -> str:
    where = f"{change.file}:{change.line}" if change.line else change.file
    text = f"{where}: {change.subject}: {change.what}"
    if not change.breaking:
        return text
    text += f" — BREAKING: {change.breaking}"
    if change.declare is None:
        return text
    if diff.accepted(change):
        return f"{text} (declared)"
    if diff.bumped:
        return f"{text} (not declared: list '{change.declare}' under changes, version {diff.new_version})"
    return f"{text} (bump the version, then declare '{change.declare}')"


def diff_forms(old: Side | None, new: Side | None, stored: StoredAnswers | None = None) -> FormDiff:
    """Compare two versions of a form; a side is None when the form is not in that revision."""
    if new is None:
        assert old is not None
        change = Change(old.source.file, None, f"form '{old.form.id}'", "removed", REMOVED_FORM)
        return FormDiff(old.form.id, old.form.version, None, (change,))
    out = Changes(new.source, new.form.id, stored)
    if old is None:
        out.add(("id",), f"form '{new.form.id}'", f"added (version {new.form.version})")
        return FormDiff(new.form.id, None, new.form.version, tuple(out.found))
    _form(old, new, out)
    question_changes(old.form, new.form, out)
    _pages(old, new, out)
    _routing(old, new, out)
    ordered = sorted(out.found, key=lambda change: (change.file != new.source.file, change.line or 0))
    return FormDiff(new.form.id, old.form.version, new.form.version, tuple(ordered),
                    declared_between(new.form.changes, old.form.version, new.form.version))


def _get(data: Any, path: Iterable[str | int]) -> Any:
    for part in path:
        if not isinstance(data, Mapping) or part not in data:
            return NONE
        data = data[part]
    return data


def _form(old: Side, new: Side, out: Changes) -> None:
    """The form's id, version, texts, facts, service card, computed values and withdrawal."""
    subject = f"form '{new.form.id}'"
    if old.form.id != new.form.id:
        out.add(("id",), subject, f"id '{old.form.id}' → '{new.form.id}'",
                "a new id is a new form: cases and drafts name their form by its id")
    versions = old.form.version, new.form.version
    if versions[1] < versions[0]:
        out.add(("version",), subject, f"version {versions[0]} → {versions[1]}",
                "a version never goes down: cases filed under the higher one would look newer than this")
    elif versions[1] > versions[0]:
        out.add(("version",), subject, f"version {versions[0]} → {versions[1]}")
    elif old.form.text != new.form.text:  # even a comment: the text cases were filed under is another now
        out.add(("version",), subject, f"version {versions[0]}, not bumped")
    for path in FORM_TEXTS:
        change = text_change(_get(old.source.data, path), _get(new.source.data, path))
        if change:
            out.add(path, subject, f"{'.'.join(map(str, path))} {change}")
    for path in FORM_FACTS:
        before, after = _get(old.source.data, path), _get(new.source.data, path)
        if before != after:
            out.add(path, subject, f"{path[0]} {show(before)} → {show(after)}")
    _withdrawal(old.form, new.form, subject, out)
    _service(old.source.data["service"], new.source.data["service"], ("service",), out)
    computed = old.source.data.get("computed", {}), new.source.data.get("computed", {})
    for name in [*computed[1], *(n for n in computed[0] if n not in computed[1])]:
        before, after = computed[0].get(name, NONE), computed[1].get(name, NONE)
        if before != after:
            what = "added" if before is NONE else "removed" if after is NONE else "changed"
            out.add(("computed", name), f"computed value '{name}'", what)


def _withdrawal(old: FormDefinition, new: FormDefinition, subject: str, out: Changes) -> None:
    if old.withdrawn == new.withdrawn:
        return
    if new.withdrawn is None:
        out.add(("withdrawn",), subject, "no longer withdrawn")
    elif old.withdrawn is None or old.withdrawn.since != new.withdrawn.since:
        out.add(("withdrawn", "since"), subject, f"withdrawn from {new.withdrawn.since.isoformat()}")
    else:
        out.add(("withdrawn", "note"), subject, "withdrawal note changed")


def _service(old: Mapping[str, Any], new: Mapping[str, Any], at: JsonPath, out: Changes) -> None:
    """Each fact of the service card (the deadline's parts one by one)."""
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key, NONE), new.get(key, NONE)
        if before == after:
            continue
        name = ".".join(map(str, at[1:] + (key,)))
        if key == "deadline" and isinstance(before, Mapping) and isinstance(after, Mapping):
            _service(before, after, at + (key,), out)
        elif key in SERVICE_TEXTS:
            out.add(at + (key,), "service", f"{name} {text_change(before, after)}")
        else:
            out.add(at + (key,), "service", f"{name} {show(before)} → {show(after)}")


def _pages(old: Side, new: Side, out: Changes) -> None:
    """Pages by id: removed, added, asking other questions, retitled, with changed conditions, reordered."""
    before = {page.id: page for page in old.form.pages}
    after = {page.id: page for page in new.form.pages}
    specs = _specs(old.source), _specs(new.source)
    for page_id in before.keys() - after.keys():
        out.add(("ui", "pages"), f"page '{page_id}'", "removed")
    for page in new.form.pages:
        at, subject = _page_at(new.source, page), f"page '{page.id}'"
        asks = ", ".join(field.key for field in page.fields)
        if page.id not in before:
            out.add(at, subject, f"added (asks {asks})")
            continue
        was = ", ".join(field.key for field in before[page.id].fields)
        if asks != was:
            out.add(at + ("fields",), subject, f"now asks {asks} (was {was})")
        change = text_change(_get(specs[0].get(page.id), ("title",)), _get(specs[1].get(page.id), ("title",)))
        if change:
            out.add(at + ("title",), subject, f"title {change}")
        for word, what in (("visible_if", "condition visible_if"), ("next", "skip routes next")):
            old_value, new_value = _get(specs[0].get(page.id), (word,)), _get(specs[1].get(page.id), (word,))
            if old_value != new_value:
                out.add(at + (word,), subject, f"{what} {show(old_value)} → {show(new_value)}",
                        None if new_value is NONE else _skips(page, word, out), f"page {page.id}")
    order = [page.id for page in old.form.pages if page.id in after], [p.id for p in new.form.pages if p.id in before]
    if order[0] != order[1]:
        out.add(("ui", "pages"), "pages", f"now in the order {', '.join(order[1])} (was {', '.join(order[0])})")


def _skips(page: Page, word: str, out: Changes) -> str:
    """Why a page condition or skip route added or changed breaks: whom it was asked may now be spared it."""
    stored = word == "visible_if" and any(out.has_answers(field.path) for field in page.fields)
    return (f"may now skip {'it' if word == 'visible_if' else 'the pages after it'} for someone it was asked "
            "before: later cases may lack answers earlier ones have" + ("; stored cases have them" if stored else ""))


def _specs(source: Source) -> dict[str, Mapping[str, Any]]:
    return {spec["id"]: spec for spec in source.data["ui"].get("pages", ())}


def _page_at(source: Source, page: Page) -> JsonPath:
    """Where a page is written: its `ui.pages` entry, or for a page of its own the question's schema."""
    if "pages" in source.data["ui"]:
        return ("ui", "pages", page.number - 1)
    return schema_path(source, page.fields[0].path)


def _routing(old: Side, new: Side, out: Changes) -> None:
    """The routing table named, and its rows one by one by position (the first row that matches wins)."""
    if old.form.routing != new.form.routing:
        out.add(("routing",), f"form '{new.form.id}'", f"routing {show(old.form.routing or NONE)} → "
                f"{show(new.form.routing or NONE)}")
    if old.routing is None or new.routing is None or new.workflows is None:
        return
    table = new.form.routing
    for index in range(max(len(old.routing), len(new.routing))):
        subject = f"routing row {index + 1} of '{table or old.form.routing}'"
        at: JsonPath = ("routing", table or "", index)
        if index >= len(new.routing):
            out.add(at, subject, "removed", source=new.workflows)
            continue
        row = new.routing[index]
        if index >= len(old.routing):
            out.add(at, subject, f"added: {show(row.get('when', NONE))} → {show(row.get('department', NONE))}",
                    source=new.workflows)
            continue
        for key in ROW_KEYS:
            before, after = old.routing[index].get(key, NONE), row.get(key, NONE)
            if before != after:
                what = text_change(before, after) if key == "note" else f"{show(before)} → {show(after)}"
                out.add(at + (key,), subject, f"{key} {what}", source=new.workflows)
