"""Questions made of questions: a nested object asked under one legend, and a list of like items."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import fields as wtf

from .. import html
from ..messages import N_
from ..texts import Text
from .base import MISSING, AnswerRow, Field, FieldType, Keeper, Question, Shown


class Fieldset(FieldType):
    """A nested object: its properties are asked together under one legend."""

    widget = "fieldset"

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "object" and "properties" in schema

    def members(self, schema):
        return schema

    def unbound_field(self, field, locale, build):
        return wtf.FormField(build(field.children), field.label.get(locale), separator="-")

    def read(self, field, bound, read):
        return self.to_json(field, read(field.children, bound.form))

    def to_json(self, field: Field, raw: Any) -> Any:
        data = raw if isinstance(raw, dict) and raw else MISSING
        if data is MISSING and field.required:
            return {}
        return data

    def fill(self, field, bound, value, fill):
        fill(bound.form, field.children, value)

    def keep(self, field: Field, value: Any, keeper: Keeper) -> None:
        keeper.set(field.path, {})
        for child in field.children:
            keeper.keep(child)
        if keeper.get(field.path) == {} and value != {}:
            keeper.set(field.path, MISSING)

    def render(self, q: Question) -> str:
        return q.fieldset("".join(q.child(child, q.bound.form, f"{q.key}.{child.name}", q.field.required)
                                  for child in q.field.children))

    def first_input(self, field: Field, key: str) -> str:
        first = field.children[0]
        return first.type.first_input(first, f"{key}.{first.name}")

    def rows(self, field: Field, value: Any, shown: Shown, depth: int) -> list[AnswerRow]:
        return [AnswerRow(field.label.get(shown.tr.locale), None, depth, field.key),
                *shown.rows(field.children, value, depth + 1)]


class RepeatingGroup(FieldType):
    """A list of like items (an array of objects): each item's questions together, "add another"
    and "remove" buttons that work without JavaScript."""

    widget = "repeat"
    repeats = True
    MAX_ITEMS = 50  # when the schema sets no maxItems: no form needs more, and a post cannot ask for more

    @classmethod
    def accepts(cls, schema):
        items = schema.get("items", {})
        return schema.get("type") == "array" and items.get("type") == "object" and "properties" in items

    def members(self, schema):
        return schema.get("items")

    def max_items(self, field: Field) -> int:
        return min(field.schema.get("maxItems", self.MAX_ITEMS), self.MAX_ITEMS)

    def item_label(self, field: Field, locale: str) -> str:
        return (Text.maybe(field.ui.get("item_label")) or field.label).get(locale)

    def unbound_field(self, field, locale, build):
        item = wtf.FormField(build(field.children), separator="-")
        return wtf.FieldList(item, field.label.get(locale), min_entries=1, max_entries=self.max_items(field))

    def read(self, field, bound, read):
        return self.to_json(field, [read(field.children, entry.form) for entry in bound.entries])

    def to_json(self, field: Field, raw: Any) -> Any:
        items = [item for item in raw or () if item]  # an item left wholly empty is no item
        return items or MISSING

    def fill(self, field, bound, value, fill):
        bound.process(None, data=[{} for _ in value])
        for entry, item in zip(bound.entries, value, strict=True):
            fill(entry.form, field.children, item)

    def page_action(self, field: Field, bound: Any, verb: str, index: int | None) -> bool:
        if verb == "add" and len(bound.entries) < self.max_items(field):
            bound.append_entry()
            return True
        if verb == "remove" and index is not None and index < len(bound.entries):
            bound.entries.pop(index)
            if not bound.entries:
                bound.append_entry()
            return True
        return False

    def keep(self, field: Field, value: Any, keeper: Keeper) -> None:
        # Conditions inside repeated items are not supported (the check refuses them): keep each
        # item's answers to the item's questions, and no item left empty.
        names = [child.name for child in field.children]
        for child in field.children:
            keeper.show(child)
        items = [{n: item[n] for n in names if n in item} for item in value if isinstance(item, Mapping)]
        keeper.set(field.path, [item for item in items if item] or MISSING)

    def render(self, q: Question) -> str:
        field, tr = q.field, q.tr
        item_label = html.s(self.item_label(field, tr.locale))
        entries = q.bound.entries
        name = field.name
        remove_text = html.e(tr.gettext(N_("Remove")))
        items = []
        for index, entry in enumerate(entries):
            children = "".join(q.child(child, entry.form, f"{q.key}.{index}.{child.name}", True)
                               for child in field.children)
            remove = q.button(f"remove/{name}/{index}", f'{remove_text}<span class="visually-hidden"> '
                                                        f'{item_label} {index + 1}</span>') if len(entries) > 1 else ""
            items.append(f'<fieldset class="repeat-item"><legend class="repeat-item__legend">{item_label} {index + 1}'
                         f'</legend>{children}{remove}</fieldset>')
        add = ""
        if len(entries) < self.max_items(field):
            text = (field.ui.get("add_label") or {}).get(tr.locale) or tr.gettext(N_("Add another"))
            add = q.button(f"add/{name}", html.e(text))
        return q.fieldset("".join(items) + add)

    def first_input(self, field: Field, key: str) -> str:
        first = field.children[0]
        return first.type.first_input(first, f"{key}.0.{first.name}")

    def rows(self, field: Field, value: Any, shown: Shown, depth: int) -> list[AnswerRow]:
        rows = [AnswerRow(field.label.get(shown.tr.locale), None, depth, field.key)]
        item_label = self.item_label(field, shown.tr.locale)
        for number, item in enumerate(value, 1):
            rows.append(AnswerRow(f"{item_label} {number}", None, depth + 1, f"{field.key}.{number - 1}"))
            rows += shown.rows(field.children, item, depth + 2)
        return rows
