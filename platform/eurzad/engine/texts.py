"""Citizen-visible texts of definitions, each in Polish and English."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LOCALES = ("pl", "en")
DEFAULT_LOCALE = "pl"


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
