"""What every page shares: helpers for templates and the error pages."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Flask, Response, abort, current_app, has_request_context, render_template, request, send_file, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from .audit.models import action_label
from .auth.models import Role
from .cases.files import file_store
from .cases.models import Attachment, Case
from .cases.operations import state_of
from .engine.lifecycle import Withdrawal
from .engine.texts import DATE_PATTERN, LOCALES, Text
from .extensions import db, registry
from .i18n import current_locale, switch_url
from .refusals import RefusedError
from .timeutil import last_day, local, utcnow


def form_title(form_id: str) -> Text | str:
    """Title of a form by id; a form no longer published keeps its id as the title."""
    form = registry().forms.get(form_id)
    return form.title if form else form_id


def withdrawal(definition: Any) -> Withdrawal | None:
    """The form's withdrawal once its day has come (the office's date): no new drafts, drafts begun are told."""
    withdrawn = definition.withdrawn
    today = local(utcnow(), current_app.config["OFFICE_TIMEZONE"]).date()
    return withdrawn if withdrawn is not None and withdrawn.applies(today) else None


def case_state(case: Case) -> Any:
    return state_of(case, registry().workflows)


def department(symbol: str) -> Any:
    return registry().workflows.departments.get(symbol)


def handled_by(definition: Any) -> list[Any]:
    """The departments a form's cases may go to (its routing table's), as the service card names them."""
    workflows = registry().workflows
    symbols = workflows.departments_of(definition.routing, definition.service.department)
    return [workflows.departments[symbol] for symbol in symbols if symbol in workflows.departments]


def isodate(value: str) -> str:
    """A date stored as ISO 8601 text, as the page's language writes it."""
    return day(date.fromisoformat(value))


def day(value: date | datetime) -> str:
    """A day as words write it: "4 stycznia 2027" / "4 January 2027" (a moment: its day in the office's time)."""
    return format_date(value, DATE_PATTERN)


def moment(value: datetime) -> str:
    """A moment to the minute, in the office's time: "4 stycznia 2027, 14:05"."""
    return format_datetime(value, f"{DATE_PATTERN}, HH:mm")


def instant(value: datetime) -> str:
    """A moment to the second, naming the time zone (receipts): "4 stycznia 2027, 14:05:09 (czas polski)"."""
    return _("%(moment)s (Polish time)", moment=format_datetime(value, f"{DATE_PATTERN}, HH:mm:ss"))


def site_url(endpoint: str, **values: Any) -> str:
    """A page's full address for an e-mail: SITE_URL and the page's path (a request's own host may be internal)."""
    return current_app.config["SITE_URL"].rstrip("/") + url_for(endpoint, **values)


INLINE_TYPES = ("image/jpeg", "image/png")
"""Files a page may show in place (photos, whose type was read from their content); any other is a download."""


def send_attachment(attachment: Attachment, inline: bool = False) -> Response:
    """An attached file under its own name and type: a download, or a photo shown in the page when `inline`."""
    try:
        content = file_store(current_app.config).read(attachment.sha256)
    except FileNotFoundError:  # its content was lost (a restore without the files): no page to show it
        abort(404)
    shown = inline and attachment.content_type in INLINE_TYPES
    response = send_file(io.BytesIO(content), mimetype=attachment.content_type, as_attachment=not shown,
                         download_name=attachment.name, max_age=0, etag=attachment.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


MAX_PAGE = 1_000_000
"""No list has this many pages; a bigger number would overflow the database's OFFSET (a 500 on PostgreSQL)."""


def paginate(stmt: Any) -> Any:
    """`db.paginate` of a list, PER_PAGE rows a page, with `?page=` checked first: a number past MAX_PAGE is a
    404 page, as one that is no number or below 1 is in Flask-SQLAlchemy (decision 0039)."""
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < int(page) <= MAX_PAGE):
        abort(404)
    return db.paginate(stmt, page=int(page), per_page=current_app.config["PER_PAGE"])


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines between paragraphs, as escaped HTML paragraphs."""
    parts = [part.strip() for part in str(text).split("\n\n") if part.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(" ".join(part.split())) for part in parts)


def role_name(role: str) -> str:
    """A role's name in the page's language (a role this version does not know keeps its code)."""
    return Role(role).label if role in {known.value for known in Role} else role


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("The request could not be understood"),
              _("Go back, reload the page and try again.")),
        403: (_("You cannot open this page"),
              _("This page is for other users. If you think you should see it, contact the office.")),
        404: (_("Page not found"),
              _("Check that the address is right. If you followed a link, it may be out of date.")),
        405: (_("This page cannot be used like this"), _("Go back and use the form on the page.")),
        409: (_("This cannot be done now"), _("Go back and reload the page to see where things stand.")),
        429: (_("Too many attempts"), _("Wait a few minutes, then try again.")),
        410: (_("This draft has expired"),
              _("A draft is kept for a limited time after its last change. Start the form again.")),
        413: (_("What you sent is too large"),
              _("Shorten the text or send smaller files, then try again.")),
        500: (_("Sorry, something went wrong on our side"),
              _("Nothing you sent was lost. Try again in a few minutes.")),
    }


def _render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, advice = _messages().get(code, _messages()[400])
    return render_template("errors/error.html", code=code, title=title, advice=detail or advice), code


def _http_error(exc: HTTPException) -> Any:
    if exc.code is None or exc.code < 400:
        return exc
    return _render_error(exc.code)


def _refused(exc: RefusedError) -> Any:
    """A rule stopped an operation: the page says which, in the user's language; nothing was changed."""
    return _render_error(exc.status, _(exc.message))


