"""Field types: every kind of question a definition can ask, one class each (see base.py for what a
type owns). A property gets the type of its `ui.widget` that accepts its schema (`radios` asks a choice,
or yes or no), or else the first type that accepts its schema. A new widget is one class here and one
entry in REGISTRY."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import MISSING, AnswerRow, Field, FieldType, Option, Unreadable, is_choice, options_of, render_question
from .choice import Checkbox, Checkboxes, Radios, Select, YesNo
from .date import DateInput
from .file import FileUpload
from .group import AnswerList, Fieldset, RepeatingGroup
from .number import MoneyInput, NumberInput
from .text import EmailInput, TelInput, Textarea, TextInput

__all__ = ["MISSING", "AnswerRow", "Field", "FieldType", "Option", "REGISTRY", "Unreadable", "field_type_for",
           "is_choice", "options_of", "render_question"]

REGISTRY: tuple[type[FieldType], ...] = (
    EmailInput, TextInput, TelInput, Textarea, DateInput, NumberInput, MoneyInput,
    Radios, Select, YesNo, Checkbox, Checkboxes, Fieldset, RepeatingGroup, AnswerList, FileUpload,
)
_TYPES = {cls: cls() for cls in REGISTRY}


def field_type_for(schema: Mapping[str, Any], widget: str | None) -> FieldType | None:
    """The type of the widget the definition names that accepts the schema, or the first type that accepts
    it by default; None if none fits."""
    for cls, kind in _TYPES.items():
        if (cls.widget == widget if widget is not None else cls.default_for_schema) and cls.accepts(schema):
            return kind
    return None
