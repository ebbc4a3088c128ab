"""A published form's later life: the breaking changes each version declares, and its withdrawal."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .sources import Problem, Source
from .texts import Text


@dataclass(frozen=True)
class Withdrawal:
    """From `since` (the office's date) the form takes no new drafts; its note says why and what to use instead."""

    since: date
    note: Text

    def applies(self, today: date) -> bool:
        """Whether the form is withdrawn on this day (a withdrawal may be written before its day comes)."""
        return today >= self.since


@dataclass(frozen=True)
class Declared:
    """One version's breaking changes, declared by whoever made them: what each touches, and a note why."""

    version: int
    breaking: tuple[str, ...]
    note: Text


def withdrawal_of(data: Mapping[str, Any]) -> Withdrawal | None:
    """The definition's `withdrawn`, or None; a day that does not exist counts as none (forms check says so)."""
    withdrawn = data.get("withdrawn")
    if withdrawn is None:
        return None
    try:
        return Withdrawal(date.fromisoformat(withdrawn["since"]), Text.of(withdrawn["note"]))
    except ValueError:
        return None


def declared_of(data: Mapping[str, Any]) -> tuple[Declared, ...]:
    """The definition's `changes`, in the order written."""
    return tuple(Declared(entry["version"], tuple(entry["breaking"]), Text.of(entry["note"]))
                 for entry in data.get("changes", ()))


def declared_between(changes: Iterable[Declared], old: int, new: int) -> frozenset[str]:
    """What the versions after `old` up to `new` declare as breaking: a diff may span several versions."""
    return frozenset(entry for change in changes if old < change.version <= new for entry in change.breaking)


def lifecycle_problems(source: Source) -> list[Problem]:
    """`withdrawn.since` is a day of the calendar; every `changes` entry is of a version up to the form's, once."""
    data = source.data
    problems = []
    withdrawn = data.get("withdrawn")
    if withdrawn is not None and withdrawal_of(data) is None:
        problems.append(source.problem(("withdrawn", "since"),
                                       f"withdrawn.since: '{withdrawn['since']}' is not a day of the calendar"))
    seen: set[int] = set()
    for index, entry in enumerate(data.get("changes", ())):
        if entry["version"] > data["version"]:
            problems.append(source.problem(("changes", index, "version"),
                                           f"changes[{index}]: version {entry['version']} is above the form's "
                                           f"version {data['version']}: declare the changes of a version in it"))
        elif entry["version"] in seen:
            problems.append(source.problem(("changes", index, "version"),
                                           f"changes[{index}]: version {entry['version']} is declared twice: "
                                           "list all its breaking changes in one entry"))
        seen.add(entry["version"])
    return problems
