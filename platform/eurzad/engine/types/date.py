"""A date: typed as 31.12.2026 or picked by the browser (2026-12-31); stored as ISO 8601."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..messages import Translator
from ..texts import long_date
from .base import Field
from .text import TextInput


class DateInput(TextInput):
    widget = "date"
    input_type = "date"
    _DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "string" and schema.get("format") == "date"

    def to_json(self, field: Field, raw: Any) -> Any:
        value = super().to_json(field, raw)
        match = self._DOTTED.match(value) if isinstance(value, str) else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return value
        return value

    def limit_problem(self, field: Field) -> str | None:
        return None  # its format bounds it

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        try:
            return long_date(date.fromisoformat(value), tr.locale)
        except (TypeError, ValueError):
            return str(value)
