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
        if field.children:
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
        if field.children:
            fill_form(bound.form, field.children, value)
        elif isinstance(value, list):
            bound.data = [str(item) for item in value]
        else:
            bound.data = value if isinstance(value, bool) else str(value)
