"""Rules a definition must meet to be published (`eurzad forms check`), beyond its meta-schema.

Old snapshots are read without these rules (definitions.definition_from_text), so that a rule added
later never makes an old case unreadable.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .conditions import Predicate
from .exact import ascii_digits
from .formats import known_formats
from .journey import Page
from .prefill import prefill_problem
from .sources import JsonPath, Problem, Source
from .types import Field, is_choice, options_of
from .workflows import WorkflowConfig


def field_location(field: Field) -> tuple[str, ...]:
    """Where a field's schema stands in the file."""
    return ("schema",) + tuple(p for part in field.path for p in ("properties", part))


def option_problems(source: Source, key: str, schema: Mapping[str, Any], ui: Mapping[str, Any]) -> list[Problem]:
    labels = ui.get("options", {})
    if not is_choice(schema):
        if not labels:
            return []
        return [source.problem(("ui", "fields", key, "options"), f"field '{key}' has no choices to label")]
    values = {str(option.value) for option in options_of(schema, {})}
    problems = [source.problem(("ui", "fields", key), f"field '{key}': option '{value}' needs a label in "
                                                      f"ui.fields.{key}.options (Polish and English)")
                for value in sorted(values - set(labels))]
    problems += [source.problem(("ui", "fields", key, "options", value),
                                f"field '{key}': ui.options names '{value}', which is not an allowed value")
                 for value in labels if value not in values]
    return problems


def bound_problems(source: Source, field: Field) -> list[Problem]:
    """Every typed answer has a limit, so that no submission can carry a book or a 400-digit number."""
    problem = field.type.limit_problem(field)
    return [source.problem(field_location(field), f"field '{field.key}': {problem}")] if problem else []


def prefill_problems(source: Source, fields: Iterable[Field], in_repeat: bool = False) -> list[Problem]:
    """A prefill source fills only a question that takes its values (decision 0028), outside repeating groups."""
    problems = []
    for field in fields:
        problem = prefill_problem(field, in_repeat)
        if problem:
            problems.append(source.problem(("ui", "fields", field.key, "prefill"), f"field '{field.key}': {problem}"))
        problems += prefill_problems(source, field.children, in_repeat or field.type.repeats)
    return problems


def format_problems(source: Source, schema: Any, path: tuple[str | int, ...]) -> list[Problem]:
    """A `format` the engine does not check would silently accept anything: report the typo. A `pattern`
    that is not a regular expression would stop every sending of its page: report it too."""
    problems = []
    if isinstance(schema, dict):
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt not in known_formats():
            problems.append(source.problem(path + ("format",), f"unknown format '{fmt}' "
                                                               f"(known: {', '.join(sorted(known_formats()))})"))
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(ascii_digits(pattern))
            except re.error as exc:
                problems.append(source.problem(path + ("pattern",), f"pattern '{pattern}' is not a valid regular "
                                                                    f"expression: {exc}"))
        items: Iterable[tuple[Any, Any]] = schema.items()
    elif isinstance(schema, list):
        items = enumerate(schema)
    else:
        return problems
    for key, value in items:
        if key not in ("const", "enum", "default", "examples"):
            problems += format_problems(source, value, path + (key,))
    return problems


def contact_problems(source: Source, fields: tuple[Field, ...]) -> list[Problem]:
    """`contact` is for forms without an account; its field is a required e-mail question, or an optional one
    when the form says contact is optional (the summary page then asks nothing: the form's answer decides)."""
    contact = source.data.get("contact")
    if contact is None:
        return []
    if source.data.get("assurance", "account") != "anonymous":
        return [source.problem(("contact",), "contact applies only to a form sent without an account "
                                             "(assurance: anonymous); an account has its own e-mail address")]
    key, optional = contact.get("field"), contact.get("optional", False)
    if key is None:
        return []
    at = ("contact", "field")
    chain = _field_chain(fields, key)
    if chain is None:
        return [source.problem(at, f"contact.field names '{key}', which the schema does not have")]
    field = chain[-1]
    if any(f.type.repeats for f in chain):
        return [source.problem(at, f"contact.field '{key}' is inside a repeating group: name a question asked once")]
    if field.schema.get("type") != "string" or field.schema.get("format") != "email":
        return [source.problem(at, f"contact.field '{key}' must be an e-mail question (type: string, format: email)")]
    always = all(f.required for f in chain)
    if always and optional:
        return [source.problem(("contact", "optional"), f"contact says optional, but the schema requires '{key}': "
                                                        "drop `optional: true`, or stop requiring the question")]
    if not always and not optional:
        return [source.problem(at, f"the schema does not require '{key}', so a sender may leave it empty: require "
                                   "it, or say `optional: true`")]
    return []


