"""Predicates over submitted data, as JSON Forms writes them: a field reference plus a JSON Schema.

    {field: category, schema: {const: pothole}}      the value must match the schema
    {field: category, equals: pothole}                shorthand for schema {const: ...}
    {field: area, in: [a, b]} / gt / lt / empty       shorthands for enum, exclusive bounds, no answer
    {all: [...]}, {any: [...]}, {not: {...}}          combinations

No expression language: every test is a JSON Schema, checked by the same validator as the form.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jsonschema import Draft202012Validator, SchemaError

from .exact import SchemaValidator, exact
from .sources import JsonPath, Problem, Source, schema_problems
from .types import MISSING

SHORTHANDS = {
    "equals": lambda value: {"const": value},
    "in": lambda values: {"enum": list(values)},
    "gt": lambda limit: {"type": "number", "exclusiveMinimum": limit},
    "lt": lambda limit: {"type": "number", "exclusiveMaximum": limit},
}
PREDICATE_SCHEMA: Mapping[str, Any] = {
    "$defs": {"predicate": {"oneOf": [
        {"type": "object", "required": ["all"], "additionalProperties": False,
         "properties": {"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/predicate"}}}},
        {"type": "object", "required": ["any"], "additionalProperties": False,
         "properties": {"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/predicate"}}}},
        {"type": "object", "required": ["not"], "additionalProperties": False,
         "properties": {"not": {"$ref": "#/$defs/predicate"}}},
        {"type": "object", "required": ["field"], "additionalProperties": False,
         "minProperties": 2, "maxProperties": 2,
         "properties": {"field": {"type": "string"}, "schema": {"type": ["object", "boolean"]},
                        "equals": True, "in": {"type": "array"}, "gt": {"type": "number"},
                        "lt": {"type": "number"}, "empty": {"type": "boolean"}}},
    ]}},
    "$ref": "#/$defs/predicate",
}


_PREDICATE = Draft202012Validator(PREDICATE_SCHEMA)
HOW_TO_WRITE = ("a condition is {field: NAME, equals: VALUE} (or in, gt, lt, empty, schema instead of equals), "
                "or {all: [...]}, {any: [...]}, {not: {...}} of conditions")


@dataclass(frozen=True)
class Reason:
    """Why a part of a condition holds or fails for some answers, as data that each reader phrases in words.

    A test of one field (`test`: equals, in, gt, lt, schema, empty) carries the field's dotted name, the
    answer (MISSING when there is none) and what the test wanted (`operand`); a combination (`any`, `all`,
    `not`) carries the reasons of its parts.
    """

    test: str
    holds: bool
    field: str = ""
    answer: Any = None
    operand: Any = None
    parts: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Predicate:
    """A compiled condition; `matches(data)` says whether the submitted data satisfies it."""

    kind: str
    parts: tuple[Predicate, ...] = ()
    field: tuple[str, ...] = ()
    schema: Any = dataclasses.field(default=None, compare=False)  # the test of a field (numbers as Decimal)
    empty: bool | None = None
    test: str = "schema"  # as written: equals, in, gt, lt, schema or empty (kept to say it back in words)
    operand: Any = dataclasses.field(default=None, compare=False)  # the value written beside `test`

    def matches(self, data: Mapping[str, Any]) -> bool:
        if self.kind == "all":
            return all(part.matches(data) for part in self.parts)
        if self.kind == "any":
            return any(part.matches(data) for part in self.parts)
        if self.kind == "not":
            return not self.parts[0].matches(data)
        value = value_at(data, self.field)
        if self.empty is not None:
            return is_empty(value) == self.empty
        return value is not MISSING and self.validator.is_valid(exact(value))

    @cached_property
    def validator(self) -> Any:
        """The test's validator, made when first used: a start builds hundreds of conditions, a page uses a few."""
        return None if self.schema is None else SchemaValidator(self.schema)

    def why_not(self, data: Mapping[str, Any]) -> tuple[Reason, ...]:
        """The parts of this condition that fail for `data`, each with the answer that made it fail; empty
        when it holds. Of `all` the failing parts; of `any` every part (none holds); of `not` its inner part,
        which holds."""
        if self.matches(data):
            return ()
        if self.kind == "all":
            return tuple(reason for part in self.parts for reason in part.why_not(data))
        if self.kind == "any":
            return (Reason("any", False, parts=tuple(_one(part.why_not(data), False) for part in self.parts)),)
        if self.kind == "not":
            return (Reason("not", False, parts=self.parts[0].why(data)),)
        return (self._reason(data, False),)

    def why(self, data: Mapping[str, Any]) -> tuple[Reason, ...]:
        """The parts of this condition that make it hold for `data` (of `all` every part, of `any` those
        that hold, of `not` why its inner part fails); empty when it does not hold."""
        if not self.matches(data):
            return ()
        if self.kind in ("all", "any"):
            return tuple(reason for part in self.parts for reason in part.why(data))
        if self.kind == "not":
            return self.parts[0].why_not(data)
        return (self._reason(data, True),)

    def _reason(self, data: Mapping[str, Any], holds: bool) -> Reason:
        return Reason(self.test, holds, ".".join(self.field), value_at(data, self.field),
                      self.empty if self.test == "empty" else self.operand)

    def fields(self) -> set[tuple[str, ...]]:
        """Every field this predicate reads."""
        found = {self.field} if self.kind == "field" else set()
        for part in self.parts:
            found |= part.fields()
        return found


def _one(reasons: tuple[Reason, ...], holds: bool) -> Reason:
    """Several reasons of one part of an `any` as one: all of them are that part's."""
    return reasons[0] if len(reasons) == 1 else Reason("all", holds, parts=reasons)


def compile_predicate(spec: Mapping[str, Any], checked: bool = False) -> Predicate:
    """Compile a predicate that already passed PREDICATE_SCHEMA; `checked`: its schemas are known to be sound."""
    for kind in ("all", "any"):
        if kind in spec:
            return Predicate(kind, tuple(compile_predicate(part, checked) for part in spec[kind]))
    if "not" in spec:
        return Predicate("not", (compile_predicate(spec["not"], checked),))
    path = tuple(spec["field"].split("."))
    if "empty" in spec:
        return Predicate("field", field=path, empty=spec["empty"], test="empty")
    test = next(word for word in spec if word != "field")
    schema = SHORTHANDS[test](spec[test]) if test in SHORTHANDS else spec["schema"]
    if not checked:
        Draft202012Validator.check_schema(schema)
    return Predicate("field", field=path, schema=exact(schema), test=test, operand=spec[test])


def value_at(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value


def is_empty(value: Any) -> bool:
    return value is MISSING or value is None or value in ("", [], {})


def compile_at(source: Source, path: JsonPath, spec: Any, problems: list[Problem], what: str) -> Predicate | None:
    """Compile the condition at `path` of a file; on a mistake add a problem at its line and return None."""
    if not source.checked and schema_problems(source, _PREDICATE, spec, path):
        problems.append(source.problem(path, f"{what}: {HOW_TO_WRITE}"))
        return None
    try:
        return compile_predicate(spec, source.checked)
    except SchemaError as exc:
        problems.append(source.problem(path, f"{what}: the schema of the condition is not valid: {exc.message}"))
        return None
