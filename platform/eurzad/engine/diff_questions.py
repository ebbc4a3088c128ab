"""What changed in the questions of a form between two versions, and which changes break something.

A question is matched by its key: a renamed question is one removed and one added. Breaking are the changes
that strand stored answers or drafts in progress: a question removed, its type changed, a new or newly required
question, a tightened limit, an option removed or reading differently, a condition that may now hide it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from .attachments import DEFAULT_KINDS, DEFAULT_MAX_MB
from .definitions import FormDefinition
from .sources import JsonPath, Source
from .texts import Text
from .types import Field, is_choice

NONE: Any = type("NoneGiven", (), {"__repr__": lambda self: "(none)"})()
"""A key the definition does not write (distinct from a YAML null)."""

TIGHTENED = "an answer accepted before may now be refused"
LOWER = {"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"}
UPPER = {"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"}
NOTES = {"title", "description", "$comment", "examples", "default"}  # annotations: no answer depends on them
NESTED = {"type", "properties", "required", "items", "enum", "oneOf", "anyOf"}  # compared on their own
TEXTS = ("label", "hint", "item_label", "add_label")
SHOWN = ("widget", "width", "autocomplete", "prefill")  # how it is asked, not what it takes

StoredAnswers = Callable[[str, tuple[str, ...]], bool]
"""Whether stored filings of a form (by id) hold an answer at a path: the database's, when there is one."""


@dataclass(frozen=True)
class Change:
    """One change, at the NEW side's line where there is one; `breaking` says why it breaks, `declare` what a
    `changes` entry names to accept it (None: it cannot be declared)."""

    file: str
    line: int | None
    subject: str
    what: str
    breaking: str | None = None
    declare: str | None = None


@dataclass
class Changes:
    """The changes found so far, each placed at a path of the NEW file (or of another, for routing rows)."""

    source: Source
    form_id: str
    stored: StoredAnswers | None = None
    found: list[Change] = field(default_factory=list)

    def add(self, path: JsonPath, subject: str, what: str, breaking: str | None = None,
            declare: str | None = None, source: Source | None = None) -> None:
        where = source or self.source
        self.found.append(Change(where.file, where.line_of(path), subject, what, breaking, declare))

    def has_answers(self, path: tuple[str, ...]) -> bool:
        return self.stored is not None and self.stored(self.form_id, path)


def show(value: Any) -> str:
    """A value as YAML writes it on one line: `{field: kind, equals: oak}`, `200`, `(none)`."""
    if value is NONE:
        return "(none)"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    return text.strip().removesuffix("...").strip()


def text_change(old: Any, new: Any) -> str | None:
    """How a text map changed: `changed (pl, en)`, `added`, `removed`; None when it did not."""
    if old == new:
        return None
    if old is NONE or new is NONE:
        return "added" if old is NONE else "removed"
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):  # a workflows file is read, not checked
        return "changed"
    return "changed (" + ", ".join(lang for lang in ("pl", "en") if old.get(lang) != new.get(lang)) + ")"


def schema_path(source: Source, path: tuple[str, ...]) -> JsonPath:
    """Where the schema of the question at `path` stands in the file (through `items` of a repeating group)."""
    at: JsonPath = ("schema",)
    node: Any = source.data["schema"]
    for part in path:
        if isinstance(node, dict) and "properties" not in node and isinstance(node.get("items"), dict):
            at, node = at + ("items",), node["items"]
        members = node.get("properties", {}) if isinstance(node, dict) else {}
        at, node = at + ("properties", part), members.get(part, {}) if isinstance(members, dict) else {}
    return at


