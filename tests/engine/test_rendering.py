"""Every widget draws a definition's texts and a citizen's answers escaped: no text can become markup.

Escaping is by discipline (engine/html.py has two doors, `e` and `s`), so this guard draws every type in
the registry with texts and answers that hold `<b>"&'`; a widget added to the registry without a
question here fails the first test.
"""
from __future__ import annotations

import json

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.definitions import definition_from_text
from eurzad.engine.forms import form_class
from eurzad.engine.types import REGISTRY, render_question

EVIL = "<b>\"&'"
TEXT = {"pl": f"{EVIL} pl", "en": f"{EVIL} en"}


def _ui(widget: str | None = None, **extra) -> dict:
    return {"label": TEXT, "hint": TEXT, **({"widget": widget} if widget else {}), **extra}


PROPERTIES = {
    "text": ({"type": "string", "maxLength": 50}, _ui()),
    "email": ({"type": "string", "format": "email", "maxLength": 50}, _ui()),
    "tel": ({"type": "string", "maxLength": 50}, _ui("tel", autocomplete="tel")),
    "textarea": ({"type": "string", "maxLength": 500}, _ui("textarea")),
    "date": ({"type": "string", "format": "date"}, _ui()),
    "number": ({"type": "number", "minimum": 0, "maximum": 10}, _ui(width="5")),
    "money": ({"type": "number", "minimum": 0, "maximum": 10, "multipleOf": 0.01}, _ui("money")),
    "radios": ({"type": "string", "enum": [EVIL, "b"]}, _ui(options={EVIL: TEXT, "b": TEXT})),
    "select": ({"type": "string", "enum": [EVIL, "b"]}, _ui("select", options={EVIL: TEXT, "b": TEXT})),
    "checkbox": ({"type": "boolean"}, _ui()),
    "yesno": ({"type": "boolean"}, _ui("radios")),
    "checkboxes": ({"type": "array", "items": {"enum": [EVIL, "b"]}}, _ui(options={EVIL: TEXT, "b": TEXT})),
    "fieldset": ({"type": "object", "properties": {"inner": {"type": "string", "maxLength": 50}}}, _ui()),
    "repeat": ({"type": "array", "items": {"type": "object", "properties": {"item": {"type": "string",
                                                                                     "maxLength": 50}}}},
               _ui(item_label=TEXT, add_label=TEXT)),
    "file": ({"type": "string", "format": "attachment"}, _ui()),
    "dates": ({"type": "array", "items": {"type": "string", "format": "date"}}, _ui(item_label=TEXT, add_label=TEXT)),
}
UI_FIELDS = {name: ui for name, (_schema, ui) in PROPERTIES.items()} | {
    "fieldset.inner": _ui(), "repeat.item": _ui()}
POSTED = MultiDict([("text", EVIL), ("email", EVIL), ("tel", EVIL), ("textarea", EVIL), ("date", EVIL),
                    ("number", EVIL), ("money", EVIL), ("radios", EVIL), ("select", EVIL), ("checkbox", "y"),
                    ("yesno", EVIL), ("checkboxes", EVIL),
                    ("fieldset-inner", EVIL), ("repeat-0-item", EVIL), ("repeat-1-item", EVIL),
                    ("dates-0-day", EVIL), ("dates-1-month", EVIL)])


@pytest.fixture(scope="module")
def definition():
    text = json.dumps({
        "id": "evil", "version": 1, "title": TEXT,
        "service": {"department": "OR", "jrwa": "0150", "legal_basis": TEXT, "fee": TEXT, "deadline": {"days": 14}},
        "workflow": "standard",
        "schema": {"type": "object", "properties": {name: schema for name, (schema, _ui) in PROPERTIES.items()}},
        "ui": {"pages": [{"id": "all", "title": TEXT, "fields": list(PROPERTIES)}], "fields": UI_FIELDS},
    })
    return definition_from_text(text)


def test_the_guard_asks_a_question_of_every_type_in_the_registry(definition):
    assert {type(field.type) for field in definition.all_fields()} == set(REGISTRY)


@pytest.mark.parametrize("locale", ["pl", "en"])
def test_every_widget_draws_texts_answers_and_errors_escaped(definition, locale, pl, en):
    tr = pl if locale == "pl" else en
    form = form_class(definition, locale)(POSTED)
    errors = {field.key: EVIL for field in definition.all_fields()}
    for field in definition.fields:
        html = render_question(field, form, errors, tr, heading=field.name == "checkbox",
                               current_file=lambda _field: (EVIL, f"/files/{EVIL}"),
                               actions=lambda path: f"/page/{path}?{EVIL}")
        assert "<b>" not in html and EVIL not in html, f"{field.type.widget}: {html}"
        assert "&lt;b&gt;" in html, f"{field.type.widget} shows neither its texts nor its answer"
