"""Default error messages per JSON Schema keyword, in plain words that say what to do.

Strings are marked for Babel here and translated by the caller's Translator, so this module
works without Flask. A definition's `ui.fields.<field>.errors.<keyword>` overrides them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from babel.lists import format_list
from babel.numbers import format_decimal

from .exact import decimal


def N_(message: str) -> str:  # noqa: N802 - the Babel marker name
    return message


class Translations(Protocol):
    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


@dataclass(frozen=True)
class Translator:
    """A locale and the Babel catalog for it."""

    locale: str
    translations: Translations

    def gettext(self, message: str, **params: Any) -> str:
        text = self.translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, num: int, **params: Any) -> str:
        return self.translations.ngettext(singular, plural, num) % {"num": num, **params}

    def any_of(self, kinds: Any) -> str:
        """File kinds as people name them, joined with "or": PDF, JPG lub PNG."""
        return format_list([_KIND_NAMES.get(kind, kind.upper()) for kind in kinds], style="or", locale=self.locale)

    def file_size(self, size: int) -> str:
        """A size as people read it: 340 kB, 1,2 MB."""
        if size < 1024 * 1024:
            return f"{self.number(max(1, round(size / 1024)))} kB"
        return f"{self.number(round(size / 1024 / 1024, 1))} MB"

    def number(self, value: Any, places: int | None = None) -> str:
        """A number as the locale writes it (1 250,5), every digit of it; with `places`, exactly that many
        decimals."""
        if places is None:
            return format_decimal(decimal(value), locale=self.locale, decimal_quantization=False)
        return format_decimal(decimal(value), format="#,##0" + ("." + "0" * places if places else ""),
                              locale=self.locale)

    def money(self, value: Any) -> str:
        """An amount in złoty as the locale writes it: 980,50 zł, PLN 980.50."""
        return self.gettext(N_("PLN %(amount)s"), amount=self.number(value, 2)).replace(" ", "\u00a0")


def _type(tr: Translator, limit: Any) -> str:
    if limit == "integer":
        return tr.gettext(N_("Enter a whole number, like 12"))
    if limit == "number":
        return tr.gettext(N_("Enter a number, like 12.5"))
    return tr.gettext(N_("Check this answer"))


_FORMATS = {
    "email": N_("Enter an e-mail address in the correct format, like name@example.com"),
    "date": N_("The date must be a real date"),
    "pesel": N_("Enter a valid 11-digit PESEL number"),
    "nip": N_("Enter a valid 10-digit NIP number"),
}


def _format(tr: Translator, limit: Any) -> str:
    return tr.gettext(_FORMATS.get(limit, N_("Enter the answer in the correct format")))


_KIND_NAMES = {"jpeg": "JPG"}

def _choice(tr: Translator, _limit: Any) -> str:
    return tr.gettext(N_("Select one of the answers given"))


DEFAULTS: dict[str, Callable[[Translator, Any], str]] = {
    "required": lambda tr, limit: tr.gettext(N_("Fill in this field")),
    "type": _type,
    "format": _format,
    "enum": _choice,
    "const": _choice,
    "oneOf": _choice,
    "anyOf": _choice,
    "pattern": lambda tr, limit: tr.gettext(N_("Enter the answer in the correct format")),
    "minLength": lambda tr, limit: tr.ngettext(
        "Enter at least %(num)d character", "Enter at least %(num)d characters", limit),
    "maxLength": lambda tr, limit: tr.ngettext(
        "Enter no more than %(num)d character", "Enter no more than %(num)d characters", limit),
    "minimum": lambda tr, limit: tr.gettext(N_("Enter a number that is %(limit)s or more"), limit=tr.number(limit)),
    "maximum": lambda tr, limit: tr.gettext(N_("Enter a number that is %(limit)s or less"), limit=tr.number(limit)),
    "exclusiveMinimum": lambda tr, limit: tr.gettext(N_("Enter a number greater than %(limit)s"),
                                                        limit=tr.number(limit)),
    "exclusiveMaximum": lambda tr, limit: tr.gettext(N_("Enter a number less than %(limit)s"),
                                                        limit=tr.number(limit)),
    "multipleOf": lambda tr, limit: tr.gettext(N_("Enter a multiple of %(limit)s"), limit=tr.number(limit)),
    "minItems": lambda tr, limit: tr.ngettext(
        "Select at least %(num)d answer", "Select at least %(num)d answers", limit),
    "maxItems": lambda tr, limit: tr.ngettext(
        "Select no more than %(num)d answer", "Select no more than %(num)d answers", limit),
    "uniqueItems": lambda tr, limit: tr.gettext(N_("Select each answer only once")),
    "file_empty": lambda tr, limit: tr.gettext(N_("The chosen file is empty")),
    "file_size": lambda tr, limit: tr.gettext(N_("The file must be no bigger than %(limit)s MB"), limit=limit),
    "file_type": lambda tr, limit: tr.gettext(N_("The file must be a %(kinds)s"), kinds=tr.any_of(limit)),
}


def default_message(keyword: str, tr: Translator, limit: Any) -> str:
    """The message for a failed keyword; a field type may have its own (engine/types/), a definition too."""
    build = DEFAULTS.get(keyword)
    return build(tr, limit) if build else tr.gettext(N_("Check this answer"))
