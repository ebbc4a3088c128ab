"""A question of a form (`Field`) and the base of its type (`FieldType`): everything about one kind of
question lives in its type's class, so that no code elsewhere asks which widget a question has.

A type binds the question to a WTForms field, reads the posted answer back as JSON data (MISSING when
left empty), puts a stored answer back, decides what of its answer a journey keeps, draws the question,
names the input an error links to, chooses its default error messages, states the limits it must be
given to be published, and shows a filed answer as a person reads it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from wtforms import SelectChoice
from wtforms import fields as wtf

from .. import html
from ..attachments import Upload, UploadRefusedError
from ..messages import N_, Translator, default_message
from ..texts import Text

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
"""An answer the citizen left empty: not stored, so that `required` can catch it."""


class Unreadable(str):
    """Text typed that its question cannot read without guessing (a date without its month, a number in
    Arabic-Indic digits): kept as typed, and always refused by validation with the question's message for
    `reason` (and its `limit`, such as the missing parts), before any schema rule."""

    reason: str
    limit: Any

    def __new__(cls, text: str, reason: str, limit: Any = None) -> Unreadable:
        made = super().__new__(cls, text)
        made.reason, made.limit = reason, limit
        return made


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
    def name(self) -> str:
        """The property's own name: its key in the object that holds it, and its WTForms field's name."""
        return self.path[-1]

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
        return options_of(self.type.options_schema(self.schema), self.ui)

    def walk(self) -> Iterator[Field]:
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


@dataclass(frozen=True)
class AnswerRow:
    """One line of a list of answers (check your answers, the case as filed)."""

    label: str
    value: str | None  # None for the heading of a group of answers
    depth: int
    key: str


class Shown(Protocol):
    """What showing filed answers needs: the language, the attached files, and the rows of nested answers."""

    @property
    def tr(self) -> Translator: ...

    @property
    def files(self) -> Mapping[str, tuple[str, int]]:
        """Name and size of each attached file, by digest."""

    def rows(self, fields: Iterable[Field], data: Mapping[str, Any], depth: int) -> list[AnswerRow]: ...


class Keeper(Protocol):
    """A journey collecting the answers it keeps (engine/journey.py)."""

    def set(self, path: tuple[str, ...], value: Any) -> None: ...
    def get(self, path: tuple[str, ...]) -> Any: ...
    def keep(self, field: Field) -> None: ...
    def show(self, field: Field) -> None: ...


FileLink = Callable[[Field], "tuple[str, str | None] | None"]
"""For a file question: the (name, address) of the file already attached, if any; no address where its content
is not kept (a preview), and the name is shown without a link."""

ActionLink = Callable[[str], str]
"""The address a question's own button posts to, from its path below the page (`add/members`)."""


class Question:
    """One question being drawn: its field, its bound WTForms field, its error and its words."""

    def __init__(self, field: Field, bound: Any, errors: Mapping[str, str], tr: Translator, key: str,
                 heading: bool, optional: bool, current_file: FileLink | None, actions: ActionLink | None,
                 locked: Mapping[str, Any] | None = None):
        self.field, self.bound, self.errors, self.tr, self.key = field, bound, errors, tr, key
        self.heading, self.optional, self.current_file, self.actions = heading, optional, current_file, actions
        self.locked = locked
        self.fid = html.e(key.replace(".", "-"))
        self.error = errors.get(key)
        self.hint = field.hint.get(tr.locale) if field.hint else None
        self.described = html.described_by(self.fid, bool(self.hint), bool(self.error))

    def label(self) -> str:
        return html.label_text(self.field.label.get(self.tr.locale), self.tr, optional=self.optional,
                               heading=self.heading)

    def hint_and_error(self, extra_hint: str = "") -> str:
        text = " ".join(part for part in (self.hint, extra_hint) if part)
        return html.hint(self.fid, text) + html.error_line(self.fid, self.error, self.tr)

    def labelled(self, control: str, extra_hint: str = "") -> str:
        return html.labelled(self.fid, self.label(), self.hint_and_error(extra_hint), control,
                             error=bool(self.error), heading=self.heading)

    def fieldset(self, inner: str) -> str:
        return html.fieldset(self.label(), self.hint_and_error(), inner, self.described, error=bool(self.error),
                             heading=self.heading)

    def common_attrs(self) -> str:
        """id, name, what describes it, autocomplete, and whether it is in error."""
        return html.attrs(id=self.fid, name=self.fid, aria_describedby=self.described or None,
                          autocomplete=self.field.ui.get("autocomplete"),
                          aria_invalid="true" if self.error else None)

    def button(self, action: str, text_html: str, *, kind: str = "button button--secondary") -> str:
        """A button of the question's own that posts the page's answers to `action` (below the page's address)."""
        formaction = html.attrs(formaction=self.actions(action)) if self.actions else ""
        return f'<button type="submit" class="{kind}"{formaction}>{text_html}</button>'

    def child(self, field: Field, bound_form: Any, key: str, mark_optional: bool) -> str:
        return render_question(field, bound_form, self.errors, self.tr, key=key, mark_optional=mark_optional,
                               current_file=self.current_file, actions=self.actions, locked=self.locked)


