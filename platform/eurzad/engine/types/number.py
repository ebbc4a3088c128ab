"""A number as people type it (`1 250,5` or `1250.5`), read exactly (engine/exact.py); an amount of money."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import html
from ..exact import UnreadableNumberError, decimal, read_number
from ..formats import SAFE_INTEGER
from ..messages import N_, Translator
from .base import Field, Question, Unreadable, is_choice
from .text import TextInput


class NumberInput(TextInput):
    widget = "number"
    numeric = True
    messages = {
        "digits": N_("Enter the number with the digits 0 to 9"),
        "spaces": N_("Remove the spaces from the number (a space may only separate thousands, like 1 250)"),
        "precision": N_("Enter a number with no more than 15 digits"),
    }

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") in ("integer", "number") and not is_choice(schema)

    def extra_attrs(self, q: Question) -> str:
        return f' inputmode="{"numeric" if q.field.schema.get("type") == "integer" else "decimal"}"'

    def to_json(self, field: Field, raw: Any) -> Any:
        value = super().to_json(field, raw)
        if not isinstance(value, str):
            return value
        try:
            return read_number(value, integer=field.schema.get("type") == "integer")
        except UnreadableNumberError as problem:
            return Unreadable(value, problem.reason)

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
        """Every digit as filed (coordinates keep theirs), with the locale's separators."""
        return tr.number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


class MoneyInput(NumberInput):
    """An amount in złoty: a number box with the currency beside it, shown as `980,50 zł` / `PLN 980.50`.

    It needs `multipleOf: 0.01` (whole grosze) or a multiple of it (`1`: whole złoty), so that an amount
    never has a third decimal place; checked in decimal, 19.99 is a multiple of 0.01."""

    widget = "money"
    default_for_schema = False
    GROSZ = Decimal("0.01")

    messages = {**NumberInput.messages, "type": N_("Enter an amount, like 980.50")}

    def message(self, keyword: str, tr: Translator, limit: Any) -> str:
        if keyword == "multipleOf" and decimal(limit) == self.GROSZ:
            return tr.gettext(N_("Enter the amount with no more than 2 decimal places, like 980.50"))
        return super().message(keyword, tr, limit)

    def width(self, q: Question) -> str | None:
        return q.field.ui.get("width", "10")

    def render(self, q: Question) -> str:
        # The currency beside the box (GOV.UK's prefix or suffix) is hidden from screen readers, so the
        # label says it for them.
        unit = html.s(q.tr.gettext(N_("in PLN")))
        label = f'{q.label()}<span class="visually-hidden"> ({unit})</span>'
        before, after = (html.s(text.strip()) for text in q.tr.gettext(N_("PLN %(amount)s")).split("%(amount)s"))
        prefix = f'<div class="input__prefix" aria-hidden="true">{before}</div>' if before else ""
        suffix = f'<div class="input__suffix" aria-hidden="true">{after}</div>' if after else ""
        control = f'<div class="input__wrapper">{prefix}{self.control(q)}{suffix}</div>'
        return html.labelled(q.fid, label, q.hint_and_error(), control, error=bool(q.error), heading=q.heading)

    def limit_problem(self, field: Field) -> str | None:
        step = field.schema.get("multipleOf")
        if step is None or isinstance(step, bool) or decimal(step) % self.GROSZ:
            return "give it multipleOf: 0.01 (an amount is in whole grosze)"
        return super().limit_problem(field)

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        return tr.money(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
