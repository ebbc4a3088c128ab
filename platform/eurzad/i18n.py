"""The page's language: Polish by default, English by a visible switch kept in the session; the engine's
Translator for it; definition texts, numbers and sizes in it (the one home of the app's i18n helpers)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, has_app_context, redirect, request, session
from flask_babel import get_locale, get_translations

from .engine.messages import Translator
from .engine.texts import DEFAULT_LOCALE, LOCALES, Text


def select_locale() -> str:
    lang = session.get("lang")
    return lang if lang in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    return translator().locale if has_app_context() else DEFAULT_LOCALE


def translator() -> Translator:
    """The engine's view of the current language and catalog: made once a request, and again inside
    `force_locale` (e-mails in the case's language). Flask-Babel looks the language and catalog up through
    half a dozen context lookups at every call, and a page makes dozens (its texts, its `| t` filters)."""
    made = g.get("_translator")
    # Remade when the Locale that Flask-Babel chose for the request (its context's `babel_locale`, replaced inside
    # force_locale) is no longer the one it was made for.
    if made is None or made[0] is None or getattr(made[1], "babel_locale", None) is not made[0]:
        locale = get_locale()
        made = g._translator = (locale, g.get("_flask_babel"),
                                Translator(str(locale or DEFAULT_LOCALE), get_translations()))
    return made[2]


def _switch_language() -> Any:
    """`?lang=en` on any GET page: remember the choice and show the same page without the parameter."""
    lang = request.args.get("lang")
    if request.method != "GET" or lang is None:
        return None
    if lang in LOCALES:
        session["lang"] = lang
    rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return redirect(request.path + (f"?{rest}" if rest else ""), code=303)


def localize(text: Any, default: str = "") -> str:
    """A definition text in the page's language: a Text, or a {pl, en} map straight from a file."""
    if isinstance(text, Mapping) and "pl" in text:
        text = Text.of(text)
    if isinstance(text, Text):
        return text.get(current_locale())
    return text or default


def switch_url(lang: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", lang)]
    return f"{request.path}?{urlencode(args)}"


def init_app(app: Flask) -> None:
    app.before_request(_switch_language)
    # The templates' _() and ngettext() read the request's catalog once (Flask-Babel's look it up at every call).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translator().translations.gettext(s),
        ngettext=lambda s, p, n: translator().translations.ngettext(s, p, n), newstyle=True)
    app.add_template_filter(localize, "t")
    app.add_template_global(lambda size: translator().file_size(size), "file_size")
    app.add_template_global(switch_url)
    app.context_processor(lambda: {"locale": current_locale(), "other_locales": [
        (code, name) for code, name in (("pl", "Polski"), ("en", "English")) if code != current_locale()]})
