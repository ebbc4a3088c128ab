"""The pieces every form of the app is drawn with, as the GOV.UK Design System writes them, in Python.

One way to draw a form group, a label, a hint, an error line, a fieldset, a list of choices and an error
summary: the field types (engine/types/) build a definition's questions from them, and the app's own forms
(log in, registration, front desk, staff) are drawn from them too (eurzad/widgets.py).

Why Python and not Jinja macros: a page of a hundred questions spent most of its time in macro calls
(decision 0014). Escaping is by discipline, so there are exactly two doors: `e` for any value that
varies (what a citizen typed), `s` for the texts of definitions and of the interface (cached, since the
same few thousand come back). Every label, legend, hint and error is tied to its input (for,
aria-describedby).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

from markupsafe import escape

from .messages import N_


class Gettext(Protocol):
    def gettext(self, message: str, **params: Any) -> str: ...


def e(value: Any) -> str:
    """An escaped value that varies (an answer, a name, an address)."""
    return str(escape(value))


@lru_cache(maxsize=16384)
def s(text: str) -> str:
    """An escaped text of a definition or of the interface, escaped once and remembered."""
    return str(escape(text))


def attrs(**values: Any) -> str:
    """HTML attributes, escaped; `aria_describedby` is written `aria-describedby`; empty ones are left out."""
    return "".join(f' {name.replace("_", "-")}="{e(value)}"' for name, value in values.items()
                   if value not in (None, False, ""))


def described_by(fid: str, hint: bool, error: bool) -> str:
    """The ids that describe an input: its hint, then its error."""
    return " ".join(part for part, present in ((f"{fid}-hint", hint), (f"{fid}-error", error)) if present)


def label_text(text: str, tr: Gettext, *, optional: bool = False, heading: bool = False) -> str:
    """The words of a label or legend: "(optional)" after them, in an <h1> when they head the page."""
    html = s(text)
    if optional:
        word = s(tr.gettext(N_("optional")))  # (a msgid inside an f-string escapes Babel's extractor)
        html += f" ({word})"
    return f'<h1 class="heading-in-label">{html}</h1>' if heading else html


def hint(fid: str, text: str | None) -> str:
    return f'<div id="{fid}-hint" class="hint">{s(text)}</div>' if text else ""


def error_line(fid: str, message: str | None, tr: Gettext) -> str:
    """The error above an input; screen readers hear "Error:" first."""
    if not message:
        return ""
    prefix = s(tr.gettext(N_("Error:")))
    return (f'<p id="{fid}-error" class="error-message"><span class="visually-hidden">{prefix}</span> '
            f'{e(message)}</p>')


def group(inner: str, error: bool) -> str:
    return f'<div class="form-group{" form-group--error" if error else ""}">{inner}</div>'


def labelled(fid: str, label_html: str, notes: str, control: str, *, error: bool, heading: bool = False) -> str:
    """A form group of one input: label, then its `notes` (hint and error line), then the input."""
    label_class = " label--l" if heading else ""
    return group(f'<label class="label{label_class}" for="{fid}">{label_html}</label>{notes}{control}', error)


def fieldset(legend_html: str, notes: str, inner: str, described: str, *, error: bool, heading: bool = False) -> str:
    """A form group of several inputs under one legend, with its `notes` (hint and error line) first."""
    legend_class = " fieldset__legend--l" if heading else ""
    return group(f'<fieldset class="fieldset"{attrs(aria_describedby=described)}><legend class="fieldset__legend'
                 f'{legend_class}">{legend_html}</legend>{notes}{inner}</fieldset>', error)


def choices(fid: str, name: str, items: Iterable[tuple[str, str, bool]], *, multiple: bool,
            invalid: bool = False, inline: bool = False) -> str:
    """Radios or check boxes: (value, label, checked) each; the first input's id is the question's.
    `invalid`: the question is in error, which each input says to a screen reader (aria-invalid). `inline`:
    side by side (two short answers, yes and no)."""
    kind = "checkbox" if multiple else "radio"
    flag = ' aria-invalid="true"' if invalid else ""
    html = []
    for number, (value, label, checked) in enumerate(items, 1):
        input_id = fid if number == 1 else f"{fid}-{number}"
        html.append(f'<div class="choice"><input class="choice__input" id="{input_id}" name="{name}" '
                    f'type="{kind}" value="{s(value)}"{" checked" if checked else ""}{flag}><label '
                    f'class="choice__label" for="{input_id}">{s(label)}</label></div>')
    kind_class = "checkboxes" if multiple else "radios"
    return f'<div class="{kind_class}{f" {kind_class}--inline" if inline else ""}">{"".join(html)}</div>'


def error_summary(items: Iterable[tuple[str, str | None]], tr: Gettext) -> str:
    """"There is a problem" at the top of a page: each message linked to its question (or not, if it has none)."""
    rows = "".join(f'<li><a href="{e(href)}">{e(message)}</a></li>' if href else f"<li>{e(message)}</li>"
                   for message, href in items)
    if not rows:
        return ""
    title = s(tr.gettext(N_("There is a problem")))
    return (f'<div class="error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" autofocus>'
            f'<h2 class="error-summary__title" id="error-summary-title">{title}</h2>'
            f'<ul class="error-summary__list">{rows}</ul></div>')
