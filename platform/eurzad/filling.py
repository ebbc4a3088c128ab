"""Filling a form in, page by page, whatever keeps the answers: a citizen's draft or an administrator's preview.

What their pages do alike lives here, so that a preview shows a form exactly as a citizen meets it: pages are
answered in order (a page not reached yet leads to the first unanswered one), a page is drawn with its
questions and errors, a posted page is read (names it does not ask are refused, never dropped: decision 0034),
Continue and Back lead where the journey goes, and the check-your-answers page lists the answers with a
Change link each. Who may open it, where answers and files are kept and what sending does stay in the areas
(drafts, previews)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .engine.answers import answer_rows, computed_rows
from .engine.attachments import Chosen
from .engine.definitions import FormDefinition
from .engine.forms import fill_form, form_class, page_action, unasked
from .engine.journey import Journey, Page
from .engine.types.base import FileLink
from .i18n import current_locale, translator
from .widgets import error_summary


@dataclass(frozen=True)
class Filling:
    """A form being filled in, as its pages need it: what holds the answers, the form, the way through it
    and the addresses of its pages."""

    holder: Any  # a Draft or a Preview: `data` (the answers kept) and `visited` (the pages answered)
    definition: FormDefinition
    journey: Journey
    area: str  # the blueprint whose `show_page` and `check_answers` serve the pages
    address: Mapping[str, str]  # the holder in those addresses: {"draft_id": …}
    start: str  # where Back leads from the first page
    locked: Mapping[str, Any] = field(default_factory=dict)  # identity answers shown as text, by field key

    def page_url(self, page: Page | None, returning: str | None = None) -> str:
        """The address of a page (coming back to the summary after it when `returning` is "check"); the
        summary's when None."""
        if page is None:
            return url_for(f"{self.area}.check_answers", **self.address)
        extra = {"return": "check"} if returning == "check" else {}
        return url_for(f"{self.area}.show_page", page_id=page.id, **self.address, **extra)

    def unanswered(self) -> Page | None:
        """The first page on the way that has not been answered yet; None when all have."""
        return next((page for page in self.journey.pages if page.id not in self.holder.visited), None)

    def page(self, page_id: str) -> Page:
        """The page asked for; one not on the way, or ahead of the first unanswered one, sends the browser
        back to where it stands (303: a bookmark is not an error)."""
        page = self.journey.page(page_id)
        allowed = self.unanswered()
        if page is None or (page.id not in self.holder.visited and page is not allowed):
            abort(redirect(self.page_url(allowed), code=303))
        return page

    def complete(self) -> None:
        """The summary is for a form whose every page on the way is answered: else the first that is not."""
        missing = self.unanswered()
        if missing is not None:
            abort(redirect(self.page_url(missing), code=303))

    def after(self, page: Page) -> str:
        """Where a valid page leads: the next page, or after a change from the summary, back to it (through
        any page the change has newly brought onto the way)."""
        following = self.journey.after(page)
        if request.args.get("return") == "check" or following is None:
            return self.page_url(self.unanswered())
        return self.page_url(following)

    def back(self, page: Page) -> str:
        if request.args.get("return") == "check":
            return self.page_url(None)
        previous = self.journey.before(page)
        return self.start if previous is None else self.page_url(previous)


def stored_page(filling: Filling, page: Page) -> Any:
    """The page's form with the answers kept put back (to show it again)."""
    form = form_class(filling.definition, current_locale(), page)()
    fill_form(form, page.fields, filling.holder.data)
    return form


def posted_page(filling: Filling, page: Page) -> tuple[Any, str | None, dict[str, Chosen]]:
    """The page as posted: its form, why it is refused whole (it carries names the page does not ask), and
    the files chosen on it (read up to one byte over their question's limit)."""
    form = form_class(filling.definition, current_locale(), page)(request.form)
    if extra := unasked(form, request.form.keys()):  # never dropped behind the sender's back: nothing is saved
        names = ", ".join(name[:40] for name in extra[:5]) + (" …" if len(extra) > 5 else "")
        return form, _("This page does not ask for: %(names)s. Nothing was saved: fill in the page as it is "
                       "shown and continue.", names=names), {}
    chosen = {field.html_id: Chosen(file.filename, file.read(field.type.upload_limit(field) + 1))
              for field in page.fields if field.type.uploads
              and (file := request.files.get(field.html_id)) is not None and file.filename}
    return form, None, chosen


def changed_items(filling: Filling, page: Page, verb: str, name: str, index: int | None) -> Any:
    """The posted page with a question's own button applied ("add another", "remove" an item); 404 when the
    page has no such question or the question no such button. Nothing is kept."""
    form = form_class(filling.definition, current_locale(), page)(request.form)
    if not page_action(form, page.fields, verb, name, index):
        abort(404)
    return form


def render_page(filling: Filling, page: Page, form: Any, errors: Mapping[str, str], template: str,
                current_file: FileLink | None = None, **context: Any) -> tuple[str, int]:
    """A page of questions (400 with its errors, as decision 0008 says)."""
    return render_template(template, definition=filling.definition, journey=filling.journey, page=page, form=form,
                           errors=errors, back=filling.back(page), current_file=current_file,
                           action=filling.page_url(page, request.args.get("return")), locked=filling.locked,
                           **context), 400 if errors else 200


def render_summary(filling: Filling, template: str, errors: Mapping[str, str],
                   files: Mapping[str, tuple[str, int]], **context: Any) -> tuple[str, int]:
    """Check your answers: the answers of every page on the way, each page with a Change link, the computed
    values, and the error summary linking each problem to the page of its question."""
    tr = translator()
    definition, journey = filling.definition, filling.journey
    sections = [(page, answer_rows(page.fields, journey.data, tr, files)) for page in journey.pages]
    computed = computed_rows(definition.computed, definition.computed_values(journey.data), tr)
    pages = {f.key: p for p in journey.pages for top in p.fields for f in top.walk()}

    def target(key: str) -> str | None:
        if key == "contact_email":
            return "#contact_email"
        asked = definition.field(key)
        page = pages.get(asked.key if asked else key)
        return filling.page_url(page, "check") if page else None
    summary = error_summary((message, target(key)) for key, message in errors.items())
    return render_template(template, definition=definition, sections=sections, computed=computed, errors=errors,
                           summary=summary, locked=filling.locked, page_url=filling.page_url, **context), \
        400 if errors else 200
