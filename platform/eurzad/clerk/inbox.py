"""The clerk's inbox as queries: the filters read from the address and checked, and the SQL that lists, counts
and pages a department's cases by them (measured at 1,000,000 cases by bench/inbox.py; decision 0027).

Nothing here reads the request or the session: the view passes the arguments and the scope in.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, func, literal, or_, select, union
from sqlalchemy.orm import aliased, joinedload

from ..auth.models import Role, User, UserRole
from ..cases.models import Case, CaseEvent, CaseNumber, Submission
from ..cases.supplements import MOVES, answered_last
from ..engine.messages import N_
from ..engine.workflows import WorkflowConfig

VIEWS = ("all", "mine", "unassigned", "overdue")
SORTS = ("deadline", "newest", "oldest")
OPEN = "open"
"""The state filter's value for every case not yet closed (a state of any class but `terminal`)."""
NOBODY = "none"
"""The clerk filter's value for the cases nobody handles yet."""
COUNT_CAP = 1000
"""Counts stop here: a tab says "1000+" rather than count a department's whole history (decision 0027)."""
HANDLERS = (Role.CLERK.value, Role.HEAD.value)
MAX_PAGE = 10_000
MAX_QUERY = 100
NUMBER = re.compile(r"^[^\s.]+\.\d+\.\d+\.\d{4}$")
"""A search that looks like a case number (DEPT.JRWA.SEQ.YEAR) looks for numbers, any other for names."""
WORD_GAPS = (" ", "-")
"""What starts a word of a name after its first: a space, or the hyphen of a double surname (Żak-Nowak)."""


@dataclass(frozen=True)
class Choices:
    """What the filters may name: the states of the workflows, the forms, the staff of the department."""

    states: Collection[str]
    forms: Collection[str]
    assignees: Collection[int]


@dataclass(frozen=True)
class Filters:
    """A clerk's choice of cases, read from the address; a value that could not be used is left out and its
    message is in `ignored`."""

    view: str = "all"
    state: str = ""  # "" any, OPEN, or a state's name
    form: str = ""
    assignee: str = ""  # "" anyone, NOBODY, or a clerk's id
    received_from: date | None = None
    received_to: date | None = None
    query: str = ""
    sort: str = ""  # "" is the view's own order (`order`)
    page: int = 1
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @property
    def order(self) -> str:
        """The order the list is in: the one chosen, else by deadline for one's own and overdue cases (what
        is due first is done first) and newest first for the others."""
        return self.sort or ("deadline" if self.view in ("mine", "overdue") else "newest")

    @property
    def narrowed(self) -> bool:
        """Whether anything but the view, the order and the page narrows the list."""
        return bool(self.state or self.form or self.assignee or self.received_from or self.received_to
                    or self.query)

    def args(self, **changes: object) -> dict[str, str]:
        """The filters as the address's arguments (defaults left out): the links to other views and pages
        keep them. `changes` replaces fields first (`view=`, `page=`)."""
        chosen = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        values = {"view": chosen.view if chosen.view != "all" else "", "state": chosen.state, "form": chosen.form,
                  "assignee": chosen.assignee, "from": _iso(chosen.received_from),
                  "to": _iso(chosen.received_to), "q": chosen.query, "sort": chosen.sort,
                  "page": str(chosen.page) if chosen.page > 1 else ""}
        return {name: value for name, value in values.items() if value}


