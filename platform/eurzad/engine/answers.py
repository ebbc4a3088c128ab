"""Submitted data shown under the labels of the definition version it was filed under."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .computed import Computed
from .fields import Field
from .messages import Translator
from .texts import Text


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str | None  # None for the heading of a group of answers
    depth: int
    key: str


def answer_rows(fields: Iterable[Field], data: Mapping[str, Any], tr: Translator,
                files: Mapping[str, tuple[str, int]] | None = None, depth: int = 0) -> list[AnswerRow]:
    """One row per answered question, in page order; groups become a heading row and their answers.

    `files`: name and size of attached files by digest, to show a file answer by its name.
    """
    rows = []
    for field in fields:
        name = field.path[-1]
        if name not in data:
            continue
        label = field.label.get(tr.locale)
        if field.type.widget == "repeat":
            rows.append(AnswerRow(label, None, depth, field.key))
            item_label = (Text.maybe(field.ui.get("item_label")) or field.label).get(tr.locale)
            for number, item in enumerate(data[name], 1):
                rows.append(AnswerRow(f"{item_label} {number}", None, depth + 1, f"{field.key}.{number - 1}"))
                rows += answer_rows(field.children, item, tr, files, depth + 2)
        elif field.children:
            rows.append(AnswerRow(label, None, depth, field.key))
            rows += answer_rows(field.children, data[name], tr, files, depth + 1)
        elif field.type.widget == "file":
            file_name, size = (files or {}).get(data[name], (data[name][:12], 0))
            rows.append(AnswerRow(label, f"{file_name} ({file_size(size, tr)})", depth, field.key))
        else:
            rows.append(AnswerRow(label, field.type.display(field, data[name], tr), depth, field.key))
    return rows


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


def file_size(size: int, tr: Translator) -> str:
    """A size as people read it: 340 kB, 1,2 MB."""
    if size < 1024 * 1024:
        return f"{tr.number(max(1, round(size / 1024)))} kB"
    return f"{tr.number(round(size / 1024 / 1024, 1))} MB"


def computed_rows(computed: Iterable[Computed], data: Mapping[str, Any], tr: Translator) -> list[AnswerRow]:
    """The computed values present in the data, under their labels, with their units."""
    rows = []
    for item in computed:
        if item.name in data:
            unit = f" {item.unit.get(tr.locale)}" if item.unit else ""
            rows.append(AnswerRow(item.label.get(tr.locale), tr.number(data[item.name], item.places) + unit, 0,
                                  item.name))
    return rows
