"""Validate submitted data with the definition's JSON Schema and put each error by its field."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .conditions import is_empty, value_at
from .dates import broken_rules
from .definitions import FormDefinition
from .exact import exact
from .messages import Translator, default_message
from .texts import Text
from .types import Field, Unreadable

FORM_LEVEL = ""
"""Key of errors that belong to no single field (shown in the error summary only)."""

# When one value breaks several keywords, the message about the most basic one is shown.
_PRIORITY = ("required", "type", "enum", "const", "oneOf", "anyOf", "format", "minLength", "maxLength",
             "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


@dataclass(frozen=True)
class Failure:
    """What one question's answer breaks: the message shown by it, and every keyword (or rule) it fails."""

    message: str
    keywords: frozenset[str]


def validate(definition: FormDefinition, data: Mapping[str, Any], tr: Translator,
             only: Collection[str] | None = None, required: Collection[str] = (),
             today: date | None = None) -> dict[str, str]:
    """Field key → one plain message, in page order; empty when the data is valid.

    `only`: report just these fields and those nested in them (one page of a journey).
    `required`: keys whose `required_if` holds; each must be answered.
    `today`: the office's date, for the date rules that count from it (needed when the form has one).
    """
    return {key: failure.message for key, failure in failures(definition, data, tr, only, required, today).items()}


def failures(definition: FormDefinition, data: Mapping[str, Any], tr: Translator,
             only: Collection[str] | None = None, required: Collection[str] = (),
             today: date | None = None) -> dict[str, Failure]:
    """As `validate`, with the keywords each answer fails (what a sample may name instead of a message)."""
    # What a question could not read is said first (-1), before any schema rule it breaks.
    locations = [(path, keyword, limit, -1) for path, keyword, limit in _unreadable(data, ())]
    locations += [(*loc, _rank(loc[1])) for error in definition.validator.iter_errors(exact(data))
                  for loc in _locations(error)]
    locations += [(tuple(key.split(".")), "required", None, 0) for key in required
                  if is_empty(value_at(data, tuple(key.split("."))))]
    locations += [(*loc, _rank(loc[1])) for loc in broken_rules(definition.all_fields(), data, today)]
    order = {f.key: n for n, f in enumerate(definition.all_fields())}
    found: dict[str, tuple[int, str]] = {}
    keywords: dict[str, set[str]] = {}
    for path, keyword, limit, rank in locations:
        field, key = _locate(definition, path)
        if only is not None and not any(key == o or key.startswith(o + ".") for o in only):
            continue
        if field is not None and key.rsplit(".", 1)[-1].isdigit():
            field = field.type.item_field(field) or field  # an item of a list of answers: its own question
        keywords.setdefault(key, set()).add(keyword)
        if key not in found or rank < found[key][0]:
            found[key] = (rank, message(field, keyword, limit, tr))

    def place(key: str) -> tuple[int, list[int]]:
        """Page order of the field, then the order of repeated items."""
        parts = key.split(".")
        field_key = ".".join(p for p in parts if not p.isdigit())
        return order.get(field_key, len(order)), [int(p) for p in parts if p.isdigit()]

    return {key: Failure(found[key][1], frozenset(keywords[key])) for key in sorted(found, key=place)}


def _locations(error: Any) -> list[tuple[tuple[Any, ...], str, Any]]:
    """(data path, keyword, keyword value) of an error; `required` points at the missing property."""
    path = tuple(error.absolute_path)
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, Mapping) else {}
        return [(path + (name,), "required", None) for name in error.validator_value if name not in present]
    if error.validator == "dependentRequired":
        present = error.instance if isinstance(error.instance, Mapping) else {}
        return [(path + (name,), "required", None) for trigger, needed in error.validator_value.items()
                if trigger in present for name in needed if name not in present]
    return [(path, error.validator, error.validator_value)]


def _rank(keyword: str) -> int:
    return _PRIORITY.index(keyword) if keyword in _PRIORITY else len(_PRIORITY)


def _unreadable(data: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str, Any]]:
    """(data path, reason, limit) of every answer its question could not read."""
    if isinstance(data, Unreadable):
        return [(path, data.reason, data.limit)]
    if isinstance(data, Mapping):
        return [found for key, value in data.items() for found in _unreadable(value, path + (key,))]
    if isinstance(data, list):
        return [found for index, value in enumerate(data) for found in _unreadable(value, path + (index,))]
    return []


def _locate(definition: FormDefinition, path: tuple[Any, ...]) -> tuple[Field | None, str]:
    """The deepest field a data path lies in, and the error's key: the field's dotted path with the
    index of a repeated item where there is one (`household.1.income`, `dates.1` in a list of dates); an
    item of a checkbox list belongs to the list (`equipment`)."""
    names = tuple(part for part in path if not isinstance(part, int))
    best = None
    for field in definition.all_fields():
        if names[: len(field.path)] == field.path and (best is None or len(field.path) > len(best.path)):
            best = field
    if best is None:
        return None, FORM_LEVEL
    parts: list[str] = []
    depth = 0
    for n, part in enumerate(path):
        parts.append(str(part))
        depth += not isinstance(part, int)
        if depth == len(best.path):
            if best.type.indexes_items and n + 1 < len(path) and isinstance(path[n + 1], int):
                parts.append(str(path[n + 1]))
            break
    return best, ".".join(parts)


def message(field: Field | None, keyword: str, limit: Any, tr: Translator) -> str:
    """The definition's message for a failed keyword of a field, or the default one."""
    if field is not None:
        custom = field.ui.get("errors", {})
        override = custom.get(keyword) or (custom.get("enum") if keyword in ("const", "oneOf") else None)
        if override:
            return Text.of(override).get(tr.locale)
    return field.type.message(keyword, tr, limit) if field else default_message(keyword, tr, limit)
