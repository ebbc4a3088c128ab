"""Field types: how one JSON Schema property is asked, read back from the form and shown.

Each type is a class in REGISTRY. A property gets the type its `ui.widget` names, or else
the first type that accepts its schema. A new widget is one class and one registry entry.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from babel.dates import format_date
from wtforms import SelectChoice
from wtforms import fields as wtf

from .attachments import DEFAULT_KINDS, DEFAULT_MAX_MB
from .messages import N_, Translator
from .texts import Text

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
"""An answer the citizen left empty: not stored, so that `required` can catch it."""


@dataclass(frozen=True)
class Option:
    value: Any
    label: Text


@dataclass(frozen=True)
class Field:
    """One question of a form: where its answer sits in the data and how it is asked."""

    path: tuple[str, ...]
    schema: Mapping[str, Any]
    ui: Mapping[str, Any]
    required: bool
    type: FieldType
    children: tuple[Field, ...] = ()
    visible_if: Any = None  # a conditions.Predicate: asked only when it holds
    required_if: Any = None  # a conditions.Predicate: must be answered when it holds

    @property
    def key(self) -> str:
        """Dotted path, as in `ui.fields` and in error maps: `address.postcode`."""
        return ".".join(self.path)

    @property
    def html_id(self) -> str:
        """Name and id of the input; WTForms joins nested names with a hyphen."""
        return "-".join(self.path)

    @property
    def label(self) -> Text:
        return Text.of(self.ui["label"])

    @property
    def hint(self) -> Text | None:
        return Text.maybe(self.ui.get("hint"))

    @property
    def options(self) -> tuple[Option, ...]:
        return options_of(self.schema.get("items", self.schema) if self.type.widget == "checkboxes"
                          else self.schema, self.ui)

    def walk(self):
        """This field and every field nested in it, in page order."""
        yield self
        for child in self.children:
            yield from child.walk()


def options_of(schema: Mapping[str, Any], ui: Mapping[str, Any]) -> tuple[Option, ...]:
    """Allowed values of an `enum` or a `oneOf`/`anyOf` of consts, labelled from `ui.options`."""
    labels = ui.get("options", {})
    if "enum" in schema:
        values = [(value, None) for value in schema["enum"]]
    else:
        values = [(branch["const"], branch.get("title"))
                  for branch in schema.get("oneOf", schema.get("anyOf", ()))]
    return tuple(Option(value, Text.maybe(labels.get(str(value))) or Text.same(title or str(value)))
                 for value, title in values)


def choices(field: Field, locale: str) -> list[SelectChoice]:
    """The options as WTForms choices: the value as text, the label in the page's language."""
    return [SelectChoice(str(option.value), option.label.get(locale)) for option in field.options]


def is_choice(schema: Mapping[str, Any]) -> bool:
    branches = schema.get("oneOf", schema.get("anyOf"))
    return "enum" in schema or bool(branches) and all("const" in b for b in branches)


