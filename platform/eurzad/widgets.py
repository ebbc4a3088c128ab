"""Forms on pages: a definition's questions, the app's own WTForms forms and every error summary, all drawn
from the same pieces (engine/html.py), so that a form group, an error line and an error summary look and
sound the same on every page. Templates call these as globals."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from markupsafe import Markup

from .engine import html
from .engine.definitions import FormDefinition
from .engine.types import Field, render_question
from .engine.types.base import FileLink
from .i18n import translator

SPELLCHECK_OFF = ("PasswordField", "EmailField", "TelField")


def questions(fields: Iterable[Field], form: Any, errors: Mapping[str, str], current_file: FileLink | None = None,
              action: str | None = None, headed: bool = False, locked: Mapping[str, Any] | None = None) -> Markup:
    """Questions of a page in the page's language; a page of one question makes it the heading (unless the
    page is `headed` already).
    `current_file`: the file already attached to a file question (its name, and where to download it); the
    questions' own buttons post below `action`, the page's address (keeping its query). `locked`: a confirmed
    account's identity answers by field key, shown as text."""
    def actions(path: str) -> str:
        base, _, query = (action or "").partition("?")
        return f"{base}/{path}" + (f"?{query}" if query else "")

    fields = tuple(fields)
    tr = translator()
    return Markup("".join(render_question(field, form, errors, tr, heading=not headed and len(fields) == 1,
                                          current_file=current_file, actions=actions if action else None,
                                          locked=locked) for field in fields))


def question_errors(errors: Mapping[str, str], definition: FormDefinition) -> Markup:
    """The error summary of a page of questions: each message linked to its question's (first) input.

    An error's key is the field's dotted path, with the index of a repeated item (household.1.income)."""
    def target(key: str) -> str | None:
        field = definition.field(key) if key else None
        return "#" + field.type.first_input(field, key) if field else None

    def named(key: str, message: str) -> str:
        """A message about an item of a list, named by its item in the summary: "Osoba 2: …"."""
        parts = key.split(".")
        index = next((i for i, part in enumerate(parts) if part.isdigit()), None)
        group = definition.field(".".join(parts[:index])) if index else None
        if group is None or index is None or not hasattr(group.type, "item_label"):
            return message
        return f"{group.type.item_label(group, translator().locale)} {int(parts[index]) + 1}: {message}"
    return error_summary((named(key, message), target(key)) for key, message in errors.items())


def error_summary(items: Iterable[tuple[str, str | None]]) -> Markup:
    """"There is a problem": (message, link or None) each."""
    return Markup(html.error_summary(items, translator()))


def problems_summary(problems: Mapping[str, str]) -> Markup:
    """The error summary of one of the app's own forms: field id → message."""
    return error_summary((message, f"#{name}") for name, message in problems.items())


def form_problems(*forms: Any) -> dict[str, str]:
    """The first error of each field of these WTForms forms, by the field's id (the summary's link)."""
    return {field.id: field.errors[0] for form in forms for field in form if field.errors}


def form_field(f: Any, problems: Mapping[str, str], hint: str | None = None, autocomplete: str | None = None,
               width: str = "30", optional: bool = False, spellcheck: bool | None = None, rows: int = 3) -> Markup:
    """A field of one of the app's own WTForms forms, drawn as a definition's question is."""
    tr = translator()
    fid = html.e(f.id)
    message = problems.get(f.id)
    notes = html.hint(fid, hint) + html.error_line(fid, message, tr)
    described = html.described_by(fid, bool(hint), bool(message))
    label = html.label_text(str(f.label.text), tr, optional=optional)
    if f.type == "BooleanField":
        control = f(class_="choice__input", **({"aria-describedby": described} if described else {}),
                    **({"aria-invalid": "true"} if message else {}))
        box = f'<div class="checkboxes"><div class="choice">{control}<label class="choice__label" for="{fid}">'
        return Markup(html.group(f"{notes}{box}{label}</label></div></div>", bool(message)))
    if f.type in ("RadioField", "SelectMultipleField"):
        multiple = f.type == "SelectMultipleField"
        chosen = set(f.data or ()) if multiple else {f.data}
        items = ((str(value), str(text), value in chosen) for value, text in _choices(f))
        return Markup(html.fieldset(label, notes, html.choices(fid, html.e(f.name), items, multiple=multiple,
                                                                  invalid=bool(message)),
                                    described, error=bool(message)))
    attrs: dict[str, Any] = {"aria-describedby": described or None, "autocomplete": autocomplete,
                             "aria-invalid": "true" if message else None}
    if f.type == "SelectField":
        attrs["class"] = "select" + (" input--error" if message else "")
    elif f.type in ("FileField", "MultipleFileField"):
        attrs["class"] = "file-upload" + (" input--error" if message else "")
    elif f.type == "TextAreaField":
        attrs.update({"class": "textarea" + (" input--error" if message else ""), "rows": rows})
    else:
        attrs["class"] = f"input input--width-{width}" + (" input--error" if message else "")
        if spellcheck is False or spellcheck is None and f.type in SPELLCHECK_OFF:
            attrs["spellcheck"] = "false"
    control = f(**{name: value for name, value in attrs.items() if value is not None})
    return Markup(html.labelled(fid, label, notes, str(control), error=bool(message)))


def _choices(f: Any) -> list[tuple[Any, Any]]:
    return [(choice[0], choice[1]) for choice in f.iter_choices()]


def init_app(app: Flask) -> None:
    functions: tuple[Callable[..., Any], ...] = (questions, question_errors, error_summary, problems_summary,
                                                 form_field)
    for function in functions:
        app.add_template_global(function)