def _field_chain(fields: Iterable[Field], key: str) -> list[Field] | None:
    """The field of a dotted key and every field that holds it, outermost first; None when there is none."""
    chain: list[Field] = []
    level = list(fields)
    for part in key.split("."):
        found = next((f for f in level if f.name == part), None)
        if found is None:
            return None
        chain.append(found)
        level = list(found.children)
    return chain


def workflow_problems(source: Source, workflows: WorkflowConfig, known: set[str]) -> list[Problem]:
    data = source.data
    problems = []
    if data["workflow"] not in workflows.workflows:
        known_workflows = ", ".join(workflows.workflows)
        problems.append(source.problem(("workflow",), f"workflow '{data['workflow']}' is not in "
                                                      f"{workflows.source.file} (known: {known_workflows})"))
    else:
        for transition in workflows.workflows[data["workflow"]].transitions:
            for path in transition.condition.fields() if transition.condition else ():
                key = ".".join(path)
                if key not in known:
                    problems.append(source.problem(("workflow",), f"workflow '{data['workflow']}' transition "
                                                                  f"'{transition.action}' reads field '{key}', "
                                                                  "which this form does not have"))
    department = data["service"]["department"]
    if department not in workflows.departments:
        problems.append(source.problem(("service", "department"), f"department '{department}' is not in "
                                                                  f"{workflows.source.file}"))
    category = data["service"].get("category")
    if category is not None and category not in workflows.categories:
        known_categories = ", ".join(workflows.categories) or "none"
        problems.append(source.problem(("service", "category"), f"category '{category}' is not in `categories` of "
                                                                f"{workflows.source.file} (known: {known_categories})"))
    table = data.get("routing")
    if table is not None and table not in workflows.routing:
        problems.append(source.problem(("routing",), f"routing table '{table}' is not in {workflows.source.file}"))
    elif table is not None:
        for row in workflows.routing[table]:
            for path in row.when.fields() if row.when else ():
                key = ".".join(path)
                if key not in known:
                    problems.append(source.problem(("routing",), f"routing table '{table}' row {row.number} reads "
                                                                 f"field '{key}', which this form does not have"))
    return problems


def page_problems(source: Source, pages: tuple[Page, ...]) -> list[Problem]:
    """Conditions read only answers given before them; what can be skipped is never required outright."""
    problems = []
    order: list[str] = []  # field keys in the order they are asked
    skippable: set[str] = set()  # ids of pages a route can jump over
    for page in pages:
        at = ("ui", "pages", page.number - 1)
        if page.visible_if is not None:
            problems += _reads_earlier(source, at + ("visible_if",), page.visible_if, order, f"page '{page.id}'")
        for top in page.fields:
            in_group = top.type.repeats
            for field in top.walk():
                for word in ("visible_if", "required_if"):
                    condition = getattr(field, word)
                    if condition is not None and in_group and field is not top:
                        problems.append(source.problem(("ui", "fields", field.key, word), f"field '{field.key}': "
                                                       "conditions inside a repeating group are not supported"))
                    elif condition is not None:
                        problems += _reads_earlier(source, ("ui", "fields", field.key, word), condition, order,
                                                   f"field '{field.key}' {word}")
                if not (in_group and field is not top):
                    order.append(field.key)  # answers inside a repeating group are a list: no condition reads them
        for r, route in enumerate(page.routes):
            problems += _reads_earlier(source, at + ("next", r, "when"), route.when, order,
                                       f"page '{page.id}' skip route")
            ids = [p.id for p in pages]
            if route.goto in ids:
                skippable |= set(ids[page.number:ids.index(route.goto)])
        for top in page.fields:
            problems += [source.problem(field_location(field), f"field '{field.key}': {field.type.nested_problem}")
                         for field in top.walk() if field is not top and field.type.nested_problem]
        hideable_page = page.visible_if is not None or page.id in skippable
        for top in page.fields:
            for field in top.walk():
                skipped_with_page = hideable_page and field is top
                if field.required and (skipped_with_page or field.visible_if is not None):
                    why = "its page can be skipped" if skipped_with_page else "it has visible_if"
                    problems.append(source.problem(field_location(field),
                                                   f"field '{field.key}' can be hidden ({why}), so the schema "
                                                   f"must not require it: use ui.fields.{field.key}.required_if"))
    return problems