def read_filters(args: Mapping[str, str], choices: Choices) -> Filters:
    """The filters in the address's arguments. A value the inbox cannot use (an unknown view, state, form or
    clerk, a date that is no date, a page that is no page) is ignored, never an error: the list is shown
    without it and the page says what was ignored."""
    ignored: list[str] = []

    def pick(name: str, allowed: Collection[str], message: str) -> str:
        value = args.get(name, "").strip()
        if value and value not in allowed:
            ignored.append(message)
            return ""
        return value

    view = pick("view", VIEWS, N_("The view asked for does not exist: all the department's cases are shown")) or "all"
    state = pick("state", {OPEN, *choices.states},
                 N_("The state asked for does not exist: cases in any state are shown"))
    form = pick("form", choices.forms, N_("The form asked for does not exist: cases of every form are shown"))
    sort = pick("sort", SORTS, N_("The order asked for does not exist: the view's own order is used"))
    assignee = pick("assignee", {NOBODY, *(str(user_id) for user_id in choices.assignees)},
                    N_("The clerk asked for is not one of the department's: cases of every clerk are shown"))
    received = []
    for name in ("from", "to"):
        text = args.get(name, "").strip()
        day = read_day(text)
        if text and day is None:
            ignored.append(N_("A received date was not a real date, like 31.12.2026: it is ignored"))
        received.append(day)
    if received[0] and received[1] and received[0] > received[1]:
        ignored.append(N_("The received dates were the wrong way round: they are swapped"))
        received.reverse()
    query = " ".join("".join(char if char.isprintable() else " " for char in args.get("q", "")).split())
    if len(query) > MAX_QUERY:
        ignored.append(N_("The search was too long: it is ignored"))
        query = ""
    page_text = args.get("page", "").strip()
    page = int(page_text) if re.fullmatch(r"[0-9]{1,6}", page_text) else 0
    if page_text and not 1 <= page <= MAX_PAGE:
        ignored.append(N_("The page asked for does not exist: the first page is shown"))
    page = page if 1 <= page <= MAX_PAGE else 1
    return Filters(view, state, form, assignee, received[0], received[1], query, sort, page, tuple(ignored))


def read_day(text: str) -> date | None:
    """A day typed as 31.12.2026 (the office's way, as on the case page) or 2026-12-31, of a year an office
    can mean (from 1900 to 2999: the year 1 or 9999 would overflow the time-zone arithmetic); None if not."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if 1900 <= day.year <= 2999 else None
    return None


@dataclass(frozen=True)
class Scope:
    """Whose inbox: the department, the clerk looking, today in the office and its time zone, and the states
    that close a case and those that do not, by workflow."""

    department: str
    user_id: int
    today: date
    zone: str
    terminal: Mapping[str, Collection[str]]
    open: Mapping[str, Collection[str]]

    def day_start(self, day: date) -> datetime:
        """Midnight starting `day` in the office, as a stored (UTC, naive) timestamp."""
        return datetime.combine(day, time(), ZoneInfo(self.zone)).astimezone(UTC).replace(tzinfo=None)


def terminal_states(workflows: WorkflowConfig, closed: bool = True) -> dict[str, set[str]]:
    """The states of class `terminal` (the case is closed), by workflow; with `closed=False` the others."""
    return {name: {state.name for state in workflow.states.values() if (state.kind == "terminal") == closed}
            for name, workflow in workflows.workflows.items()}


def state_options(workflows: WorkflowConfig, locale: str) -> list[tuple[str, str]]:
    """The states a case may be in, by name, in the order of their class (received, active, waiting, closed)
    and label; a name whose label differs between workflows shows each label."""
    order = {"initial": 0, "active": 1, "waiting": 2, "terminal": 3}
    labels: dict[str, list[str]] = {}
    rank: dict[str, int] = {}
    for workflow in workflows.workflows.values():
        for state in workflow.states.values():
            label = state.label.get(locale)
            if label not in labels.setdefault(state.name, []):
                labels[state.name].append(label)
            rank[state.name] = min(rank.get(state.name, len(order)), order.get(state.kind, len(order)))
    return [(name, " / ".join(labels[name])) for name in sorted(labels, key=lambda n: (rank[n], labels[n][0]))]


Cases: TypeAlias = Any
"""What the inbox selects from: the `Case` class, or an alias of it over the cases a name search gathered
first (`source`); typed loosely, as the ORM's aliases are."""


def source(filters: Filters, scope: Scope) -> Cases:
    """Where the list and its counts read the cases from. A name search first gathers the department's cases
    of the applicants whose name matches — the few people by the trigram index, their filings, their cases —
    into a table of the statement (a materialized CTE), and the views, filters, order and counts then read
    that alone. Left to itself PostgreSQL may instead walk the whole department in order, checking each
    case's applicant, which a rare name makes a walk of 400,000 rows (decision 0033)."""
    if not filters.query or NUMBER.match(filters.query):
        return Case
    people = (select(User.id).where(name_condition(filters.query))
              .cte("people").prefix_with("MATERIALIZED", dialect="postgresql"))
    hits = (select(Case).join(people, Case.applicant_id == people.c.id).where(Case.department == scope.department)
            .cte("hits").prefix_with("MATERIALIZED", dialect="postgresql"))
    return aliased(Case, hits)


