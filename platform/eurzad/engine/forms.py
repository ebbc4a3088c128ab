"""WTForms forms built from definitions, and the submitted answers read back as JSON data.

A form class is built once per (definition version, language, base class) and never changed
afterwards; every request gets its own instance of it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wtforms import Form

from .definitions import FormDefinition
from .journey import Page
from .types import MISSING, Field

_CLASSES: dict[tuple[str, str, str], type[Form]] = {}


def form_class(definition: FormDefinition, locale: str, page: Page | None = None) -> type[Form]:
    """The WTForms class for one page of a definition (or all of it) in one language.

    Cached: definitions are frozen, so a class once built never changes.
    """
    return _cached((definition.sha256, locale, page.id if page else ""), page.fields if page else definition.fields,
                   locale)


def questions_class(definition: FormDefinition, locale: str, names: tuple[str, ...]) -> type[Form]:
    """The WTForms class for some of a definition's questions (those an office's request names), in page order."""
    return _cached((definition.sha256, locale, "questions:" + ",".join(names)),
                   tuple(field for field in definition.fields if field.name in names), locale)


def _cached(key: tuple[str, str, str], fields: tuple[Field, ...], locale: str) -> type[Form]:
    if key not in _CLASSES:
        _CLASSES[key] = _build(fields, locale, Form)
    return _CLASSES[key]


def _build(fields: tuple[Field, ...], locale: str, base: type[Form]) -> type[Form]:
    def build(children: tuple[Field, ...]) -> type[Form]:
        return _build(children, locale, Form)
    attributes = {field.name: field.type.unbound_field(field, locale, build) for field in fields}
    return type("DefinitionForm", (base,), attributes)


def read_answers(fields: Iterable[Field], form: Any) -> dict[str, Any]:
    """The answers as JSON data: empty answers left out, text typed in kept for the schema to judge."""
    data: dict[str, Any] = {}
    for field in fields:
        value = field.type.read(field, form[field.name], read_answers)
        if value is not MISSING:
            data[field.name] = value
    return data


def fill_form(form: Any, fields: Iterable[Field], data: Mapping[str, Any]) -> None:
    """Put stored answers back into an unsubmitted form (for showing or editing them again)."""
    for field in fields:
        if field.name in data:
            field.type.fill(field, form[field.name], data[field.name], fill_form)


def page_action(form: Any, fields: Iterable[Field], verb: str, name: str, index: int | None = None) -> bool:
    """Apply a question's own button ("add another", "remove" item `index`) to the posted form; False if
    the page has no such question or the question no such button."""
    field = next((f for f in fields if f.name == name), None)
    return field is not None and field.type.page_action(field, form[name], verb, index)


def field_names(form: Any) -> set[str]:
    """Every input name a bound form takes: its fields, the parts of a group, the items of a list as bound
    (never more than the question's maxItems)."""
    names: set[str] = set()
    for bound in form:
        names.add(bound.name)
        if hasattr(bound, "entries"):  # a list of items
            for entry in bound.entries:
                names |= field_names(entry.form) if hasattr(entry, "form") else {entry.name}
        elif hasattr(bound, "form"):  # a group of questions
            names |= field_names(bound.form)
    return names


def unasked(form: Any, posted: Iterable[str], own: Iterable[str] = ("csrf_token",)) -> list[str]:
    """The names a post carries that the page does not ask: an answer to another question, an item beyond
    a list's maxItems, a part of an item the item does not have. Refused, never dropped (decision 0034)."""
    return sorted(set(posted) - field_names(form) - set(own))
