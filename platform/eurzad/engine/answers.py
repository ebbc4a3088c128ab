"""Submitted data shown under the labels of the definition version it was filed under."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .fields import Field
from .messages import Translator


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str | None  # None for the heading of a group of answers
    depth: int
    key: str


def answer_rows(fields: Iterable[Field], data: Mapping[str, Any], tr: Translator, depth: int = 0) -> list[AnswerRow]:
    """One row per answered question, in page order; groups become a heading row and their answers."""
    rows = []
    for field in fields:
        name = field.path[-1]
        if name not in data:
            continue
        label = field.label.get(tr.locale)
        if field.children:
            rows.append(AnswerRow(label, None, depth, field.key))
            rows += answer_rows(field.children, data[name], tr, depth + 1)
        else:
            rows.append(AnswerRow(label, field.type.display(field, data[name], tr), depth, field.key))
    return rows
