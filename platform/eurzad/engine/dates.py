"""Date rules (decision 0029): a date question's `ui.fields.<f>.date_rules` compare it with another date
question, or with today, without any expression language.

    date_rules: {not_before: start_date, not_in_past: true, min_days_ahead: 7}

`after`, `not_before`, `before`, `not_after` name another date question, asked once (not in a list), on an
earlier page or the same one; `not_in_past`, `not_in_future` (true) and `min_days_ahead` (days) count from
today in the office's time zone. A rule holds when either date is missing or unreadable (its own message
says so); a broken rule is reported by the question, with its `errors.<rule>` or the date type's message.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from .conditions import value_at
from .journey import Page
from .sources import Problem, Source
from .types import Field, Unreadable

COMPARISONS = ("after", "not_before", "before", "not_after")
"""Rules that compare the date with another date question's answer."""
TODAY_RULES = ("not_in_past", "not_in_future", "min_days_ahead")
"""Rules that compare the date with today."""
TODAY = "today"  # the node of today in the graph of a form's rules

Location = tuple[tuple[Any, ...], str, Any]


def broken_rules(fields: Iterable[Field], data: Mapping[str, Any], today: date | None) -> list[Location]:
    """(data path, rule, limit) of every date rule the answers break; the limit is what the message names:
    the other date, or (days, the earliest date) for `min_days_ahead`."""
    found: list[Location] = []
    for field in fields:
        rules = field.ui.get("date_rules") or {}
        for path, value in values_at(data, field.path):
            day = _day(value)
            if day is None:
                continue
            for rule, argument in rules.items():
                limit = _broken(rule, argument, day, data, today)
                if limit is not None:
                    found.append((path, rule, limit))
    return found


def _broken(rule: str, argument: Any, day: date, data: Mapping[str, Any], today: date | None) -> Any:
    """What the message of a broken rule names; None when the rule holds (or cannot be judged)."""
    if rule in COMPARISONS:
        other = _day(value_at(data, tuple(str(argument).split("."))))
        if other is None:
            return None
        holds = {"after": day > other, "not_before": day >= other, "before": day < other, "not_after": day <= other}
        return None if holds[rule] else other.isoformat()
    if today is None:
        raise ValueError(f"the date rule {rule} needs today's date: pass today= to validate")
    if rule == "not_in_past":
        return None if day >= today else True
    if rule == "not_in_future":
        return None if day <= today else True
    earliest = today + timedelta(days=int(argument))
    return None if day >= earliest else (int(argument), earliest.isoformat())


def values_at(data: Any, path: tuple[str, ...], at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every answer to the field at `path`, with its data path: one for a question asked once, one per item
    inside a repeating group or a list of answers (`("dates", 1)`)."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from values_at(item, path, at + (index,))
    elif not path:
        yield at, data
    elif isinstance(data, Mapping) and path[0] in data:
        yield from values_at(data[path[0]], path[1:], at + (path[0],))


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or isinstance(value, Unreadable):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


# --- eurzad forms check ---------------------------------------------------------------------------------


def date_rule_problems(source: Source, fields: tuple[Field, ...], pages: tuple[Page, ...]) -> list[Problem]:
    """Date rules only on date questions; each names a date question asked once, not after it; and the
    rules of the form can all hold together."""
    everything = [field for top in fields for field in top.walk()]
    page_of = {field.key: page.number for page in pages for top in page.fields for field in top.walk()}
    once = {field.key for top in fields if not top.type.repeats for field in top.walk()}
    dates = {field.key for field in everything if field.type.holds_dates(field)}
    problems: list[Problem] = []
    edges: list[tuple[str, str, bool, str]] = []  # (a, b, strict, words): a is later than b, or the same day
    for field in everything:
        rules = field.ui.get("date_rules")
        if not rules:
            continue
        at = ("ui", "fields", field.key, "date_rules")
        if field.key not in dates:
            problems.append(source.problem(at, f"field '{field.key}': date_rules are for date questions "
                                               "(format: date)"))
            continue
        for rule, argument in rules.items():
            if rule in TODAY_RULES:
                later, earlier = (TODAY, field.key) if rule == "not_in_future" else (field.key, TODAY)
                strict = rule == "min_days_ahead"
                edges.append((later, earlier, strict, f"{field.key} {rule}" + (f" {argument}" if strict else "")))
                continue
            other = str(argument)
            problem = _other_problem(field.key, rule, other, dates, once, page_of)
            if problem:
                problems.append(source.problem(at + (rule,), f"field '{field.key}': date_rules.{rule} {problem}"))
                continue
            later, earlier = (field.key, other) if rule in ("after", "not_before") else (other, field.key)
            edges.append((later, earlier, rule in ("after", "before"), f"{field.key} {rule} {other}"))
    cycle = _impossible(edges)
    if cycle:
        first = next(words.split(" ")[0] for *_edge, words in cycle)
        problems.append(source.problem(("ui", "fields", first, "date_rules"),
                                       f"field '{first}': its date_rules cannot all hold "
                                       f"({', '.join(words for *_edge, words in cycle)}): no date comes after itself"))
    return problems


def _other_problem(key: str, rule: str, other: str, dates: set[str], once: set[str],
                   page_of: Mapping[str, int]) -> str | None:
    if other == key:
        return "compares the date with itself"
    if other not in page_of and other not in once:
        return f"names '{other}', which the form does not have"
    if other not in dates:
        return f"names '{other}', which is not a date question"
    if other not in once:
        return f"names '{other}', which is a list of answers (in a repeating group or a list), not one date"
    if page_of.get(other, 0) > page_of.get(key, 0):
        return f"names '{other}', which is asked after it: write the rule on the later question"
    return None


def _impossible(edges: list[tuple[str, str, bool, str]]) -> list[tuple[str, str, bool, str]]:
    """A cycle of "is later than (or the same day as)" with at least one strict step: rules no date can meet.
    Returns its steps, or [] when every rule can hold together."""
    for edge in edges:
        later, earlier, strict, _words = edge
        if not strict:
            continue
        path = _path(edges, earlier, later)  # back from the earlier date to the later one closes a cycle
        if path is not None:
            return [edge, *path]
    return []


def _path(edges: list[tuple[str, str, bool, str]], start: str, goal: str) -> list[tuple[str, str, bool, str]] | None:
    """The steps from `start` to `goal` along the edges (breadth first), or None."""
    queue: deque[tuple[str, list[tuple[str, str, bool, str]]]] = deque([(start, [])])
    seen = {start}
    while queue:
        node, steps = queue.popleft()
        if node == goal:
            return steps
        for edge in edges:
            if edge[0] == node and edge[1] not in seen:
                seen.add(edge[1])
                queue.append((edge[1], [*steps, edge]))
    return None
