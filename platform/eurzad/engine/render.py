"""HTML of the questions, written as the GOV.UK Design System writes it, built in Python.

Why not Jinja macros: a page of a hundred questions spent most of its time in macro calls (and then
in Markup.format). Each widget's markup is here, once, in f-strings whose every variable part goes
through `_e` (markupsafe's escape); templates call `render_field` for every question of a page.
Every label, legend, hint and error is tied to its input (for, aria-describedby).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from .attachments import accepted
from .fields import Field
from .messages import N_, Translator


def _e(value: Any) -> str:
    """An escaped value that the citizen typed (or any value that varies)."""
    return str(escape(value))


@lru_cache(maxsize=16384)
def _s(text: str) -> str:
    """An escaped text of a definition or the interface: the same few thousand, escaped once each."""
    return str(escape(text))


def render_field(field: Field, bound_form: Any, errors: Mapping[str, str], tr: Translator, *,
                 key: str | None = None, heading: bool = False, mark_optional: bool = True,
                 current_file: Callable[[Field], tuple[str, str] | None] | None = None) -> Markup:
    """One question: its form group with label or legend, hint, error and input(s).

    `key`: the question's key in `errors` (with the index of a repeated item); its input's name and id
    are the key with hyphens. `heading`: the question is its page's only one, so its label is the <h1>.
    `current_file`: for a file question, the (name, address) of the file already attached, if any.
    """
    return Markup(_render(field, bound_form, errors, tr, key or field.key, heading, mark_optional, current_file))


def _render(field, bound_form, errors, tr, key, heading, mark_optional, current_file) -> str:
    ctx = _Context(field, bound_form[field.path[-1]], errors, tr, key, heading,
                   mark_optional and not field.required and field.required_if is None, current_file)
    return _WIDGETS.get(field.type.widget, _input)(ctx)


class _Context:
    def __init__(self, field, bound, errors, tr, key, heading, optional, current_file):
        self.field, self.bound, self.errors, self.tr, self.key = field, bound, errors, tr, key
        self.heading, self.optional, self.current_file = heading, optional, current_file
        self.fid = _e(key.replace(".", "-"))
        self.error = errors.get(key)
        self.hint = field.hint.get(tr.locale) if field.hint else None
        described = [f"{self.fid}-hint"] if self.hint else []
        described += [f"{self.fid}-error"] if self.error else []
        self.described = " ".join(described)

    def label_text(self) -> str:
        text = _s(self.field.label.get(self.tr.locale))
        if self.optional:
            optional = _s(self.tr.gettext(N_("optional")))  # (msgids inside f-strings escape Babel's extractor)
            text += f" ({optional})"
        return f'<h1 class="heading-in-label">{text}</h1>' if self.heading else text

    def hint_and_error(self, extra_hint: str = "") -> str:
        html = ""
        hint = " ".join(part for part in (self.hint, extra_hint) if part)
        if hint:
            html += f'<div id="{self.fid}-hint" class="hint">{_s(hint)}</div>'
        if self.error:
            prefix = _s(self.tr.gettext(N_("Error:")))
            html += (f'<p id="{self.fid}-error" class="error-message"><span class="visually-hidden">'
                     f'{prefix}</span> {_e(self.error)}</p>')
        return html

    def group(self, inner: str) -> str:
        return f'<div class="form-group{" form-group--error" if self.error else ""}">{inner}</div>'

    def fieldset(self, inner: str) -> str:
        described = f' aria-describedby="{self.described}"' if self.described else ""
        legend_class = " fieldset__legend--l" if self.heading else ""
        return self.group(f'<fieldset class="fieldset"{described}><legend class="fieldset__legend{legend_class}">'
                          f'{self.label_text()}</legend>{self.hint_and_error()}{inner}</fieldset>')


def _attrs(**attrs: Any) -> str:
    return "".join(f' {name.replace("_", "-")}="{_e(value)}"' for name, value in attrs.items()
                   if value not in (None, False, ""))


def _input(ctx: _Context) -> str:
    field, widget = ctx.field, ctx.field.type.widget
    common = _attrs(id=ctx.fid, name=ctx.fid, aria_describedby=ctx.described or None,
                    autocomplete=field.ui.get("autocomplete"), aria_invalid="true" if ctx.error else None)
    error_class = " input--error" if ctx.error else ""
    if widget == "textarea":
        control = f'<textarea class="textarea{error_class}" rows="6"{common}>{_e(ctx.bound._value())}</textarea>'
    elif widget == "select":
        choose = _s(ctx.tr.gettext(N_("Choose")))
        selected = ctx.bound.data
        options = "".join(
            f'<option value="{_s(choice.value)}"{" selected" if choice.value and selected == choice.value else ""}>'
            f'{_s(choice.label) if choice.label else choose}</option>' for choice in ctx.bound.choices)
        control = f'<select class="select{error_class}"{common}>{options}</select>'
    else:
        width = f" input--width-{_e(field.ui['width'])}" if field.ui.get("width") else ""
        kind = {"email": "email", "tel": "tel", "date": "date"}.get(widget, "text")
        extra = ""
        if widget == "number":
            extra += f' inputmode="{"numeric" if field.schema.get("type") == "integer" else "decimal"}"'
        if widget in ("email", "tel"):
            extra += ' spellcheck="false"'
        control = (f'<input class="input{width}{error_class}" type="{kind}" value="{_e(ctx.bound._value())}"'
                   f'{extra}{common}>')
    label_class = " label--l" if ctx.heading else ""
    return ctx.group(f'<label class="label{label_class}" for="{ctx.fid}">{ctx.label_text()}</label>'
                     f'{ctx.hint_and_error()}{control}')


def _choices(ctx: _Context) -> str:
    multiple = ctx.field.type.widget == "checkboxes"
    chosen = set(ctx.bound.data or []) if multiple else {ctx.bound.data}
    kind = "checkbox" if multiple else "radio"
    items = []
    for number, choice in enumerate(ctx.bound.choices, 1):
        input_id = ctx.fid if number == 1 else f"{ctx.fid}-{number}"
        checked = " checked" if choice.value in chosen else ""
        items.append(f'<div class="choice"><input class="choice__input" id="{input_id}" name="{ctx.fid}" '
                     f'type="{kind}" value="{_s(choice.value)}"{checked}><label class="choice__label" '
                     f'for="{input_id}">{_s(choice.label)}</label></div>')
    return ctx.fieldset(f'<div class="{"checkboxes" if multiple else "radios"}">{"".join(items)}</div>')


def _checkbox(ctx: _Context) -> str:
    label = _s(ctx.field.label.get(ctx.tr.locale))
    heading = f'<h1 class="heading-l">{label}</h1>' if ctx.heading else ""
    checked = " checked" if ctx.bound.data else ""
    described = _attrs(aria_describedby=ctx.described or None)
    return heading + ctx.group(
        f'{ctx.hint_and_error()}<div class="checkboxes"><div class="choice"><input class="choice__input" '
        f'id="{ctx.fid}" name="{ctx.fid}" type="checkbox" value="y"{checked}{described}>'
        f'<label class="choice__label" for="{ctx.fid}">{label}</label></div></div>')


def _fieldset(ctx: _Context) -> str:
    return ctx.fieldset("".join(
        _render(child, ctx.bound.form, ctx.errors, ctx.tr, f"{ctx.key}.{child.path[-1]}", False,
                ctx.field.required, ctx.current_file)
        for child in ctx.field.children))


def _repeat(ctx: _Context) -> str:
    field, tr = ctx.field, ctx.tr
    item_label = _s((field.ui.get("item_label") or field.ui["label"])[tr.locale])
    entries = ctx.bound.entries
    name = _e(field.path[-1])
    items = []
    remove_text = _e(tr.gettext(N_("Remove")))
    for index, entry in enumerate(entries):
        children = "".join(_render(child, entry.form, ctx.errors, tr, f"{ctx.key}.{index}.{child.path[-1]}",
                                   False, True, None) for child in field.children)
        remove = (f'<button type="submit" class="button button--secondary" name="action" '
                  f'value="remove:{name}:{index}">{remove_text}<span class="visually-hidden"> '
                  f'{item_label} {index + 1}</span></button>') if len(entries) > 1 else ""
        items.append(f'<fieldset class="repeat-item"><legend class="repeat-item__legend">{item_label} {index + 1}'
                     f'</legend>{children}{remove}</fieldset>')
    add = ""
    if len(entries) < field.type.max_items(field):  # type: ignore[attr-defined]
        text = (field.ui.get("add_label") or {}).get(tr.locale) or tr.gettext(N_("Add another"))
        add = (f'<button type="submit" class="button button--secondary" name="action" value="add:{name}">'
               f'{_e(text)}</button>')
    return ctx.fieldset("".join(items) + add)


def _file(ctx: _Context) -> str:
    field, tr = ctx.field, ctx.tr
    kinds = field.type.kinds(field)  # type: ignore[attr-defined]
    rules = tr.gettext(N_("File: %(kinds)s, up to %(limit)d MB."), kinds=tr.any_of(kinds),
                       limit=field.type.max_mb(field))  # type: ignore[attr-defined]
    current = ctx.current_file(field) if ctx.current_file else None
    attached = ""
    if current:
        attached_text, remove_text = _e(tr.gettext(N_("Attached:"))), _e(tr.gettext(N_("Remove the file")))
        attached = (f'<p class="file-current">{attached_text} <a href="{_e(current[1])}">'
                    f'{_e(current[0])}</a> <button type="submit" class="link-button" name="action" '
                    f'value="remove-file:{_e(field.path[0])}">{remove_text}'
                    f'<span class="visually-hidden"> {_e(current[0])}</span></button></p>')
    described = f"{ctx.fid}-hint" + (f" {ctx.fid}-error" if ctx.error else "")
    control = (f'<input class="file-upload{" input--error" if ctx.error else ""}" type="file" id="{ctx.fid}" '
               f'name="{ctx.fid}" accept="{_e(accepted(kinds))}" aria-describedby="{described}">')
    label_class = " label--l" if ctx.heading else ""
    return ctx.group(f'<label class="label{label_class}" for="{ctx.fid}">{ctx.label_text()}</label>'
                     f'{ctx.hint_and_error(rules)}{attached}{control}')


_WIDGETS: dict[str, Callable[[_Context], str]] = {
    "radios": _choices, "checkboxes": _choices, "checkbox": _checkbox, "fieldset": _fieldset,
    "repeat": _repeat, "file": _file,
}
