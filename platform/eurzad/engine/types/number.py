"""A number as people type it: `1 250,5` or `1250.5`; stored as a JSON number."""
from __future__ import annotations

import math
import re
from typing import Any

from ..formats import SAFE_INTEGER
from ..messages import Translator
from .base import Field, Question, is_choice
from .text import TextInput


class NumberInput(TextInput):
    widget = "number"
    numeric = True

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") in ("integer", "number") and not is_choice(schema)

    def extra_attrs(self, q: Question) -> str:
        return f' inputmode="{"numeric" if q.field.schema.get("type") == "integer" else "decimal"}"'

    def to_json(self, field: Field, raw: Any) -> Any:
        value = super().to_json(field, raw)
        if not isinstance(value, str):
            return value
        text = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
        try:
            if re.fullmatch(r"[+-]?\d+", text):
                return int(text)
            if field.schema.get("type") == "number" and re.fullmatch(r"[+-]?\d*\.\d+", text):
                number = float(text)
                return number if math.isfinite(number) else value
        except ValueError:
            pass
        return value

    def limit_problem(self, field: Field) -> str | None:
        schema = field.schema
        lows = [schema[k] for k in ("minimum", "exclusiveMinimum") if k in schema]
        highs = [schema[k] for k in ("maximum", "exclusiveMaximum") if k in schema]
        if not lows or not highs:
            return "give it a minimum and a maximum"
        if any(abs(limit) > SAFE_INTEGER for limit in lows + highs):
            return f"keep its minimum and maximum within ±{SAFE_INTEGER}, the largest integer JSON carries exactly"
        return None

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        return tr.number(value) if isinstance(value, (int, float)) else str(value)
