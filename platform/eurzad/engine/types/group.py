"""Questions made of questions: a nested object asked under one legend, and a list of like items."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from wtforms import fields as wtf

from .. import html
from ..messages import N_, Translator
from ..texts import Text
from .base import MISSING, AnswerRow, Field, FieldType, Keeper, Question, Shown, is_choice


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
        """The items' answers; an item left wholly empty is no item, and is taken off the page too, so that
        an error of the n-th answer is shown by the n-th item on the page."""
        values = [self.read_item(field, entry, read) for entry in bound.entries]
        answered = [entry for entry, value in zip(bound.entries, values, strict=True) if not self.empty(value)]
        if answered:
            bound.entries = answered
        return self.to_json(field, values)

    def read_item(self, field: Field, entry: Any, read: Any) -> Any:
        return read(field.children, entry.form)

    def empty(self, item: Any) -> bool:
        return not item

    def to_json(self, field: Field, raw: Any) -> Any:
        items = [item for item in raw or () if not self.empty(item)]  # an item left wholly empty is no item
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


class AnswerList(RepeatingGroup):
    """A list of simple answers (an array of dates, numbers or short texts): each item is one question of
    the items' own type (a date in three boxes), numbered (*Data 1*), with "add another" and "remove"
    buttons that work without JavaScript. The answer is a list of values; an error of one is keyed by its
    index (`dates.1`) and shown by it."""

    widget = "repeat"
    indexes_items = True
    nested_problem = "a list of answers can only be asked as a question of its own, not inside a group"
    messages = {"uniqueItems": N_("Enter each answer only once")}

    @classmethod
    def accepts(cls, schema):
        items = schema.get("items")
        return (schema.get("type") == "array" and isinstance(items, Mapping)
                and items.get("type") in ("string", "number", "integer") and not is_choice(items)
                and items.get("format") != "attachment")

    def members(self, schema):
        return None

    def item_field(self, field: Field) -> Field:
        """The question asked for each item: the items' schema and type, the list's item label, width and
        messages, and its date rules (which hold for every item)."""
        from . import field_type_for  # the registry holds this type too
        items = field.schema["items"]
        kind = field_type_for(items, None)
        assert kind is not None  # accepts() admits only items a type of the registry asks
        ui = {"label": field.ui.get("item_label") or field.ui["label"],
              **{key: field.ui[key] for key in ("width", "autocomplete", "errors", "date_rules") if key in field.ui}}
        return Field(field.path, items, ui, True, kind)

    def holds_dates(self, field: Field) -> bool:
        item = self.item_field(field)
        return item.type.holds_dates(item)

    def unbound_field(self, field, locale, build):
        item = self.item_field(field)
        return wtf.FieldList(item.type.unbound_field(item, locale, build), field.label.get(locale), min_entries=1,
                             max_entries=self.max_items(field))

    def read_item(self, field: Field, entry: Any, read: Any) -> Any:
        item = self.item_field(field)
        return item.type.read(item, entry, read)

    def empty(self, item: Any) -> bool:
        return item is MISSING

    def fill(self, field, bound, value, fill):
        item = self.item_field(field)
        bound.process(None, data=[None for _ in value])
        for entry, answer in zip(bound.entries, value, strict=True):
            item.type.fill(item, entry, answer, fill)

    def keep(self, field: Field, value: Any, keeper: Keeper) -> None:
        keeper.set(field.path, list(value) if isinstance(value, list) and value else MISSING)

    def render(self, q: Question) -> str:
        field, tr = q.field, q.tr
        item = self.item_field(field)
        label = Text.of(item.ui["label"])
        entries = q.bound.entries
        remove_text = html.e(tr.gettext(N_("Remove")))
        items = []
        for index, entry in enumerate(entries):
            number = index + 1
            numbered = replace(item, ui={**item.ui, "label": {locale: f"{label.get(locale)} {number}"
                                                              for locale in ("pl", "en")}})
            question = Question(numbered, entry, q.errors, tr, f"{q.key}.{index}", heading=False, optional=False,
                                current_file=None, actions=q.actions)
            remove = q.button(f"remove/{field.name}/{index}", f'{remove_text}<span class="visually-hidden"> '
                                                              f'{html.s(label.get(tr.locale))} {number}</span>') \
                if len(entries) > 1 else ""
            items.append(f'<div class="repeat-item">{item.type.render(question)}{remove}</div>')
        add = ""
        if len(entries) < self.max_items(field):
            text = (field.ui.get("add_label") or {}).get(tr.locale) or tr.gettext(N_("Add another"))
            add = q.button(f"add/{field.name}", html.e(text))
        return q.fieldset("".join(items) + add)

    def first_input(self, field: Field, key: str) -> str:
        item = self.item_field(field)
        return item.type.first_input(item, key if key.rsplit(".", 1)[-1].isdigit() else f"{key}.0")

    def message(self, keyword: str, tr: Translator, limit: Any) -> str:
        if keyword == "minItems":
            return tr.ngettext("Enter at least %(num)d answer", "Enter at least %(num)d answers", limit)
        if keyword == "maxItems":
            return tr.ngettext("Enter no more than %(num)d answer", "Enter no more than %(num)d answers", limit)
        return super().message(keyword, tr, limit)

    def limit_problem(self, field: Field) -> str | None:
        item = self.item_field(field)
        problem = item.type.limit_problem(item)
        return problem.replace("give it", "give its items", 1) if problem else None

    def rows(self, field: Field, value: Any, shown: Shown, depth: int) -> list[AnswerRow]:
        """One row: the answers one under another."""
        item = self.item_field(field)
        answers = "\n".join(item.type.display(item, answer, shown.tr) for answer in value or ())
        return [AnswerRow(field.label.get(shown.tr.locale), answers, depth, field.key)]
