"""Where a submission would go, and why: every row of its routing table, whether its condition holds for the
answers and, in words, the part of it that fails; the row that wins, the department, register and workflow.

The decision itself is `WorkflowConfig.route`'s alone: the explanation takes its winner from there and only
says of every row what its condition makes of the answers. The words come from here only, marked for Babel
and phrased by the caller's Translator: English on the command line, the page's language on the web.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Reason
from .definitions import FormDefinition
from .messages import N_, Translator
from .texts import Text
from .types import MISSING
from .workflows import Route, RoutingRow, WorkflowConfig


@dataclass(frozen=True)
class RowVerdict:
    """One row of a routing table for some answers: whether its condition holds, and why (or why not)."""

    row: RoutingRow
    holds: bool
    reasons: tuple[Reason, ...]  # why it fails, or why it holds; none for the catch-all row


@dataclass(frozen=True)
class RouteExplanation:
    """Every row of the table top to bottom and the route the engine picks (the first row that holds)."""

    route: Route
    rows: tuple[RowVerdict, ...]  # empty for a form without a routing table
    workflow: str
    workflow_title: Text | None = None  # None when workflows.yaml no longer has the workflow

    @property
    def register(self) -> str:
        """The case-number register the case is counted in: department and JRWA class (`DR.7230`)."""
        return f"{self.route.department}.{self.route.jrwa}"

    @property
    def winner(self) -> RowVerdict | None:
        """The row `route` picked; None without a routing table."""
        return next((verdict for verdict in self.rows if verdict.row.number == self.route.row), None)


def explain_route(config: WorkflowConfig, table: str | None, data: Mapping[str, Any], department: str,
                  jrwa: str, workflow: str) -> RouteExplanation:
    """Where answers go (`config.route`'s decision) and what each row of `table` makes of them."""
    rows = config.routing[table] if table is not None else ()
    verdicts = tuple(RowVerdict(row, True, ()) if row.when is None
                     else RowVerdict(row, row.when.matches(data),
                                     row.when.why(data) or row.when.why_not(data)) for row in rows)
    known = config.workflows.get(workflow)
    return RouteExplanation(config.route(table, data, department, jrwa), verdicts, workflow,
                            known.title if known else None)


def explain_form(config: WorkflowConfig, form: FormDefinition, data: Mapping[str, Any]) -> RouteExplanation | None:
    """Where a form's answers go, and why; None when its routing table is no longer in workflows.yaml (a case
    filed under an older version of the form)."""
    if form.routing is not None and form.routing not in config.routing:
        return None
    return explain_route(config, form.routing, data, form.service.department, form.service.jrwa, form.workflow)


@dataclass(frozen=True)
class Said:
    """A reason in words, with the reasons of its parts (of `any`, `not`) said under it."""

    text: str
    parts: tuple[Said, ...] = ()


def quoted_key(key: str) -> str:
    """A question named by its key, as the command line names it: 'topic'."""
    return f"'{key}'"


def question_labels(form: FormDefinition, tr: Translator) -> Callable[[str], str]:
    """Questions named as a page names them: by their label in quotes (a computed value by its key)."""
    def name(key: str) -> str:
        field = form.field(key)
        return tr.gettext(N_("“%(question)s”"), question=field.label.get(tr.locale)) if field else quoted_key(key)
    return name


CATCH_ALL = N_("no condition: it takes every submission the rows above leave")
"""What the last row of a table, which has no `when`, says of any answers."""

# (test, holds, answered) → the sentence; `empty` says whether an answer is there instead.
_FIELD_WORDS = {
    ("equals", True, True): N_("%(field)s is %(answer)s"),
    ("equals", False, True): N_("%(field)s is %(answer)s, not %(expected)s"),
    ("equals", False, False): N_("%(field)s has no answer, not %(expected)s"),
    ("in", True, True): N_("%(field)s is %(answer)s, one of %(expected)s"),
    ("in", False, True): N_("%(field)s is %(answer)s, not one of %(expected)s"),
    ("in", False, False): N_("%(field)s has no answer, not one of %(expected)s"),
    ("gt", True, True): N_("%(field)s is %(answer)s, more than %(expected)s"),
    ("gt", False, True): N_("%(field)s is %(answer)s, not more than %(expected)s"),
    ("gt", False, False): N_("%(field)s has no answer, not more than %(expected)s"),
    ("lt", True, True): N_("%(field)s is %(answer)s, less than %(expected)s"),
    ("lt", False, True): N_("%(field)s is %(answer)s, not less than %(expected)s"),
    ("lt", False, False): N_("%(field)s has no answer, not less than %(expected)s"),
    ("schema", True, True): N_("%(field)s is %(answer)s, which matches the schema %(expected)s"),
    ("schema", False, True): N_("%(field)s is %(answer)s, which does not match the schema %(expected)s"),
    ("schema", False, False): N_("%(field)s has no answer, so it does not match the schema %(expected)s"),
    ("empty", True, True): N_("%(field)s has an answer: %(answer)s"),
    ("empty", True, False): N_("%(field)s has no answer"),
}
_PARTS_WORDS = {
    "any": N_("none of these holds:"),
    "all": N_("these parts fail:"),
    "not": N_("this must not hold, and it does:"),
}


def say(reason: Reason, tr: Translator, name: Callable[[str], str] = quoted_key) -> Said:
    """A reason in words of `tr`'s language; `name` names a question by its key (its label on a page)."""
    if reason.parts or reason.test in _PARTS_WORDS:
        return Said(tr.gettext(_PARTS_WORDS[reason.test]), tuple(say(part, tr, name) for part in reason.parts))
    answered = reason.answer is not MISSING and reason.answer is not None and reason.answer not in ("", [], {})
    if reason.test == "empty":
        words = _FIELD_WORDS[("empty", True, answered)]
    else:
        words = _FIELD_WORDS[(reason.test, reason.holds, answered or reason.holds)]
    expected = (", ".join(literal(value) for value in reason.operand) if reason.test == "in"
                else literal(reason.operand))
    return Said(tr.gettext(words, field=name(reason.field), answer=literal(reason.answer), expected=expected))


def said_rows(explanation: RouteExplanation, tr: Translator, name: Callable[[str], str] = quoted_key
              ) -> tuple[tuple[RowVerdict, tuple[Said, ...]], ...]:
    """Every row of an explanation with its reasons in words; the catch-all row says that it takes the rest."""
    return tuple((verdict, tuple(say(reason, tr, name) for reason in verdict.reasons)
                  or (Said(tr.gettext(CATCH_ALL)),)) for verdict in explanation.rows)


def literal(value: Any) -> str:
    """A value as the definition's YAML could write it, in JSON: "finances", 12, true, {"const": "x"}."""
    return json.dumps(value, ensure_ascii=False, default=str)
