"""Field types: every kind of question a definition can ask, one class each (see base.py for what a
type owns). A property gets the type its `ui.widget` names, or else the first type that accepts its
schema. A new widget is one class here and one entry in REGISTRY."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import MISSING, AnswerRow, Field, FieldType, Option, is_choice, options_of, render_question
from .choice import Checkbox, Checkboxes, Radios, Select
from .date import DateInput
from .file import FileUpload
from .group import Fieldset, RepeatingGroup
from .number import NumberInput
from .text import EmailInput, TelInput, Textarea, TextInput

__all__ = ["MISSING", "AnswerRow", "Field", "FieldType", "Option", "REGISTRY", "WIDGETS", "field_type_for",
           "is_choice", "options_of", "render_question"]

REGISTRY: tuple[type[FieldType], ...] = (
    EmailInput, TextInput, TelInput, Textarea, DateInput, NumberInput,
    Radios, Select, Checkbox, Checkboxes, Fieldset, RepeatingGroup, FileUpload,
)
WIDGETS = {cls.widget: cls() for cls in REGISTRY}


def field_type_for(schema: Mapping[str, Any], widget: str | None) -> FieldType | None:
    """The type the definition asks for, or the first that accepts the schema; None if none fits."""
    if widget is not None:
        chosen = WIDGETS[widget]
        return chosen if type(chosen).accepts(schema) else None
    for cls in REGISTRY:
        if cls.default_for_schema and cls.accepts(schema):
            return WIDGETS[cls.widget]
    return None