def question_changes(old: FormDefinition, new: FormDefinition, out: Changes) -> None:
    """Every question removed, added or changed, the outermost only of a group removed or added whole."""
    olds = {f.key: f for f in old.all_fields()}
    news = {f.key: f for f in new.all_fields()}
    for key, gone in olds.items():
        if key not in news and _parent(key) not in olds.keys() - news.keys():
            stored = out.has_answers(gone.path)
            out.add(schema_path(out.source, gone.path), f"question '{key}'", "removed",
                    "stored cases have it" if stored else "a draft in progress loses its answer", key)
    for key, made in news.items():
        if key in olds:
            _question(olds[key], made, out)
        elif _parent(key) not in news.keys() - olds.keys():
            required = made.required or "required_if" in made.ui
            out.add(schema_path(out.source, made.path), f"question '{key}'", "added" + (" (required)" * required),
                    "drafts in progress must go back to answer it" if required else None,
                    key)


def _parent(key: str) -> str:
    return key.rpartition(".")[0]


def _question(old: Field, new: Field, out: Changes) -> None:
    key, subject, at = new.key, f"question '{new.key}'", schema_path(out.source, new.path)
    ui = ("ui", "fields", key)
    types = _types(old.schema), _types(new.schema)
    if types[0] != types[1]:
        out.add(at + ("type",), subject, f"type {show(types[0])} → {show(types[1])}",
                "stored answers have the old type: a question keeps its type once published", key)
    else:
        _limits(old.schema, new.schema, at, "", subject, key, out)
        items = old.schema.get("items"), new.schema.get("items")
        if all(isinstance(part, dict) and "properties" not in part for part in items):
            _limits(items[0], items[1], at + ("items",), "items.", subject, key, out)  # type: ignore[arg-type]
        _options(old, new, at, out)
        _file_and_date_limits(old.ui, new.ui, ui, subject, key, out)
    if new.required and not old.required:
        out.add(at, subject, "made required", "drafts in progress that left it empty must go back to answer it", key)
    elif old.required and not new.required:
        out.add(at, subject, "made optional")
    _condition(old.ui, new.ui, "required_if", ui, subject, out,
               "now required when it holds: drafts in progress that left it empty must go back", key)
    hides = "may now hide it from someone it was asked before: later cases may lack an answer earlier ones have"
    if "visible_if" in new.ui and new.ui.get("visible_if") != old.ui.get("visible_if") and out.has_answers(new.path):
        hides += "; stored cases have it"
    _condition(old.ui, new.ui, "visible_if", ui, subject, out, hides, key)
    for word in TEXTS:
        change = text_change(old.ui.get(word, NONE), new.ui.get(word, NONE))
        if change:
            out.add(ui + (word,), subject, f"{word.replace('_', ' ')} {change}")
    for word in SHOWN:
        before, after = old.ui.get(word, NONE), new.ui.get(word, NONE)
        if before != after:
            out.add(ui + (word,), subject, f"{word} {show(before)} → {show(after)}")
    errors = old.ui.get("errors", {}), new.ui.get("errors", {})
    for keyword in [*errors[1], *(k for k in errors[0] if k not in errors[1])]:
        change = text_change(errors[0].get(keyword, NONE), errors[1].get(keyword, NONE))
        if change:
            out.add(ui + ("errors", keyword), subject, f"error message for {keyword} {change}")


def _types(schema: Mapping[str, Any]) -> Any:
    """The type of the answer: the schema's `type`, and its items' for a list."""
    items = schema.get("items")
    inner = items.get("type", NONE) if isinstance(items, dict) else NONE
    kind = schema.get("type", NONE)
    return kind if inner is NONE else {"type": kind, "items": inner}


def _limits(old: Mapping[str, Any], new: Mapping[str, Any], at: JsonPath, prefix: str, subject: str, key: str,
            out: Changes) -> None:
    """Each rule of the schema (a length, a bound, a pattern, a format…) tightened, loosened or changed."""
    words = [*new, *(word for word in old if word not in new)]
    for word in words:
        if word in NOTES or word in NESTED or word.startswith("x-"):
            continue
        before, after = old.get(word, NONE), new.get(word, NONE)
        if before == after:
            continue
        what = f"{prefix}{word} {show(before)} → {show(after)}"
        out.add(at + (word,), subject, what, TIGHTENED if _tighter(word, before, after) else None, key)
    for word in ("enum", "oneOf", "anyOf"):  # alternatives that are not options (of schemas, not values)
        if not (is_choice(old) or is_choice(new)) and old.get(word, NONE) != new.get(word, NONE):
            out.add(at + (word,), subject, f"{prefix}{word} changed", TIGHTENED, key)


