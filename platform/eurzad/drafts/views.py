"""A draft's pages, the buttons of its questions, check your answers, sending; "my drafts".

Each view loads the draft (404 for anyone but its holder, 410 once expired), calls one operation, and
redirects or renders."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import attachment_or_404, draft_holder, draft_or_404, role_required, sent_case_of_holder
from ..auth.models import Role, User
from ..auth.operations import prefill_account
from ..cases.models import Case
from ..engine.answers import answer_rows, computed_rows
from ..engine.attachments import Chosen
from ..engine.forms import fill_form, form_class, page_action, read_answers, unasked
from ..engine.journey import Journey, Page
from ..engine.prefill import Account
from ..extensions import db, registry
from ..i18n import current_locale, localize, translator
from ..pages import form_title, send_attachment, site_url
from ..timeutil import local, utcnow
from ..widgets import error_summary
from . import bp
from .forms import ContactForm, OptionalContactForm
from .models import Draft
from .operations import (
    AlreadySentError,
    Sender,
    answer_page,
    delete_draft,
    draft_files,
    filing_journey,
    is_expired,
    remove_file,
    send_draft,
)


@bp.get("/drafts/")
@role_required(Role.CITIZEN)
def list_drafts():
    days = current_app.config["DRAFT_EXPIRY_DAYS"]
    drafts = [draft for draft in db.session.scalars(
        select(Draft).where(Draft.user_id == current_user.id).order_by(Draft.updated_at.desc()))
        if not is_expired(draft, utcnow(), days)]
    return render_template("drafts/list.html", drafts=drafts, days=days)


@bp.get("/drafts/<draft_id>/pages/<page_id>")
@draft_holder
def show_page(draft_id: str, page_id: str):
    draft, definition, journey, page = _open_page(draft_id, page_id)
    form = form_class(definition, current_locale(), page)()
    fill_form(form, page.fields, draft.data)
    return _page(draft, definition, journey, page, form, {})


@bp.post("/drafts/<draft_id>/pages/<page_id>")
@draft_holder
def answer(draft_id: str, page_id: str):
    """Continue: keep the page's answers and go on, or show the page again with its errors."""
    draft, definition, _journey, page = _open_page(draft_id, page_id)
    form = form_class(definition, current_locale(), page)(request.form)
    if extra := unasked(form, request.form.keys()):  # never dropped behind the sender's back: nothing is saved
        names = ", ".join(name[:40] for name in extra[:5]) + (" …" if len(extra) > 5 else "")
        message = _("This page does not ask for: %(names)s. Nothing was saved: fill in the page as it is shown "
                    "and continue.", names=names)
        return _page(draft, definition, _journey, page, form, {"": message})
    chosen = {field.html_id: Chosen(file.filename, file.read(field.type.upload_limit(field) + 1))
              for field in page.fields if field.type.uploads
              and (file := request.files.get(field.html_id)) is not None and file.filename}
    now = utcnow()
    journey, errors = answer_page(draft, definition, page, read_answers(page.fields, form), chosen,
                                  Path(current_app.config["ATTACHMENTS_DIR"]), translator(), now,
                                  _identity(draft, definition),
                                  today=local(now, current_app.config["OFFICE_TIMEZONE"]).date())
    if errors:
        return _page(draft, definition, journey, page, form, errors)  # shown as these answers make it
    return redirect(_after(draft, journey, page), code=303)


@bp.post("/drafts/<draft_id>/pages/<page_id>/add/<name>")
@draft_holder
def add_item(draft_id: str, page_id: str, name: str):
    """"Add another" item of a repeating group: the page again with the answers typed so far, nothing saved."""
    return _change_items(draft_id, page_id, "add", name)


@bp.post("/drafts/<draft_id>/pages/<page_id>/remove/<name>/<int:index>")
@draft_holder
def remove_item(draft_id: str, page_id: str, name: str, index: int):
    """"Remove" an item of a repeating group: the page again without it, nothing saved."""
    return _change_items(draft_id, page_id, "remove", name, index)


def _change_items(draft_id: str, page_id: str, verb: str, name: str, index: int | None = None):
    draft, definition, journey, page = _open_page(draft_id, page_id)
    form = form_class(definition, current_locale(), page)(request.form)
    if not page_action(form, page.fields, verb, name, index):
        abort(404)
    return _page(draft, definition, journey, page, form, {})


@bp.post("/drafts/<draft_id>/pages/<page_id>/remove-file/<name>")
@draft_holder
def remove_attached_file(draft_id: str, page_id: str, name: str):
    draft, _definition, _journey, page = _open_page(draft_id, page_id)
    field = next((f for f in page.fields if f.name == name and f.type.uploads), None) or abort(404)
    remove_file(draft, field, utcnow())
    return redirect(_page_url(draft, page, request.args.get("return")), code=303)


