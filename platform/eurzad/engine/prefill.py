"""Answers an account fills in: a definition marks a question `prefill: account.pesel`, and the source says
whether the answer is the applicant's identity or a contact detail (decision 0028).

- An **identity** source holds what the front desk confirmed from an ID document (the name, the PESEL).
  For an account whose identity was confirmed, such answers are the account's, whatever a page posts: they
  are set from the account on every page and again when the form is filed, and the page shows them as
  text. For any other sender they are ordinary questions.
- A **contact** source holds what the citizen may change at any time (e-mail, phone, home address): the
  answers are filled in once, when the draft starts, and can be changed in the form like any other.

The list of sources is closed (the meta-schema's `prefill` enum is built from it): a source is added here
and nowhere else, and only for something the account really stores.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .formats import known_formats
from .types import Field, is_choice

IDENTITY = "identity"
CONTACT = "contact"


@dataclass(frozen=True)
class PrefillSource:
    """One thing an account holds that can answer a question."""

    name: str  # as written in a definition: account.pesel
    kind: str  # IDENTITY (confirmed at the front desk, not changed in a form) or CONTACT (filled in once)
    path: tuple[str, ...]  # where the value sits in the account's details
    formats: tuple[str | None, ...] = (None,)  # the `format`s a question it fills may have (None: no format)
    shortest: int = 0  # the shortest and longest text the account can hold (an identity question takes all)
    longest: int = 0
    parts: tuple[str, ...] = ()  # a group of answers: the text questions the group must have


SOURCES: Mapping[str, PrefillSource] = {source.name: source for source in (
    PrefillSource("account.full_name", IDENTITY, ("full_name",), shortest=2, longest=200),
    PrefillSource("account.pesel", IDENTITY, ("pesel",), ("pesel", None), shortest=11, longest=11),
    PrefillSource("account.email", CONTACT, ("email",), ("email", None), longest=254),
    PrefillSource("account.phone", CONTACT, ("phone",), longest=20),
    PrefillSource("account.address", CONTACT, ("address",), parts=("street", "postcode", "city")),
    PrefillSource("account.address.street", CONTACT, ("address", "street"), longest=200),
    PrefillSource("account.address.postcode", CONTACT, ("address", "postcode"), longest=6),
    PrefillSource("account.address.city", CONTACT, ("address", "city"), longest=100),
)}


def source_of(field: Field) -> PrefillSource | None:
    name = field.ui.get("prefill")
    return SOURCES.get(name) if isinstance(name, str) else None


def prefill_problem(field: Field, in_repeat: bool) -> str | None:
    """Why `field` cannot take its prefill source's value, or None: a source fills only a question of its
    own type, and an identity source only one that accepts every value an account can hold, since the
    citizen cannot correct it."""
    source = source_of(field)
    if source is None:
        return None
    if in_repeat:
        return f"prefill '{source.name}' inside a repeating group is not supported (which item would it fill?)"
    schema = field.schema
    if source.parts:
        properties = schema.get("properties", {}) if schema.get("type") == "object" else None
        missing = [part for part in source.parts if not isinstance(properties, dict)
                   or not isinstance(properties.get(part), dict) or properties[part].get("type") != "string"]
        if missing:
            return (f"prefill '{source.name}' fills a group with the text questions {', '.join(source.parts)}; "
                    f"this field {'lacks ' + ', '.join(missing) if properties is not None else 'is not a group'}")
        return None
    if schema.get("type") != "string" or is_choice(schema) or field.type.uploads:
        what = "a choice" if is_choice(schema) else "a file" if field.type.uploads else \
            f"of type {schema.get('type', '(none)')}"
        return f"prefill '{source.name}' fills a text answer (type: string); this field is {what}"
    fmt = schema.get("format")
    if fmt not in source.formats and fmt in known_formats():  # an unknown one is the format check's to report
        allowed = " or ".join(f"'{f}'" for f in source.formats if f) or "none"
        return f"prefill '{source.name}' does not fit format '{fmt}' (it fits {allowed})"
    if source.kind == IDENTITY:
        if "pattern" in schema or schema.get("minLength", 0) > source.shortest or \
                schema.get("maxLength", source.longest) < source.longest:
            return (f"prefill '{source.name}' is an identity answer, which the citizen cannot correct, so the field "
                    f"must take every value an account holds: no pattern, a minLength of at most {source.shortest} "
                    f"and a maxLength of at least {source.longest}")
    return None


@dataclass(frozen=True)
class Account:
    """What an account holds for filling in forms, and whether the front desk confirmed its identity."""

    details: Mapping[str, Any]  # full_name, pesel, email, phone, address ({street, postcode, city})
    confirmed: bool

    def value(self, source: PrefillSource) -> Any:
        """The account's value for a source; None when it holds none (an empty text counts as none)."""
        value: Any = self.details
        for part in source.path:
            value = value.get(part) if isinstance(value, Mapping) else None
        if isinstance(value, Mapping):
            value = {part: value[part] for part in source.parts if value.get(part)} or None
        return value if value not in ("", None) else None

    def identity(self, fields: tuple[Field, ...]) -> dict[tuple[str, ...], Any]:
        """The identity answers the account gives (path → value): none unless its identity is confirmed."""
        return self._answers(fields, (IDENTITY,)) if self.confirmed else {}

    def initial(self, fields: tuple[Field, ...]) -> dict[str, Any]:
        """The answers a new draft starts with: its contact details, and its identity when confirmed."""
        return with_answers({}, self._answers(fields, (IDENTITY, CONTACT) if self.confirmed else (CONTACT,)))

    def _answers(self, fields: tuple[Field, ...], kinds: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
        answers = {}
        for field in _prefilled(fields):
            source = source_of(field)
            if source is not None and source.kind in kinds and self.value(source) is not None:
                answers[field.path] = self.value(source)
        return answers


def identity_fields(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The questions whose answers are the identity of an account (shown as text, never corrected)."""
    return tuple(field for field in _prefilled(fields) if (source := source_of(field)) and source.kind == IDENTITY)


def _prefilled(fields: tuple[Field, ...]) -> Iterator[Field]:
    """The questions with a prefill source, outside repeating groups (where no source can stand)."""
    for field in fields:
        if "prefill" in field.ui:
            yield field
        if not field.type.repeats:
            yield from _prefilled(field.children)


def with_answers(data: Mapping[str, Any], answers: Mapping[tuple[str, ...], Any]) -> dict[str, Any]:
    """A copy of `data` with each answer set at its path (groups made where they are missing)."""
    result = dict(data)
    for path, value in answers.items():
        holder = result
        for part in path[:-1]:
            inner = holder.get(part)
            holder[part] = dict(inner) if isinstance(inner, Mapping) else {}
            holder = holder[part]
        holder[path[-1]] = dict(value) if isinstance(value, Mapping) else value
    return result