def view_condition(view: str, scope: Scope, case: Cases = Case) -> ColumnElement[bool]:
    """Which of the department's cases a view holds."""
    return {"all": literal(True), "mine": case.assignee_id == scope.user_id,
            "unassigned": case.assignee_id.is_(None), "overdue": case.due_on < scope.today}[view]


def open_condition(scope: Scope, case: Cases = Case) -> ColumnElement[bool]:
    """Cases not yet closed: in a state of any class but `terminal` of their workflow. Written as the list of
    those states, which the indexes on (department, state) and (department, assignee_id, state) read as
    ranges; a state name that closes a case in one workflow and not in another asks the workflow too."""
    names = set().union(*scope.open.values())
    condition = case.state.in_(sorted(names))
    both = names & set().union(*scope.terminal.values())
    if both:
        closing = [and_(case.workflow == workflow, case.state.in_(sorted(set(states) & both)))
                   for workflow, states in sorted(scope.terminal.items()) if set(states) & both]
        condition = and_(condition, ~or_(*closing))
    return condition


def filtered(filters: Filters, scope: Scope, case: Cases, view: str | None = None) -> Select:
    """The department's cases in `view` (the filters' own by default) that pass every filter, unordered,
    read from `case`: what `source` gives, which has applied a search by name already."""
    stmt = select(case).where(view_condition(view or filters.view, scope, case))
    if case is Case:  # (the cases a name search gathered are the department's already: asking again would
        stmt = stmt.where(case.department == scope.department)  # make PostgreSQL expect 1 row of them, not 500)
    if filters.state == OPEN:
        stmt = stmt.where(open_condition(scope, case))
    elif filters.state:
        stmt = stmt.where(case.state == filters.state)
    if filters.assignee == NOBODY:
        stmt = stmt.where(case.assignee_id.is_(None))
    elif filters.assignee:
        stmt = stmt.where(case.assignee_id == int(filters.assignee))
    if filters.received_from is not None:
        stmt = stmt.where(case.created_at >= scope.day_start(filters.received_from))
    if filters.received_to is not None:
        stmt = stmt.where(case.created_at < scope.day_start(filters.received_to + timedelta(days=1)))
    if filters.form:
        stmt = stmt.where(case.form_id == filters.form)
    if filters.query and NUMBER.match(filters.query):
        stmt = stmt.where(case.id.in_(numbered(filters.query)))
    return stmt


def numbered(query: str) -> CompoundSelect:
    """The case that has this number now or had it before it was forwarded, exactly, whatever the letters'
    case (decision 0033): numbers are stored in capitals, as department symbols are (workflows schema)."""
    number = query.upper()
    return union(select(Case.id).where(Case.number == number),
                 select(CaseNumber.case_id).where(CaseNumber.number == number))


def name_condition(query: str) -> ColumnElement[bool]:
    """An applicant whose name, or a word of it, starts with the text (decision 0033)."""
    name, text = func.lower(User.full_name), query.lower()
    return or_(name.startswith(text, autoescape=True),
               *(name.contains(gap + text, autoescape=True) for gap in WORD_GAPS))


def ordered(stmt: Select, order: str, case: Cases = Case) -> Select:
    """The list in the chosen order; the case's id breaks ties, so pages never overlap."""
    if order == "deadline":  # no deadline (paused, closed) last
        return stmt.order_by(case.due_on.asc().nulls_last(), case.id.asc())
    if order == "oldest":
        return stmt.order_by(case.created_at.asc(), case.id.asc())
    return stmt.order_by(case.created_at.desc(), case.id.desc())


