"""A date asked as GOV.UK asks one: day, month and year boxes, in that order (decision 0029); stored as ISO 8601.

The boxes are posted as `<field>-day`, `<field>-month` and `<field>-year`. A date that cannot be read says
which part is wrong: a part missing, a part out of range, digits other than 0-9, or a day the month does not
have (31 February). The date rules of `ui.fields.<f>.date_rules` (engine/dates.py) have their messages here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from babel.lists import format_list
from wtforms import Form
from wtforms import fields as wtf

from .. import html
from ..exact import has_other_digits
from ..messages import N_, Translator
from ..texts import long_date
from .base import MISSING, Field, FieldType, Question, Unreadable

PARTS = ("day", "month", "year")
_PART_NAMES = {"day": N_("Day"), "month": N_("Month"), "year": N_("Year")}
_MISSING_NAMES = {"day": N_("a day"), "month": N_("a month"), "year": N_("a year")}
_WIDTHS = {"day": "2", "month": "2", "year": "4"}
_RANGES = {"day": (1, 31), "month": (1, 12), "year": (1000, 9999)}
_AUTOCOMPLETE = {"bday": ("bday-day", "bday-month", "bday-year")}  # the only date browsers fill in by parts


class DateParts(Form):
    """The three boxes of a date; nested in the page's form, they are posted as `<field>-day` and so on."""

    day = wtf.StringField()
    month = wtf.StringField()
    year = wtf.StringField()


def read_date(parts: Mapping[str, str]) -> str | Unreadable:
    """Day, month and year as typed → `YYYY-MM-DD`, or Unreadable saying what is wrong, the first of: digits
    other than 0-9 (`date_digits`), missing parts (`date_missing`, limit: the parts), a part that is no number
    in its range (`date_day`, `date_month`, `date_year`), a day the month does not have (`format`); the
    limit of all but the last names the parts at fault."""
    text = "-".join(parts[part] for part in reversed(PARTS))
    if any(has_other_digits(parts[part]) for part in PARTS):
        return Unreadable(text, "date_digits", bad_parts(parts))
    missing = tuple(part for part in PARTS if not parts[part])
    if missing:
        return Unreadable(text, "date_missing", missing)
    for part in PARTS:
        if part in bad_parts(parts):
            return Unreadable(text, f"date_{part}", (part,))
    day, month, year = (int(parts[part]) for part in PARTS)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return Unreadable(text, "format", "date")  # the message of `format: date`


def bad_parts(parts: Mapping[str, str]) -> tuple[str, ...]:
    """The parts that are no number in their range (a year has four digits), or are written in other digits."""
    bad = []
    for part in PARTS:
        value = parts[part]
        low, high = _RANGES[part]
        digits = 4 if part == "year" else 2
        if value and not (re.fullmatch(rf"[0-9]{{1,{digits}}}", value) and low <= int(value) <= high):
            bad.append(part)
    return tuple(bad)


class DateInput(FieldType):
    widget = "date"
    messages = {
        "date_digits": N_("Enter the date with the digits 0 to 9"),
        "date_day": N_("Day must be between 1 and 31"),
        "date_month": N_("Month must be between 1 and 12"),
        "date_year": N_("Year must have 4 digits, like 2026"),
        "not_in_past": N_("The date must be today or in the future"),
        "not_in_future": N_("The date must be today or in the past"),
    }
    _COMPARED = {
        "after": N_("The date must be after %(date)s"),
        "not_before": N_("The date must be %(date)s or later"),
        "before": N_("The date must be before %(date)s"),
        "not_after": N_("The date must be %(date)s or earlier"),
    }

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "string" and schema.get("format") == "date"

    def holds_dates(self, field: Field) -> bool:
        return True

    def unbound_field(self, field, locale, build):
        return wtf.FormField(DateParts, field.label.get(locale), separator="-")

    def to_json(self, field: Field, raw: Any) -> Any:
        parts = {part: ((raw or {}).get(part) or "").strip() for part in PARTS} if isinstance(raw, Mapping) else {}
        if not any(parts.values()):
            return MISSING
        return read_date(parts)

    def fill(self, field, bound, value, fill):
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return
        bound.form.process(None, data={"day": str(day.day), "month": str(day.month), "year": str(day.year)})

    def render(self, q: Question) -> str:
        typed = {part: q.bound.form[part]._value() for part in PARTS}
        wrong = set(self._wrong_parts(typed)) if q.error else set()
        autocomplete = dict(zip(PARTS, _AUTOCOMPLETE.get(q.field.ui.get("autocomplete", ""), ()), strict=False))
        items = []
        for part in PARTS:
            pid = f"{q.fid}-{part}"
            error_class = " input--error" if part in wrong else ""
            attrs = html.attrs(id=pid, name=pid, autocomplete=autocomplete.get(part),
                               aria_invalid="true" if part in wrong else None)
            items.append(f'<div class="date-input__item"><label class="label date-input__label" for="{pid}">'
                         f'{html.s(q.tr.gettext(_PART_NAMES[part]))}</label><input class="input date-input__input '
                         f'input--width-{_WIDTHS[part]}{error_class}" type="text" inputmode="numeric" '
                         f'value="{html.e(typed[part])}"{attrs}></div>')
        return q.fieldset(f'<div class="date-input" id="{q.fid}">{"".join(items)}</div>')

    def _wrong_parts(self, typed: Mapping[str, str]) -> tuple[str, ...]:
        """The boxes to mark in error: those at fault when the date cannot be read, else all three (a date
        that breaks a rule, or one that is missing)."""
        parts = {part: (typed.get(part) or "").strip() for part in PARTS}
        if not any(parts.values()):
            return PARTS
        read = read_date(parts)
        return tuple(read.limit) if isinstance(read, Unreadable) and read.reason != "format" else PARTS

    def first_input(self, field: Field, key: str) -> str:
        return key.replace(".", "-") + "-day"

    def message(self, keyword: str, tr: Translator, limit: Any) -> str:
        if keyword == "date_missing":
            names = [tr.gettext(_MISSING_NAMES[part]) for part in limit]
            return tr.gettext(N_("The date must include %(parts)s"), parts=format_list(names, locale=tr.locale))
        if keyword in self._COMPARED:
            return tr.gettext(self._COMPARED[keyword], date=self.display(None, limit, tr))
        if keyword == "min_days_ahead":
            days, earliest = limit
            return tr.ngettext("The date must be %(date)s or later, at least %(num)d day from today",
                               "The date must be %(date)s or later, at least %(num)d days from today",
                               days, date=self.display(None, earliest, tr))
        return super().message(keyword, tr, limit)

    def display(self, field: Field | None, value: Any, tr: Translator) -> str:
        try:
            return long_date(date.fromisoformat(value), tr.locale)
        except (TypeError, ValueError):
            return str(value)