def render_question(field: Field, bound_form: Any, errors: Mapping[str, str], tr: Translator, *,
                    key: str | None = None, heading: bool = False, mark_optional: bool = True,
                    current_file: FileLink | None = None, actions: ActionLink | None = None,
                    locked: Mapping[str, Any] | None = None) -> str:
    """One question as HTML: its form group with label or legend, hint, error and input(s).

    `key`: the question's key in `errors` (with the index of a repeated item); its input's name and id
    are the key with hyphens. `heading`: the question is its page's only one, so its label is the <h1>.
    `current_file`: the file already attached to a file question; `actions`: where its buttons post.
    `locked`: answers by field key that the sender's confirmed account gives: shown as text, not asked.
    """
    key = key or field.key
    if locked and field.key in locked:
        return locked_answer(field, locked[field.key], errors.get(key), tr, key, heading)
    optional = mark_optional and not field.required and field.required_if is None
    question = Question(field, bound_form[field.name], errors, tr, key, heading, optional, current_file, actions,
                        locked)
    return field.type.render(question)


def locked_answer(field: Field, value: Any, error: str | None, tr: Translator, key: str, heading: bool) -> str:
    """An identity answer from the confirmed account (decision 0028): the label, the value as text and where it
    comes from. No input: nothing is posted for it, and the server sets it from the account anyway."""
    fid = html.e(key.replace(".", "-"))
    label = html.label_text(field.label.get(tr.locale), tr, heading=heading)
    note = html.s(tr.gettext(N_("From your verified account")))
    return html.group(f'<div class="prefilled" id="{fid}"><div class="label{" label--l" if heading else ""}">{label}'
                      f'</div>{html.error_line(fid, error, tr)}<p class="prefilled__value">'
                      f'{html.e(field.type.display(field, value, tr))}</p><p class="hint">{note}</p></div>',
                      error=bool(error))


class FieldType:
    """How one kind of property is asked, read, kept, checked and shown. Subclasses override what differs."""

    widget: ClassVar[str]
    default_for_schema: ClassVar[bool] = True  # chosen for a schema it accepts when ui names no widget
    repeats: ClassVar[bool] = False  # its answer is a list of items, each with the questions of its children
    numeric: ClassVar[bool] = False  # its answer is a number a computed value may read
    uploads: ClassVar[bool] = False  # its answer arrives as an uploaded file, not as form text
    nested_problem: ClassVar[str | None] = None  # why it may not be asked inside a group, if it may not
    messages: ClassVar[Mapping[str, str]] = {}  # its own default message (a msgid) per failed keyword
    indexes_items: ClassVar[bool] = False  # an error inside its answer is keyed by item (`dates.1`)

    @classmethod
    def accepts(cls, schema: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def members(self, schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The object schema whose properties are asked inside this question; None for a single answer."""
        return None

    def options_schema(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """The schema whose enum or consts are the options to choose from."""
        return schema

    def holds_dates(self, field: Field) -> bool:
        """Whether its answer is a date (or a list of dates) that `date_rules` may compare (engine/dates.py)."""
        return False

    def item_field(self, field: Field) -> Field | None:
        """For a list of simple answers: the question asked for each item; None for other questions."""
        return None

    # Binding and parsing

    def unbound_field(self, field: Field, locale: str, build: Callable[[tuple[Field, ...]], type]) -> Any:
        """The WTForms field that asks it; `build` makes the form class of nested questions."""
        return wtf.StringField(field.label.get(locale))

    def read(self, field: Field, bound: Any, read: Callable[[tuple[Field, ...], Any], dict[str, Any]]) -> Any:
        """The posted answer as JSON data, MISSING when left empty; `read` reads nested questions."""
        return self.to_json(field, bound.data)

    def to_json(self, field: Field, raw: Any) -> Any:
        """Text typed in, stripped; unparseable text is kept for the schema to reject with its message."""
        text = (raw or "").strip() if isinstance(raw, str) else raw
        return MISSING if text in ("", None) else text

    def fill(self, field: Field, bound: Any, value: Any, fill: Callable[[Any, tuple[Field, ...], Any], None]) -> None:
        """Put a stored answer back into an unsubmitted form; `fill` fills nested questions."""
        if isinstance(value, list):
            bound.data = [str(item) for item in value]
        else:
            bound.data = value if isinstance(value, bool) else str(value)

    def page_action(self, field: Field, bound: Any, verb: str, index: int | None) -> bool:
        """A button of the question other than Continue ("add another"); False if it is not this type's."""
        return False

    def upload_limit(self, field: Field) -> int:
        """For a type that `uploads`: the most bytes a file may have."""
        return 0

    def take_upload(self, field: Field, content: bytes, filename: str) -> Upload:
        """For a type that `uploads`: the file as it will be stored, or UploadRefusedError saying why not."""
        raise UploadRefusedError("file_type", ())

    # The journey

    def keep(self, field: Field, value: Any, keeper: Keeper) -> None:
        """Keep a visible question's answer (not MISSING) on the journey."""
        keeper.set(field.path, value)

    # Drawing

    def render(self, q: Question) -> str:
        raise NotImplementedError

    def first_input(self, field: Field, key: str) -> str:
        """The id an error of this question links to: its (first) input."""
        return key.replace(".", "-")

    # Checking

    def message(self, keyword: str, tr: Translator, limit: Any) -> str:
        """The default message for a failed JSON Schema keyword (a definition may give its own)."""
        own = self.messages.get(keyword)
        return tr.gettext(own) if own else default_message(keyword, tr, limit)

    def limit_problem(self, field: Field) -> str | None:
        """What the definition must add before it is published (every answer is bounded); None if nothing."""
        return None

    # Showing filed answers

    def rows(self, field: Field, value: Any, shown: Shown, depth: int) -> list[AnswerRow]:
        """The answer as rows of a list of answers."""
        return [AnswerRow(field.label.get(shown.tr.locale), self.display(field, value, shown.tr), depth, field.key)]

    def display(self, field: Field, value: Any, tr: Translator) -> str:
        """The stored answer as a person reads it, in the page's language."""
        return str(value)
