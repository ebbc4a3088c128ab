"""WTForms forms built from definitions, and the submitted answers read back as JSON data.

A form class is built once per (definition version, language, base class) and never changed
afterwards; every request gets its own instance of it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wtforms import Form
from wtforms import fields as wtf

from .definitions import FormDefinition
from .fields import MISSING, Field
from .journey import Page

_CLASSES: dict[tuple[str, str, str], type[Form]] = {}


def form_class(definition: FormDefinition, locale: str, page: Page | None = None) -> type[Form]:
    """The WTForms class for one page of a definition (or all of it) in one language.

    Cached: definitions are frozen, so a class once built never changes.
    """
    key = (definition.sha256, locale, page.id if page else "")
    if key not in _CLASSES:
        _CLASSES[key] = _build(page.fields if page else definition.fields, locale, Form)
    return _CLASSES[key]


def _build(fields: tuple[Field, ...], locale: str, base: type[Form]) -> type[Form]:
    attributes = {}
    for field in fields:
        if field.type.widget == "repeat":
            item = wtf.FormField(_build(field.children, locale, Form), separator="-")
            attributes[field.path[-1]] = wtf.FieldList(item, field.label.get(locale), min_entries=1,
                                                       max_entries=field.type.max_items(field))  # type: ignore[attr-defined]
        elif field.children:
            nested = _build(field.children, locale, Form)
            attributes[field.path[-1]] = wtf.FormField(nested, field.label.get(locale), separator="-")
        else:
            attributes[field.path[-1]] = field.type.unbound_field(field, locale)
    return type("DefinitionForm", (base,), attributes)


def read_answers(fields: Iterable[Field], form: Any) -> dict[str, Any]:
    """The answers as JSON data: empty answers left out, text typed in kept for the schema to judge."""
    data: dict[str, Any] = {}
    for field in fields:
        bound = form[field.path[-1]]
        if field.type.widget == "repeat":
            raw: Any = [read_answers(field.children, entry.form) for entry in bound.entries]
        else:
            raw = read_answers(field.children, bound.form) if field.children else bound.data
        value = field.type.to_json(field, raw)
        if value is not MISSING:
            data[field.path[-1]] = value
    return data


def fill_form(form: Any, fields: Iterable[Field], data: Mapping[str, Any]) -> None:
    """Put stored answers back into an unsubmitted form (for showing or editing them again)."""
    for field in fields:
        if field.path[-1] not in data:
            continue
        bound = form[field.path[-1]]
        value = data[field.path[-1]]
        if field.type.widget == "repeat":
            bound.process(None, data=[{} for _ in value])
            for entry, item in zip(bound.entries, value, strict=True):
                fill_form(entry.form, field.children, item)
        elif field.children:
            fill_form(bound.form, field.children, value)
        elif isinstance(value, list):
            bound.data = [str(item) for item in value]
        else:
            bound.data = value if isinstance(value, bool) else str(value)


def change_items(form: Any, fields: Iterable[Field], action: str) -> bool:
    """Apply an "add another" (`add:NAME`) or "remove" (`remove:NAME:INDEX`) button; False if none applies."""
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    field = next((f for f in fields if f.path[-1] == name and f.type.widget == "repeat"), None)
    if field is None:
        return False
    entries = form[name]
    if verb == "add" and len(entries.entries) < field.type.max_items(field):  # type: ignore[attr-defined]
        entries.append_entry()
        return True
    if verb == "remove" and index.isdigit() and int(index) < len(entries.entries):
        entries.entries.pop(int(index))
        if not entries.entries:
            entries.append_entry()
        return True
    return False