@bp.get("/drafts/<draft_id>/check")
@draft_holder
def check_answers(draft_id: str):
    if (sent := sent_case_of_holder(draft_id)) is not None:  # back to a page of a form already sent
        return _already_sent(sent)
    draft, definition, journey = _open_summary(draft_id)
    return _summary(draft, definition, journey, _contact_form(draft, definition), {})


@bp.post("/drafts/<draft_id>/check")
@draft_holder
def send(draft_id: str):
    """Accept and send: the case is filed, or the summary comes back with what stops it. Sent twice (a double
    click, a second tab), one case is filed and the second send is told its number."""
    if (sent := sent_case_of_holder(draft_id)) is not None:
        return _already_sent(sent)
    draft, definition, journey = _open_summary(draft_id)
    contact = _contact_form(draft, definition)
    errors: dict[str, str] = {}
    address = None
    if draft.user_id is None:  # the address comes from the form's own question, or from the summary page
        address = definition.contact.address(journey.data)
        if contact is not None:
            if not contact.validate():
                errors["contact_email"] = contact.email.errors[0]
            address = (contact.email.data or "").strip() or None
    tracking = secrets.token_urlsafe(16) if draft.user_id is None else None
    sender = Sender(draft.user_id, address, tracking, _account(draft))
    try:
        case, errors = send_draft(draft, definition, registry().workflows, sender, current_locale(),
                                  translator(), utcnow(), current_app.config["OFFICE_TIMEZONE"], refused=errors,
                                  confirmation=lambda case: _confirmation(case, definition, tracking))
    except AlreadySentError as sent_meanwhile:
        return _already_sent(sent_meanwhile.case)
    if case is None:
        return _summary(draft, definition, journey, contact, errors)
    if tracking:
        session["sent_case"] = case.id  # only this browser sees the contact address on the next page
        return redirect(url_for("citizen.track_case", token=tracking, sent=1), code=303)
    return redirect(url_for("citizen.show_confirmation", case_id=case.id), code=303)


@bp.get("/drafts/<draft_id>/delete")
@draft_holder
def confirm_delete(draft_id: str):
    """Are you sure? Deleting a draft cannot be undone."""
    draft = draft_or_404(draft_id)
    title = form_title(draft.form_id)
    return render_template("confirm.html", question=_("Delete the draft of “%(form)s”?", form=localize(title)),
                           warning=_("Its answers and files are deleted for good: this cannot be undone."),
                           button=_("Yes, delete the draft"), action=url_for("drafts.delete", draft_id=draft.id),
                           back=url_for("drafts.list_drafts"))


@bp.post("/drafts/<draft_id>/delete")
@draft_holder
def delete(draft_id: str):
    draft = draft_or_404(draft_id)
    if request.form.get("confirm") != "yes":  # not from the page that asks: ask first
        return redirect(url_for("drafts.confirm_delete", draft_id=draft.id), code=303)
    delete_draft(draft)
    flash(_("The draft is deleted"), "info")
    return redirect(url_for("drafts.list_drafts"), code=303)


@bp.get("/drafts/<draft_id>/files/<int:attachment_id>")
@draft_holder
def download_file(draft_id: str, attachment_id: int):
    return send_attachment(attachment_or_404(attachment_id, draft=draft_or_404(draft_id)))


def _already_sent(case: Case):
    """The form was sent before: its confirmation for an account holder; for an anonymous sender, whose link
    this browser cannot show again, the number and where the link went."""
    if case.submission.submitter_id is not None:
        flash(_("This form has already been sent, as case %(number)s: it was filed once.", number=case.number),
              "info")
        return redirect(url_for("citizen.show_confirmation", case_id=case.id), code=303)
    return render_template("drafts/already_sent.html", case=case)


def _contact_form(draft: Draft, definition) -> ContactForm | None:
    """The summary page's own question for an anonymous sender's e-mail address; None when the form asks it
    among its questions (`contact.field`) or the sender has an account."""
    if draft.user_id is not None or definition.contact.field:
        return None
    return OptionalContactForm() if definition.contact.optional else ContactForm()


def _confirmation(case: Case, definition, token: str | None) -> tuple[str, str]:
    """The e-mail that confirms a filing (its signed receipt goes with it): for an account holder, a link to the
    case; for an anonymous sender, the tracking link that is their only way back to it."""
    if token is None:
        return _("Your case %(number)s", number=case.number), render_template(
            "drafts/confirmation_email.txt", case=case, definition=definition,
            link=site_url("citizen.show_case", case_id=case.id))
    return _("Your case %(number)s", number=case.number), render_template(
        "drafts/tracking_email.txt", case=case, definition=definition,
        link=site_url("citizen.track_case", token=token), lost=site_url("citizen.lost_link"))


