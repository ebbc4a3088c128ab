"""Questions answered by choosing: one of a list (radios, a drop-down), several (check boxes), or a single tick."""
from __future__ import annotations

from typing import Any

from wtforms import SelectChoice
from wtforms import fields as wtf

from .. import html
from ..messages import N_, Translator
from .base import MISSING, Field, FieldType, Question, choices, is_choice


class Radios(FieldType):
    widget = "radios"
    messages = {"required": N_("Select an answer")}

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") in ("string", "integer", "number", None) and is_choice(schema)

    def unbound_field(self, field, locale, build):
        return wtf.RadioField(field.label.get(locale), choices=choices(field, locale), validate_choice=False)

    def to_json(self, field: Field, raw: Any) -> Any:
        value = super().to_json(field, raw)
        for option in field.options:
            if value is not MISSING and str(option.value) == value:
                return option.value
        return value

    def render(self, q: Question) -> str:
        items = ((choice.value, choice.label, choice.value == q.bound.data) for choice in q.bound.choices)
        return q.fieldset(html.choices(q.fid, q.fid, items, multiple=False, invalid=bool(q.error)))

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        for option in field.options:
            if option.value == value:
                return option.label.get(tr.locale)
        return str(value)


class Select(Radios):
    widget = "select"
    default_for_schema = False

    def unbound_field(self, field, locale, build):
        return wtf.SelectField(field.label.get(locale), choices=[SelectChoice("", "")] + choices(field, locale),
                               validate_choice=False)

    def render(self, q: Question) -> str:
        choose = html.s(q.tr.gettext(N_("Choose")))
        selected = q.bound.data
        options = "".join(
            f'<option value="{html.s(choice.value)}"{" selected" if choice.value and selected == choice.value else ""}>'
            f'{html.s(choice.label) if choice.label else choose}</option>' for choice in q.bound.choices)
        error_class = " input--error" if q.error else ""
        return q.labelled(f'<select class="select{error_class}"{q.common_attrs()}>{options}</select>')


class YesNo(Radios):
    """A yes/no question (`type: boolean` with `widget: radios`): two radio buttons, Tak and Nie. It has
    three states: not answered (absent from the data), yes (`true`) and no (`false`)."""

    widget = "radios"
    default_for_schema = False
    POSTED = {"yes": True, "no": False}
    messages = {"required": N_("Select yes or no"), "type": N_("Select yes or no")}

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "boolean"

    def unbound_field(self, field, locale, build):
        return wtf.RadioField(field.label.get(locale), choices=[SelectChoice(posted, posted) for posted in self.POSTED],
                              validate_choice=False)

    def to_json(self, field: Field, raw: Any) -> Any:
        text = (raw or "").strip() if isinstance(raw, str) else ""
        if not text:
            return MISSING
        return self.POSTED.get(text, text)  # any other value is refused by `type: boolean`

    def fill(self, field, bound, value, fill):
        bound.data = next((posted for posted, answer in self.POSTED.items() if answer is value), None)

    def render(self, q: Question) -> str:
        words = {"yes": q.tr.gettext(N_("Yes")), "no": q.tr.gettext(N_("No"))}
        items = ((posted, words[posted], q.bound.data == posted) for posted in self.POSTED)
        return q.fieldset(html.choices(q.fid, q.fid, items, multiple=False, inline=True, invalid=bool(q.error)))

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        return tr.gettext(N_("Yes")) if value is True else tr.gettext(N_("No")) if value is False else str(value)


class Checkbox(FieldType):
    """A single tick box: ticked is `true`, unticked is no answer (absent from the data), so a box in
    `required` must be ticked (a consent) and an optional one left unticked is simply not stated. Only
    the box's own value (`y`) ticks it; anything else posted is refused."""

    widget = "checkbox"
    TICKED = "y"
    messages = {keyword: N_("Tick the box to continue") for keyword in ("required", "const", "enum", "oneOf", "anyOf")}

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "boolean"

    def unbound_field(self, field, locale, build):
        return wtf.StringField(field.label.get(locale))

    def to_json(self, field: Field, raw: Any) -> Any:
        if raw in ("", None):
            return MISSING
        return True if raw == self.TICKED else raw  # another value is refused by `type: boolean`

    def fill(self, field, bound, value, fill):
        bound.data = self.TICKED if value is True else ""

    def render(self, q: Question) -> str:
        label = html.s(q.field.label.get(q.tr.locale))
        heading = f'<h1 class="heading-l">{label}</h1>' if q.heading else ""
        checked = " checked" if q.bound.data == self.TICKED else ""
        described = html.attrs(aria_describedby=q.described or None, aria_invalid="true" if q.error else None)
        return heading + html.group(
            f'{q.hint_and_error()}<div class="checkboxes"><div class="choice"><input class="choice__input" '
            f'id="{q.fid}" name="{q.fid}" type="checkbox" value="{self.TICKED}"{checked}{described}>'
            f'<label class="choice__label" for="{q.fid}">{label}</label></div></div>', bool(q.error))

    def limit_problem(self, field: Field) -> str | None:
        must_tick = field.schema.get("const") is True or field.schema.get("enum") == [True]
        if must_tick and not field.required and field.required_if is None:
            return (f"an unticked box is no answer, so const: true alone lets it through: put '{field.name}' in "
                    "required (or give it required_if)")
        return None

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        return tr.gettext(N_("Yes")) if value else tr.gettext(N_("No"))


class Checkboxes(FieldType):
    """Several values from a list (an array of enums, unique items)."""

    widget = "checkboxes"
    messages = {"required": N_("Select at least one answer")}

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "array" and is_choice(schema.get("items", {}))

    def options_schema(self, schema):
        return schema.get("items", schema)

    def unbound_field(self, field, locale, build):
        return wtf.SelectMultipleField(field.label.get(locale), choices=choices(field, locale), validate_choice=False)

    def to_json(self, field: Field, raw: Any) -> Any:
        by_text = {str(option.value): option.value for option in field.options}
        values = [by_text.get(item, item) for item in raw or ()]
        return values or MISSING

    def render(self, q: Question) -> str:
        chosen = set(q.bound.data or [])
        items = ((choice.value, choice.label, choice.value in chosen) for choice in q.bound.choices)
        return q.fieldset(html.choices(q.fid, q.fid, items, multiple=True, invalid=bool(q.error)))

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        labels = {option.value: option.label.get(tr.locale) for option in field.options}
        return ", ".join(labels.get(item, str(item)) for item in value or ())
