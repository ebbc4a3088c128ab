"""Citizen-visible texts of definitions, each in Polish and English."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

LOCALES = ("pl", "en")
DEFAULT_LOCALE = "pl"
DATE_PATTERN = "d MMMM y"
"""How a date is written in both languages: "4 stycznia 2027", "4 January 2027" (never a numeric date, whose
order a reader may take the wrong way round)."""


def long_date(value: date, locale: str) -> str:
    return format_date(value, DATE_PATTERN, locale=locale)


@dataclass(frozen=True)
class Text:
    """One text in both languages; Polish is the office's language and the fallback."""

    pl: str
    en: str

    @classmethod
    def of(cls, value: Mapping[str, str]) -> Text:
        """Text from a `{pl: ..., en: ...}` map of a definition file."""
        return cls(pl=value["pl"], en=value["en"])

    @classmethod
    def maybe(cls, value: Mapping[str, str] | None) -> Text | None:
        """Text from an optional map: None when the definition leaves it out."""
        return None if value is None else cls.of(value)

    @classmethod
    def same(cls, value: str) -> Text:
        """A text that reads the same in both languages (a number, a symbol)."""
        return cls(pl=value, en=value)

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.pl

    def __str__(self) -> str:
        return self.pl