def deadline_problems(source: Source, deadline: Mapping[str, Any], fields: Iterable[Field]) -> list[Problem]:
    """deadline.before names a date question every applicant answers."""
    before = deadline.get("before")
    if before is None:
        return []
    at = ("service", "deadline", "before", "field")
    field = next((f for top in fields for f in top.walk() if f.key == before["field"]), None)
    if field is None:
        return [source.problem(at, f"deadline.before reads field '{before['field']}', which this form does not have")]
    if field.schema.get("format") != "date":
        return [source.problem(at, f"deadline.before reads field '{field.key}', which is not a date question "
                                   "(give it format: date)")]
    if not field.required or field.visible_if is not None:
        return [source.problem(at, f"deadline.before reads field '{field.key}', which not every applicant "
                                   "answers: make it required (in the schema's required list) and always asked")]
    return []


def condition_problems(source: Source, pages: tuple[Page, ...],
                       routes: Iterable[tuple[JsonPath, Predicate, str]] = ()) -> list[Problem]:
    """Conditions that can never hold for any answer the question can take: a value that is not one of its
    options (`equals: Post` for the option `post`), a text compared with a number, a number with a text."""
    fields = {field.key: field for page in pages for top in page.fields for field in top.walk()}
    where: list[tuple[JsonPath, Predicate, str]] = []
    for page in pages:
        if page.visible_if is not None:
            where.append((("ui", "pages", page.number - 1, "visible_if"), page.visible_if, f"page '{page.id}'"))
        for r, route in enumerate(page.routes):
            where.append((("ui", "pages", page.number - 1, "next", r, "when"), route.when,
                          f"page '{page.id}' skip route"))
        for field in (field for top in page.fields for field in top.walk()):
            for word in ("visible_if", "required_if"):
                condition = getattr(field, word)
                if condition is not None:
                    where.append((("ui", "fields", field.key, word), condition, f"field '{field.key}' {word}"))
    where += routes
    problems = []
    for at, condition, what in where:
        problems += [source.problem(at, f"{what} never holds: {why}") for why in _never_holds(condition, fields)]
    return problems


def _never_holds(condition: Predicate, fields: Mapping[str, Any]) -> list[str]:
    if condition.kind != "field":
        return [why for part in condition.parts for why in _never_holds(part, fields)]
    field = fields.get(".".join(condition.field))
    if field is None or condition.schema is None or condition.empty is not None or field.type.repeats:
        return []
    key, schema, test = field.key, field.schema, condition.schema
    options = _options(schema)
    if options is not None:
        if any(condition.validator.is_valid(option) for option in options):
            return []
        listed = ", ".join(json.dumps(option, ensure_ascii=False) for option in options)
        return [f"field '{key}' answers one of {listed}, and none of them matches (values are compared exactly: "
                "letter case and quotes matter)"]
    kind = schema.get("type")
    if kind == "string" and test.get("type") == "number":
        return [f"field '{key}' is a text answer, and gt/lt compare numbers"]
    if kind == "string" and "const" in test and not isinstance(test["const"], str):
        return [f"field '{key}' is a text answer: write the value in quotes, equals: \"{test['const']}\""]
    if kind in ("number", "integer") and "const" in test and (
            isinstance(test["const"], (str, bool)) or not isinstance(test["const"], (int, float))):
        return [f"field '{key}' is a number: write equals: 5, without quotes"]
    return []


def _options(schema: Mapping[str, Any]) -> list[Any] | None:
    """Every answer a question can take, where the schema lists them (its options, or yes and no)."""
    if is_choice(schema):
        return [option.value for option in options_of(schema, {})]
    return [True, False] if schema.get("type") == "boolean" else None


def _reads_earlier(source: Source, at: tuple[str | int, ...], condition: Predicate, order: list[str],
                   what: str) -> list[Problem]:
    problems = []
    for path in sorted(condition.fields()):
        key = ".".join(path)
        if key not in order:
            problems.append(source.problem(at, f"{what} reads field '{key}', which is not asked before it "
                                               "(a condition reads only earlier answers)"))
    return problems