def listing(filters: Filters, scope: Scope, per_page: int) -> Select:
    """The page in one statement: its cases, and one more (if it comes, there is a next page), each row with
    its filing, applicant and clerk joined, its marks (the last move of its log, whether a delay notice set
    its date) and the four views' counts under the same filters (computed once, repeated on every row).
    One round trip, and a name search gathers its cases once (`source`). The page is cut first and joined
    after, so that only its rows are joined, whatever PostgreSQL expects of a name search."""
    case = source(filters, scope)
    page = (ordered(filtered(filters, scope, case), filters.order, case)
            .limit(per_page + 1).offset((filters.page - 1) * per_page).subquery("page"))
    row = aliased(Case, page)
    last_move = (select(CaseEvent.action).where(CaseEvent.case_id == row.id, CaseEvent.action.in_(MOVES))
                 .order_by(CaseEvent.id.desc()).limit(1).scalar_subquery())
    # (not EXISTS: PostgreSQL may hash that over every delay notice of the office instead of probing per row)
    delayed = (select(CaseEvent.id).where(CaseEvent.case_id == row.id, CaseEvent.action == "case.delay")
               .limit(1).scalar_subquery().is_not(None))
    return (ordered(select(row), filters.order, row)
            .add_columns(last_move.label("last_move"), delayed.label("delayed"), *counts(filters, scope, case))
            .options(joinedload(row.submission).joinedload(Submission.submitter).lazyload(User.role_rows),
                     joinedload(row.assignee).lazyload(User.role_rows)))  # names only: no roles


def capped_count(stmt: Select) -> ColumnElement[int]:
    """How many rows `stmt` has, counted up to COUNT_CAP + 1 and no further (decision 0027)."""
    limited = stmt.with_only_columns(literal(1)).order_by(None).limit(COUNT_CAP + 1).correlate(None).subquery()
    return select(func.count()).select_from(limited).scalar_subquery()


def counts(filters: Filters, scope: Scope, case: Cases) -> list[ColumnElement[int]]:
    """Each view's number of cases under the same filters, capped, labelled by the view."""
    return [capped_count(filtered(filters, scope, case, view)).label(view) for view in VIEWS]


def view_counts(filters: Filters, scope: Scope) -> Select:
    """One row of the views' counts alone: for a page with no cases to carry them."""
    return select(*counts(filters, scope, source(filters, scope)))


def workload(scope: Scope, clerk_ids: Sequence[int]) -> Select:
    """One row: for each clerk, the open cases of the department they hold and how many of them are overdue,
    each capped; and the open cases nobody holds (`open_none`, `overdue_none`)."""
    base = select(Case).where(Case.department == scope.department)
    columns = []
    for key, holder in [*((str(clerk_id), Case.assignee_id == clerk_id) for clerk_id in clerk_ids),
                        ("none", Case.assignee_id.is_(None))]:
        columns.append(capped_count(base.where(holder, open_condition(scope))).label(f"open_{key}"))
        # An overdue case is open: a closed one has no deadline (decision 0024).
        columns.append(capped_count(base.where(holder, Case.due_on < scope.today)).label(f"overdue_{key}"))
    return select(*columns)


@dataclass(frozen=True)
class Marks:
    """What the inbox says of a case beyond its columns: the applicant answered a request and it waits for
    the clerk (*Supplemented*); its deadline is a date a delay notice set (art. 36)."""

    supplemented: bool = False
    delayed: bool = False

    @classmethod
    def of(cls, last_move: str | None, delayed: bool) -> Marks:
        """The marks of a listed case, from the last move of its log and whether it has a delay notice."""
        return cls(answered_last([last_move] if last_move else []), bool(delayed))


@dataclass(frozen=True)
class InboxPage:
    """One page of the list, with what the pagination links need. `count` is capped: when it reached the cap,
    the number of pages is not known (`pages` None) and "next" comes from the extra row."""

    items: list[Case]
    page: int
    per_page: int
    count: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def pages(self) -> int | None:
        return None if self.count > COUNT_CAP else max(1, -(-self.count // self.per_page))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def staff_query(department: str) -> Select:
    """The department's clerks and heads, by name, whatever their account's status: a deactivated clerk may
    still hold cases that the head gives to someone else."""
    return (select(User).where(User.department == department,
                               User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(HANDLERS))))
            .order_by(User.full_name, User.id))
