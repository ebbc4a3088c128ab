"""Predicates over submitted data, as JSON Forms writes them: a field reference plus a JSON Schema.

    {field: category, schema: {const: pothole}}      the value must match the schema
    {field: category, equals: pothole}                shorthand for schema {const: ...}
    {field: area, in: [a, b]} / gt / lt / empty       shorthands for enum, exclusive bounds, no answer
    {all: [...]}, {any: [...]}, {not: {...}}          combinations

No expression language: every test is a JSON Schema, checked by the same validator as the form.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
class Predicate:
    """A compiled condition; `matches(data)` says whether the submitted data satisfies it."""

    kind: str
    parts: tuple[Predicate, ...] = ()
    field: tuple[str, ...] = ()
    validator: Any = None
    empty: bool | None = None

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

    def fields(self) -> set[tuple[str, ...]]:
        """Every field this predicate reads."""
        found = {self.field} if self.kind == "field" else set()
        for part in self.parts:
            found |= part.fields()
        return found


def compile_predicate(spec: Mapping[str, Any]) -> Predicate:
    """Compile a predicate that already passed PREDICATE_SCHEMA."""
    for kind in ("all", "any"):
        if kind in spec:
            return Predicate(kind, tuple(compile_predicate(part) for part in spec[kind]))
    if "not" in spec:
        return Predicate("not", (compile_predicate(spec["not"]),))
    path = tuple(spec["field"].split("."))
    if "empty" in spec:
        return Predicate("field", field=path, empty=spec["empty"])
    schema = spec.get("schema")
    for word, build in SHORTHANDS.items():
        if word in spec:
            schema = build(spec[word])
    Draft202012Validator.check_schema(schema)
    return Predicate("field", field=path, validator=SchemaValidator(exact(schema)))


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
    if schema_problems(source, _PREDICATE, spec, path):
        problems.append(source.problem(path, f"{what}: {HOW_TO_WRITE}"))
        return None
    try:
        return compile_predicate(spec)
    except SchemaError as exc:
        problems.append(source.problem(path, f"{what}: the schema of the condition is not valid: {exc.message}"))
        return None
