"""Questions answered by typing a line or a few paragraphs: text, e-mail, phone, longer text."""
from __future__ import annotations

from typing import Any

from wtforms import fields as wtf

from .. import html
from .base import Field, FieldType, Question, is_choice

FIXED_LENGTH_FORMATS = ("pesel", "nip")  # their format already bounds the answer


class TextInput(FieldType):
    widget = "text"
    input_type = "text"
    input_extra = ""  # more attributes of the <input>

    @classmethod
    def accepts(cls, schema):
        return (schema.get("type") == "string" and not is_choice(schema)
                and schema.get("format") not in ("date", "attachment"))  # those have types of their own

    def render(self, q: Question) -> str:
        return q.labelled(self.control(q))

    def width(self, q: Question) -> str | None:
        """The box's width in characters (`ui.width`); None: full width."""
        return q.field.ui.get("width")

    def control(self, q: Question) -> str:
        width = f" input--width-{html.e(self.width(q))}" if self.width(q) else ""
        error_class = " input--error" if q.error else ""
        return (f'<input class="input{width}{error_class}" type="{self.input_type}" value="{html.e(q.bound._value())}"'
                f'{self.extra_attrs(q)}{q.common_attrs()}>')

    def extra_attrs(self, q: Question) -> str:
        return self.input_extra

    def limit_problem(self, field: Field) -> str | None:
        if "maxLength" in field.schema or field.schema.get("format") in FIXED_LENGTH_FORMATS:
            return None
        return "give it a maxLength (the longest answer it takes)"


class EmailInput(TextInput):
    widget = "email"
    input_type = "email"
    input_extra = ' spellcheck="false"'

    @classmethod
    def accepts(cls, schema):
        return super().accepts(schema) and schema.get("format") == "email"


class TelInput(TextInput):
    widget = "tel"
    input_type = "tel"
    input_extra = ' spellcheck="false"'
    default_for_schema = False


class Textarea(TextInput):
    widget = "textarea"
    default_for_schema = False

    def unbound_field(self, field, locale, build):
        return wtf.TextAreaField(field.label.get(locale))

    def to_json(self, field: Field, raw: Any) -> Any:
        value = super().to_json(field, raw)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    def control(self, q: Question) -> str:
        error_class = " input--error" if q.error else ""
        value = html.e(q.bound._value())
        return f'<textarea class="textarea{error_class}" rows="6"{q.common_attrs()}>{value}</textarea>'
