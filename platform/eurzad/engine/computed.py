"""Computed values (a fee from the number of residents, say), declared in the definition, no eval.

    computed:
      monthly_fee:
        label: {pl: Miesięczna opłata, en: Monthly fee}
        unit: {pl: zł, en: PLN}
        round: 2
        value:
          difference:
            - product: [{field: residents}, {rate: [{when: {field: sorting, equals: true}, value: 31}, {value: 62}]}]
            - rate: [{when: {field: composter, equals: true}, value: 5}, {value: 0}]

An expression is a number, {field: NAME} (a number field), or one of sum, product, difference
(first minus the rest), min, max (lists of expressions), rate (the value of the first row whose
`when` holds; the last row has no `when`). Money is counted in decimal, rounded half up.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .conditions import Predicate, compile_at, value_at
from .formats import SAFE_INTEGER
from .sources import JsonPath, Problem, Source
from .texts import Text
from .types import MISSING, Field

OPERATIONS = ("sum", "product", "difference", "min", "max")


@dataclass(frozen=True)
class Expr:
    op: str  # number, field, sum, product, difference, min, max, rate
    number: Decimal | None = None
    field: tuple[str, ...] = ()
    parts: tuple[Expr, ...] = ()
    conditions: tuple[Predicate | None, ...] = ()  # for rate: one per part, None for the last

    def evaluate(self, data: Mapping[str, Any]) -> Decimal | None:
        """The value, or None when an answer it needs is missing."""
        if self.op == "number":
            return self.number
        if self.op == "field":
            value = value_at(data, self.field)
            return None if value is MISSING or isinstance(value, bool) else Decimal(str(value))
        if self.op == "rate":
            for condition, part in zip(self.conditions, self.parts, strict=True):
                if condition is None or condition.matches(data):
                    return part.evaluate(data)
            return None
        values = [part.evaluate(data) for part in self.parts]
        if any(value is None for value in values):
            return None
        numbers: list[Decimal] = [v for v in values if v is not None]
        if self.op == "sum":
            return sum(numbers, Decimal(0))
        if self.op == "product":
            result = Decimal(1)
            for number in numbers:
                result *= number
            return result
        if self.op == "difference":
            return numbers[0] - sum(numbers[1:], Decimal(0))
        return min(numbers) if self.op == "min" else max(numbers)

    def fields(self) -> set[tuple[str, ...]]:
        found = {self.field} if self.op == "field" else set()
        for part in self.parts:
            found |= part.fields()
        for condition in self.conditions:
            found |= condition.fields() if condition else set()
        return found


@dataclass(frozen=True)
class Computed:
    name: str
    label: Text
    unit: Text | None
    places: int
    expr: Expr

    def value(self, data: Mapping[str, Any]) -> int | float | None:
        """The value as stored with the answers: rounded, an integer when it has no fraction."""
        result = self.expr.evaluate(data)
        if result is None or abs(result) > SAFE_INTEGER:
            return None  # beyond what JSON carries exactly: not a value anyone would declare
        rounded = result.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        return int(rounded) if self.places == 0 else float(rounded)


def build_computed(source: Source, fields: tuple[Field, ...], problems: list[Problem]) -> tuple[Computed, ...]:
    """The definition's computed values; each may read only number fields, and names stay unique."""
    # Numbers asked once: an answer inside a repeating group is a list of answers, no single number.
    numbers = {f.key for top in fields if not top.type.repeats for f in top.walk() if f.type.numeric}
    known = {f.key for top in fields for f in top.walk()}
    properties = set(source.data["schema"].get("properties", {}))
    result = []
    for name, spec in source.data.get("computed", {}).items():
        at: JsonPath = ("computed", name)
        if name in properties:
            problems.append(source.problem(at, f"computed value '{name}' has the name of a field of the schema"))
        expr = _compile(source, at + ("value",), spec["value"], problems, numbers)
        for path in sorted(expr.fields()):
            if ".".join(path) not in known:
                problems.append(source.problem(at, f"computed value '{name}' reads '{'.'.join(path)}', "
                                                   "which the form does not have"))
        result.append(Computed(name, Text.of(spec["label"]), Text.maybe(spec.get("unit")), spec.get("round", 2), expr))
    return tuple(result)


def _compile(source: Source, at: JsonPath, spec: Any, problems: list[Problem], numbers: set[str]) -> Expr:
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return Expr("number", number=Decimal(str(spec)))
    if isinstance(spec, Mapping) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "field" and isinstance(arg, str):
            if arg not in numbers:
                problems.append(source.problem(at, f"computed value reads '{arg}', which is not a number field"))
            return Expr("field", field=tuple(arg.split(".")))
        if op in OPERATIONS and isinstance(arg, list) and arg:
            return Expr(op, parts=tuple(_compile(source, at + (op, i), part, problems, numbers)
                                        for i, part in enumerate(arg)))
        if op == "rate" and isinstance(arg, list) and arg and all(isinstance(row, Mapping) for row in arg):
            return _rate(source, at + ("rate",), arg, problems, numbers)
    problems.append(source.problem(at, "an expression is a number, {field: NAME}, or one of "
                                       f"{', '.join(OPERATIONS)} with a list, or rate with rows"))
    return Expr("number", number=Decimal(0))


def _rate(source: Source, at: JsonPath, rows: list[Mapping[str, Any]], problems: list[Problem],
          numbers: set[str]) -> Expr:
    conditions: list[Predicate | None] = []
    parts = []
    for i, row in enumerate(rows):
        last = i == len(rows) - 1
        if set(row) != ({"value"} if last else {"when", "value"}):
            problems.append(source.problem(at + (i,), "rate rows are {when: CONDITION, value: EXPRESSION}; "
                                                      "the last row has only a value"))
            continue
        conditions.append(None if last else compile_at(source, at + (i, "when"), row["when"], problems,
                                                       "rate row"))
        parts.append(_compile(source, at + (i, "value"), row["value"], problems, numbers))
    return Expr("rate", parts=tuple(parts), conditions=tuple(conditions))
