"""The facts of a form's service card and where an anonymous sender's contact address comes from."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .deadlines import before_date, paused_due_date
from .texts import Text


@dataclass(frozen=True)
class Service:
    """Facts of the service card (karta usługi)."""

    department: str
    jrwa: str
    legal_basis: Text
    fee: Text
    deadline_days: int | None
    deadline_months: int | None
    deadline_note: Text | None
    without_undue_delay: bool = False  # KPA art. 35 §1-2: no date of its own; at the latest a month (§3)
    category: str | None = None  # the catalogue's group: a key of `categories` in workflows.yaml
    before_field: str | None = None  # deadline.before: `before_days` before the date answered to this question
    before_days: int = 0
    before_label: Text | None = None  # that question's label, for the service card

    @property
    def limit(self) -> tuple[int | None, int | None]:
        """The time limit as (days, months) to count from the filing: a case to be dealt with without undue
        delay counts the outer limit of art. 35 §3, one month, and so does one dated by an answer that is
        missing (a snapshot older than the rule)."""
        if self.without_undue_delay or self.deadline_days is None and self.deadline_months is None:
            return (None, 1)
        return (self.deadline_days, self.deadline_months)

    def due(self, filed: date, answers: Mapping[str, Any], paused_days: int = 0) -> date:
        """By when the office must deal with a case filed on `filed` with these answers. Counted from the
        filing (KPA art. 57, with the days the office waited added: art. 35 §5); with `before`, back from the
        date answered (waiting does not move an event), or the earlier of the two when the form has both;
        never earlier than the filing."""
        counted = paused_due_date(filed, *self.limit, paused_days)
        if self.before_field is None:
            return counted
        answer: Any = answers
        for part in self.before_field.split("."):
            answer = answer.get(part) if isinstance(answer, Mapping) else None
        try:
            event = before_date(date.fromisoformat(str(answer)), self.before_days)
        except ValueError:  # no date answered (a snapshot older than the rule): the time limit counted
            return counted
        alone = self.deadline_days is None and self.deadline_months is None and not self.without_undue_delay
        return max(filed, event if alone else min(event, counted))


@dataclass(frozen=True)
class Contact:
    """Where the e-mail address of a sender without an account comes from (the definition's `contact`)."""

    field: str | None = None  # the key of the form's own e-mail question; None: the summary page asks for one
    optional: bool = False  # the sender may give none: nothing is e-mailed, the tracking link is shown to keep

    def address(self, data: Mapping[str, Any]) -> str | None:
        """The contact address among these answers, when the form's own question gives it."""
        value: Any = data
        for part in (self.field or "").split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value.strip() if self.field and isinstance(value, str) and value.strip() else None