def _csrf_error(exc: CSRFError) -> Any:
    return _render_error(400, _("The form has expired or did not come from this site. "
                                "Go back, reload the page and send the form again."))


def fixed_links() -> Callable[..., str]:
    """url_for for the app's templates: an address without parameters (but a static file's name), such as the
    menu's dozen links and the style sheet, is built once per app root and then remembered; any other is built
    as Flask builds it. (No URL defaults or subdomains here: such an address never depends on the request.)"""
    built: dict[tuple[str, str, Any], str] = {}

    def link(endpoint: str, **values: Any) -> str:
        if endpoint.startswith(".") or values.keys() - {"filename"} or not has_request_context():
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"))
        if key not in built:
            if len(built) > 1000:  # a root per proxy path at most: never grows with what visitors send
                built.clear()
            built[key] = url_for(endpoint, **values)
        return built[key]
    return link


SLOT = re.compile("\x00(\\w+)\x00")
"""Where a request's own value goes in a header drawn once (a character no text or address carries)."""


def header_drawer() -> Callable[[], Markup]:
    """The header of every page (templates/_header.html: the office, the menu of the user's roles, the language
    links), drawn once per language, set of roles and app root and remembered; each request puts in only its own
    values: the user's name, the form token of the log-out button, the addresses of the language links. Drawing
    it took a dozen texts and links a page."""
    drawn: dict[tuple[Any, ...], str] = {}

    def page_header() -> Markup:
        user = current_user
        key = (current_locale(), tuple(sorted(user.roles)) if user.is_authenticated else None, request.script_root)
        if key not in drawn:
            if len(drawn) > 1000:  # languages × sets of roles × roots: never grows with what visitors send
                drawn.clear()
            drawn[key] = render_template("_header.html", slots={name: f"\x00{name}\x00" for name in
                                                                ("name", "token", *LOCALES)})
        own = {"name": lambda: user.full_name, "token": generate_csrf} | {
            code: (lambda code=code: switch_url(code)) for code in LOCALES}
        return Markup(SLOT.sub(lambda slot: str(escape(own[slot.group(1)]())), drawn[key]))
    return page_header


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = fixed_links()
    app.add_template_global(header_drawer(), "page_header")
    app.add_template_filter(paragraphs)
    app.add_template_filter(isodate)
    app.add_template_filter(day)
    app.add_template_filter(moment)
    app.add_template_filter(instant)
    app.add_template_global(lambda: int(current_app.permanent_session_lifetime.total_seconds() // 60),
                            "session_minutes")
    app.add_template_global(form_title)
    app.add_template_global(withdrawal)
    app.add_template_global(site_url)  # addresses printed on slips and written in e-mails
    app.add_template_global(lambda end: last_day(end, current_app.config["OFFICE_TIMEZONE"]), "last_day")
    app.add_template_global(action_label)
    app.add_template_filter(role_name)
    app.add_template_global(case_state)
    app.add_template_global(department)
    app.add_template_global(handled_by)
    app.add_template_global(lambda: registry().workflows.office, "office")
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RefusedError, _refused)
    app.register_error_handler(HTTPException, _http_error)  # unhandled errors arrive as a 500 too