def _tighter(word: str, before: Any, after: Any) -> bool:
    """Whether an answer valid before may be invalid now. A rule removed only loosens: JSON Schema's keywords
    are each a further condition. Bounds compare; a changed pattern, format or other rule may refuse more."""
    if after is NONE:
        return False
    if before is NONE:
        return True
    if word in LOWER:
        return bool(after > before)
    if word in UPPER:
        return bool(after < before)
    if word == "multipleOf":  # looser only when the old step is a multiple of the new one (1 of 0.01)
        return Decimal(str(before)) % Decimal(str(after)) != 0
    if word == "uniqueItems":
        return after is True
    return True


def _options(old: Field, new: Field, at: JsonPath, out: Changes) -> None:
    """Options removed (stored answers may hold them), added, or whose value now reads differently."""
    key, subject = new.key, f"question '{new.key}'"
    choice = is_choice(old.type.options_schema(old.schema)), is_choice(new.type.options_schema(new.schema))
    if choice == (False, True):
        out.add(at, subject, "now a choice of options", TIGHTENED, key)
    if choice != (True, True):
        return
    before = {str(option.value): option.label for option in old.options}
    after = {str(option.value): option.label for option in new.options}
    where = ("ui", "fields", key, "options")
    for value in before:
        if value not in after:
            out.add(where, subject, f"option '{value}' removed",
                    "stored answers and drafts in progress may hold it", f"option {key}.{value}")
    for value, label in after.items():
        if value not in before:
            out.add(where + (value,), subject, f"option '{value}' added")
        elif label != before[value]:
            out.add(where + (value,), subject, f"option '{value}' now reads {_quoted(label)} (was "
                    f"{_quoted(before[value])})", f"stored answers '{value}' would now read differently",
                    f"option {key}.{value}")


def _quoted(label: Text) -> str:
    return f'"{label.pl}" / "{label.en}"'


def _file_and_date_limits(old: Mapping[str, Any], new: Mapping[str, Any], ui: JsonPath, subject: str, key: str,
                          out: Changes) -> None:
    """A file question's size and kinds, and a date question's rules: limits written in `ui`."""
    size = old.get("max_size_mb", DEFAULT_MAX_MB), new.get("max_size_mb", DEFAULT_MAX_MB)
    if size[0] != size[1]:
        out.add(ui + ("max_size_mb",), subject, f"max_size_mb {size[0]} → {size[1]}",
                TIGHTENED if size[1] < size[0] else None, key)
    kinds = old.get("file_types", DEFAULT_KINDS), new.get("file_types", DEFAULT_KINDS)
    if set(kinds[0]) != set(kinds[1]):
        out.add(ui + ("file_types",), subject, f"file_types {show(list(kinds[0]))} → {show(list(kinds[1]))}",
                TIGHTENED if set(kinds[0]) - set(kinds[1]) else None, key)
    rules = old.get("date_rules", {}), new.get("date_rules", {})
    for word in [*rules[1], *(w for w in rules[0] if w not in rules[1])]:
        before, after = rules[0].get(word, NONE), rules[1].get(word, NONE)
        if before != after:
            tighter = after is not NONE and (word != "min_days_ahead" or before is NONE or after > before)
            out.add(ui + ("date_rules", word), subject, f"date_rules.{word} {show(before)} → {show(after)}",
                    TIGHTENED if tighter else None, key)


def _condition(old: Mapping[str, Any], new: Mapping[str, Any], word: str, at: JsonPath, subject: str,
               out: Changes, breaking: str, declare: str) -> None:
    """A condition added or changed breaks (what it decides cannot be compared); one removed does not."""
    before, after = old.get(word, NONE), new.get(word, NONE)
    if before != after:
        out.add(at + (word,), subject, f"condition {word} {show(before)} → {show(after)}",
                breaking if after is not NONE else None, declare)