def _account(draft: Draft) -> Account | None:
    """What the draft's account fills in (None for an anonymous sender's draft); read once a request."""
    if "account" not in g:
        user = db.session.get(User, draft.user_id) if draft.user_id is not None else None
        g.account = prefill_account(user) if user is not None else None
    return g.account


def _identity(draft: Draft, definition) -> dict[tuple[str, ...], object]:
    """The identity answers a confirmed account gives: shown as text, never taken from a page (decision 0028)."""
    account = _account(draft)
    return account.identity(definition.fields) if account is not None else {}


def _open_draft(draft_id: str):
    """The current user's draft and the form it fills in; 404 for someone else's, 410 once expired."""
    draft = draft_or_404(draft_id)
    if is_expired(draft, utcnow(), current_app.config["DRAFT_EXPIRY_DAYS"]):
        abort(410)
    definition = registry().forms.get(draft.form_id) or abort(410)
    return draft, definition


def _open_page(draft_id: str, page_id: str):
    """The draft, its form, its journey and the page; a page not on the way, or ahead of the first
    unanswered one, sends the citizen back to where they stand."""
    draft, definition = _open_draft(draft_id)
    journey = filing_journey(draft, definition, _account(draft))
    page = journey.page(page_id)
    allowed = _next_unvisited(journey, draft)
    if page is None or (page.id not in draft.visited and page is not allowed):
        abort(redirect(_page_url(draft, allowed), code=303))
    return draft, definition, journey, page


def _open_summary(draft_id: str):
    """The draft, its form and its journey, once every page on the way is answered."""
    draft, definition = _open_draft(draft_id)
    journey = filing_journey(draft, definition, _account(draft))
    missing = _next_unvisited(journey, draft)
    if missing is not None:
        abort(redirect(_page_url(draft, missing), code=303))
    return draft, definition, journey


def _page(draft: Draft, definition, journey: Journey, page: Page, form, errors: dict[str, str]):
    returning = request.args.get("return")
    files = draft_files(draft) if page.uploads else {}
    return render_template("drafts/page.html", definition=definition, draft=draft, journey=journey, page=page,
                           form=form, errors=errors, files=files, back=_back_url(draft, journey, page),
                           action=_page_url(draft, page, returning), locked=_locked(draft, definition)), \
        400 if errors else 200


def _summary(draft: Draft, definition, journey: Journey, contact: ContactForm | None, errors: dict[str, str]):
    tr = translator()
    files = {sha: (row.name, row.size) for sha, row in draft_files(draft).items()}
    sections = [(page, answer_rows(page.fields, journey.data, tr, files)) for page in journey.pages]
    computed = computed_rows(definition.computed, definition.computed_values(journey.data), tr)
    pages = {f.key: p for p in journey.pages for top in p.fields for f in top.walk()}

    def target(key: str) -> str | None:
        if key == "contact_email":
            return "#contact_email"
        page = pages.get(definition.field(key).key if definition.field(key) else key)
        return _page_url(draft, page, "check") if page else None
    summary = error_summary((message, target(key)) for key, message in errors.items())
    return render_template("drafts/check.html", definition=definition, draft=draft, sections=sections,
                           computed=computed, contact=contact, errors=errors, summary=summary,
                           locked=_locked(draft, definition)), 400 if errors else 200


def _locked(draft: Draft, definition) -> dict[str, object]:
    """The identity answers a page shows as text, by field key."""
    return {".".join(path): value for path, value in _identity(draft, definition).items()}


def _next_unvisited(journey: Journey, draft: Draft) -> Page | None:
    """The first page on the way that has not been answered yet; None when all have."""
    return next((page for page in journey.pages if page.id not in draft.visited), None)


def _after(draft: Draft, journey: Journey, page: Page) -> str:
    """Where a valid page leads: the next page, or after a change from the summary, back to it
    (through any page the change has newly brought onto the way)."""
    following = journey.after(page)
    if request.args.get("return") == "check" or following is None:
        return _page_url(draft, _next_unvisited(journey, draft))
    return _page_url(draft, following)


def _page_url(draft: Draft, page: Page | None, returning: str | None = None) -> str:
    """The address of a page of the draft (coming back to the summary after it); the summary when None."""
    if page is None:
        return url_for("drafts.check_answers", draft_id=draft.id)
    extra = {"return": "check"} if returning == "check" else {}
    return url_for("drafts.show_page", draft_id=draft.id, page_id=page.id, **extra)


def _back_url(draft: Draft, journey: Journey, page: Page) -> str:
    if request.args.get("return") == "check":
        return url_for("drafts.check_answers", draft_id=draft.id)
    previous = journey.before(page)
    if previous is None:
        return url_for("citizen.show_form", form_id=draft.form_id)
    return _page_url(draft, previous)