class FieldType:
    """How one kind of property is asked: the WTForms field, the coercion, the display."""

    widget: ClassVar[str]
    default_for_schema: ClassVar[bool] = True

    @classmethod
    def accepts(cls, schema: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def unbound_field(self, field: Field, locale: str) -> Any:
        return wtf.StringField(field.label.get(locale))

    def to_json(self, field: Field, raw: Any) -> Any:
        """The answer as JSON data, MISSING when left empty; unparseable text is kept for the schema to reject."""
        text = (raw or "").strip() if isinstance(raw, str) else raw
        return MISSING if text in ("", None) else text

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        """The stored answer as a person reads it, in the page's language."""
        return str(value)


class TextInput(FieldType):
    widget = "text"

    @classmethod
    def accepts(cls, schema):
        return (schema.get("type") == "string" and not is_choice(schema)
                and schema.get("format") not in ("date", "attachment"))  # those have widgets of their own


class EmailInput(TextInput):
    widget = "email"

    @classmethod
    def accepts(cls, schema):
        return super().accepts(schema) and schema.get("format") == "email"


class TelInput(TextInput):
    widget = "tel"
    default_for_schema = False


class Textarea(TextInput):
    widget = "textarea"
    default_for_schema = False

    def unbound_field(self, field, locale):
        return wtf.TextAreaField(field.label.get(locale))

    def to_json(self, field, raw):
        value = super().to_json(field, raw)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class DateInput(FieldType):
    """A date typed as 31.12.2026 or picked by the browser (2026-12-31); stored as ISO 8601."""

    widget = "date"
    _DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "string" and schema.get("format") == "date"

    def to_json(self, field, raw):
        value = super().to_json(field, raw)
        match = self._DOTTED.match(value) if isinstance(value, str) else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return value
        return value

    def display(self, field, value, tr):
        try:
            return format_date(date.fromisoformat(value), format="long", locale=tr.locale)
        except (TypeError, ValueError):
            return str(value)


class NumberInput(FieldType):
    """Numbers as people type them: `1 250,5` or `1250.5`; stored as JSON numbers."""

    widget = "number"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") in ("integer", "number") and not is_choice(schema)

    def to_json(self, field, raw):
        value = super().to_json(field, raw)
        if not isinstance(value, str):
            return value
        text = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
        try:
            if re.fullmatch(r"[+-]?\d+", text):
                return int(text)
            if field.schema.get("type") == "number" and re.fullmatch(r"[+-]?\d*\.\d+", text):
                number = float(text)
                return number if math.isfinite(number) else value
        except ValueError:
            pass
        return value

    def display(self, field, value, tr):
        return tr.number(value) if isinstance(value, (int, float)) else str(value)


class Radios(FieldType):
    widget = "radios"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") in ("string", "integer", "number", None) and is_choice(schema)

    def unbound_field(self, field, locale):
        return wtf.RadioField(field.label.get(locale), choices=choices(field, locale), validate_choice=False)

    def to_json(self, field, raw):
        value = super().to_json(field, raw)
        for option in field.options:
            if value is not MISSING and str(option.value) == value:
                return option.value
        return value

    def display(self, field, value, tr):
        for option in field.options:
            if option.value == value:
                return option.label.get(tr.locale)
        return str(value)


class Select(Radios):
    widget = "select"
    default_for_schema = False

    def unbound_field(self, field, locale):
        return wtf.SelectField(field.label.get(locale), choices=[SelectChoice("", "")] + choices(field, locale),
                               validate_choice=False)


class Checkbox(FieldType):
    """A single yes/no box; unticked is stored as false (an answer, not a gap)."""

    widget = "checkbox"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "boolean"

    def unbound_field(self, field, locale):
        return wtf.BooleanField(field.label.get(locale))

    def to_json(self, field, raw):
        return bool(raw)

    def display(self, field, value, tr):
        return tr.gettext(N_("Yes")) if value else tr.gettext(N_("No"))


class Checkboxes(FieldType):
    """Several values from a list (an array of enums, unique items)."""

    widget = "checkboxes"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "array" and is_choice(schema.get("items", {}))

    def unbound_field(self, field, locale):
        return wtf.SelectMultipleField(field.label.get(locale), choices=choices(field, locale), validate_choice=False)

    def to_json(self, field, raw):
        by_text = {str(option.value): option.value for option in field.options}
        values = [by_text.get(item, item) for item in raw or ()]
        return values or MISSING

    def display(self, field, value, tr):
        labels = {option.value: option.label.get(tr.locale) for option in field.options}
        return ", ".join(labels.get(item, str(item)) for item in value or ())


class Fieldset(FieldType):
    """A nested object: its properties are asked together under one legend."""

    widget = "fieldset"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "object" and "properties" in schema

    def to_json(self, field, raw):
        data = raw if isinstance(raw, dict) and raw else MISSING
        if data is MISSING and field.required:
            return {}
        return data


class RepeatingGroup(FieldType):
    """A list of like items (an array of objects): each item's questions together, "add another"
    and "remove" buttons that work without JavaScript."""

    widget = "repeat"
    MAX_ITEMS = 50  # when the schema sets no maxItems: no form needs more, and a post cannot ask for more

    @classmethod
    def accepts(cls, schema):
        items = schema.get("items", {})
        return schema.get("type") == "array" and items.get("type") == "object" and "properties" in items

    def max_items(self, field: Field) -> int:
        return min(field.schema.get("maxItems", self.MAX_ITEMS), self.MAX_ITEMS)

    def to_json(self, field, raw):
        items = [item for item in raw or () if item]  # an item left wholly empty is no item
        return items or MISSING


class FileUpload(FieldType):
    """An attached file; the answer kept is the file's SHA-256, its name and size are kept beside it."""

    widget = "file"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "string" and schema.get("format") == "attachment"

    def unbound_field(self, field, locale):
        return wtf.FileField(field.label.get(locale))

    def to_json(self, field, raw):
        return MISSING  # files arrive through the upload, not as form text

    def kinds(self, field: Field) -> tuple[str, ...]:
        return tuple(field.ui.get("file_types", DEFAULT_KINDS))

    def max_mb(self, field: Field) -> int:
        return int(field.ui.get("max_size_mb", DEFAULT_MAX_MB))


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

