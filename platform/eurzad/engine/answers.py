"""Submitted data shown under the labels of the definition version it was filed under."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .computed import Computed
from .messages import Translator
from .types import AnswerRow, Field


@dataclass(frozen=True)
class _Shown:
    tr: Translator
    files: Mapping[str, tuple[str, int]]

    def rows(self, fields: Iterable[Field], data: Mapping[str, Any], depth: int = 0) -> list[AnswerRow]:
        return [row for field in fields if field.name in data
                for row in field.type.rows(field, data[field.name], self, depth)]


def answer_rows(fields: Iterable[Field], data: Mapping[str, Any], tr: Translator,
                files: Mapping[str, tuple[str, int]] | None = None) -> list[AnswerRow]:
    """One row per answered question, in page order; groups become a heading row and their answers.

    `files`: name and size of attached files by digest, to show a file answer by its name.
    """
    return _Shown(tr, files or {}).rows(fields, data)


def raw_rows(data: Mapping[str, Any], depth: int = 0, prefix: str = "") -> list[AnswerRow]:
    """Answers under their field names, for data whose definition can no longer be read."""
    rows = []
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            rows.append(AnswerRow(name, None, depth, key))
            rows += raw_rows(value, depth + 1, key + ".")
        else:
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            rows.append(AnswerRow(name, shown, depth, key))
    return rows


def computed_rows(computed: Iterable[Computed], data: Mapping[str, Any], tr: Translator) -> list[AnswerRow]:
    """The computed values present in the data, under their labels, with their units."""
    rows = []
    for item in computed:
        if item.name in data:
            unit = f" {item.unit.get(tr.locale)}" if item.unit else ""
            rows.append(AnswerRow(item.label.get(tr.locale), tr.number(data[item.name], item.places) + unit, 0,
                                  item.name))
    return rows
