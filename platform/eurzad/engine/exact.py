"""Exact answers: numbers in decimal, digits in ASCII (decision 0031).

A number a citizen types is read with `Decimal`, never through a binary float: it is refused if it has
digits of another script, spaces that do not group thousands, or more than 15 significant digits (beyond
that a JSON number could not carry it exactly). What is kept is an `int`, or a `float` whose shortest form
(`repr`) is exactly the decimal typed, so drafts and the canonical JSON of a submission (RFC 8785) carry
the digits as typed. Wherever numbers are compared or checked (`minimum`, `multipleOf`: 19.99 is a
multiple of 0.01), data and schema are turned back into `Decimal` first.

A `\\d` in a definition's `pattern` means the ASCII digits 0-9, as in ECMA-262 regular expressions
that JSON Schema names, not every digit Unicode knows.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from .formats import FORMAT_CHECKER

MAX_DIGITS = 15
"""Significant digits a decimal answer may have: any such decimal survives a JSON number (a double) exactly."""

_SPACES = "[ \u00a0\u202f]"  # a space, a non-breaking space, a narrow non-breaking space (how Polish groups thousands)
_GROUPED = re.compile(rf"[+-]?[0-9]{{1,3}}(?:{_SPACES}[0-9]{{3}})+(?:[.,][0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")


class UnreadableNumberError(Exception):
    """Text that is meant as a number but written so that reading it would be a guess: `reason` names why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def has_other_digits(text: str) -> bool:
    """Whether the text holds a digit that is not 0-9 (Arabic-Indic, full-width, superscript...)."""
    return any(char.isdigit() and not "0" <= char <= "9" for char in text)


def read_number(text: str, integer: bool) -> int | float | str:
    """A typed number as JSON data: `1 250,5` → 1250.5, `12` → 12. Text that is no number at all is returned
    as typed (the schema refuses it with its `type` message); UnreadableNumberError for digits of another script
    (`digits`), spaces inside that do not group thousands (`spaces`), too many digits (`precision`)."""
    if has_other_digits(text):
        raise UnreadableNumberError("digits")
    compact = text
    if re.search(r"\s", text):
        if not _GROUPED.fullmatch(text):
            raise UnreadableNumberError("spaces")
        compact = re.sub(_SPACES, "", text)
    compact = compact.replace(",", ".")
    if _INTEGER.fullmatch(compact):
        return int(compact)
    if integer or not _DECIMAL.fullmatch(compact):
        return text
    number = Decimal(compact)
    carried = float(number)
    if len(number.normalize().as_tuple().digits) > MAX_DIGITS or decimal(carried) != number:
        raise UnreadableNumberError("precision")  # (the second test: a tiny number a double turns into 0)
    return carried


def decimal(value: int | float | Decimal) -> Decimal:
    """A stored number as the decimal it was typed as (a float's shortest form is that decimal)."""
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)


def exact(data: Any) -> Any:
    """The data with every float as the Decimal it stands for (a whole one as an int, as JSON Schema counts
    1.0 as an integer), so that checks on numbers are done in decimal."""
    if isinstance(data, float):
        return int(data) if data.is_integer() else decimal(data)
    if isinstance(data, Mapping):
        return {key: exact(value) for key, value in data.items()}
    if isinstance(data, list):
        return [exact(value) for value in data]
    return data


def ascii_digits(pattern: str) -> str:
    """The pattern with `\\d` as `[0-9]` (inside a class `0-9`) and `\\D` as `[^0-9]`, as ECMA-262 reads them.

    (`\\D` inside a class stays: it never matches a digit of any script, so it already refuses them.)"""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            if escape == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif escape == "D" and not in_class:
                out.append("[^0-9]")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        out.append(char)
        i += 1
        if char == "[" and not in_class:
            in_class = True
            for literal in ("^", "]"):  # `[^` and a `]` right after the opening are part of the class
                if pattern[i:i + 1] == literal:
                    out.append(literal)
                    i += 1
        elif char == "]" and in_class:
            in_class = False
    return "".join(out)


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    """A definition's pattern, compiled with `\\d` meaning 0-9."""
    return re.compile(ascii_digits(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Any:
    if validator.is_type(instance, "string") and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


SchemaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})
"""JSON Schema 2020-12 with a definition's `pattern` read as ECMA-262 reads `\\d`."""


def schema_validator(schema: Mapping[str, Any]) -> Any:
    """The validator of a definition's answers: formats checked, numbers compared in decimal (pass it
    `exact(data)`), `\\d` as 0-9."""
    return SchemaValidator(exact(schema), format_checker=FORMAT_CHECKER)  # multipleOf 0.01: a hundredth
