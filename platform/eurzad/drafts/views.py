"""A draft's pages, the buttons of its questions, check your answers, sending; "my drafts".

Each view loads the draft (404 for anyone but its holder, 410 once expired), calls one operation, and
redirects or renders."""
from __future__ import annotations

import secrets
from dataclasses import replace

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import attachment_or_404, draft_holder, draft_or_404, role_required, sent_case_of_holder
from ..auth.models import Role
from ..auth.operations import prefill_account
from ..cases.files import file_store
from ..cases.models import Case
from ..engine.forms import read_answers
from ..engine.journey import Page
from ..engine.prefill import Account
from ..extensions import db, registry
from ..filling import Filling, changed_items, posted_page, render_page, render_summary, stored_page
from ..i18n import current_locale, localize, translator
from ..pages import form_title, send_attachment, site_url
from ..timeutil import local, utcnow
from . import bp
from .forms import ContactForm, contact_form
from .models import Draft
from .operations import (
    AlreadySentError,
    Sender,
    UploadQuota,
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
    filling, page = _open_page(draft_id, page_id)
    return _page(filling, page, stored_page(filling, page), {})


@bp.post("/drafts/<draft_id>/pages/<page_id>")
@draft_holder
def answer(draft_id: str, page_id: str):
    """Continue: keep the page's answers and go on, or show the page again with its errors."""
    filling, page = _open_page(draft_id, page_id)
    form, refused, chosen = posted_page(filling, page)
    if refused:
        return _page(filling, page, form, {"": refused})
    draft, definition, now = filling.holder, filling.definition, utcnow()
    journey, errors = answer_page(draft, definition, page, read_answers(page.fields, form), chosen,
                                  file_store(current_app.config), translator(), now,
                                  _identity(draft, definition),
                                  today=local(now, current_app.config["OFFICE_TIMEZONE"]).date(), quota=_quota())
    filling = replace(filling, journey=journey)
    if errors:
        return _page(filling, page, form, errors)  # shown as these answers make it
    return redirect(filling.after(page), code=303)


@bp.post("/drafts/<draft_id>/pages/<page_id>/add/<name>")
@draft_holder
def add_item(draft_id: str, page_id: str, name: str):
    """"Add another" item of a repeating group: the page again with the answers typed so far, nothing saved."""
    filling, page = _open_page(draft_id, page_id)
    return _page(filling, page, changed_items(filling, page, "add", name, None), {})


@bp.post("/drafts/<draft_id>/pages/<page_id>/remove/<name>/<int:index>")
@draft_holder
def remove_item(draft_id: str, page_id: str, name: str, index: int):
    """"Remove" an item of a repeating group: the page again without it, nothing saved."""
    filling, page = _open_page(draft_id, page_id)
    return _page(filling, page, changed_items(filling, page, "remove", name, index), {})


@bp.post("/drafts/<draft_id>/pages/<page_id>/remove-file/<name>")
@draft_holder
def remove_attached_file(draft_id: str, page_id: str, name: str):
    filling, page = _open_page(draft_id, page_id)
    field = next((f for f in page.fields if f.name == name and f.type.uploads), None) or abort(404)
    remove_file(filling.holder, field, utcnow())
    return redirect(filling.page_url(page, request.args.get("return")), code=303)


@bp.get("/drafts/<draft_id>/check")
@draft_holder
def check_answers(draft_id: str):
    if (sent := sent_case_of_holder(draft_id)) is not None:  # back to a page of a form already sent
        return _already_sent(sent)
    filling = _open_summary(draft_id)
    return _summary(filling, contact_form(filling.definition, filling.holder.user_id is None), {})


@bp.post("/drafts/<draft_id>/check")
@draft_holder
def send(draft_id: str):
    """Accept and send: the case is filed, or the summary comes back with what stops it. Sent twice (a double
    click, a second tab), one case is filed and the second send is told its number."""
    if (sent := sent_case_of_holder(draft_id)) is not None:
        return _already_sent(sent)
    filling = _open_summary(draft_id)
    draft, definition, journey = filling.holder, filling.definition, filling.journey
    contact = contact_form(definition, draft.user_id is None)
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
        return _summary(filling, contact, errors)
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
    if "account" not in g:  # the holder's account came with the draft (draft_or_404)
        g.account = prefill_account(draft.user) if draft.user is not None else None
    return g.account


def _quota() -> UploadQuota:
    """The upload quotas of config.py; an anonymous sender's drafts are those this browser session holds."""
    config = current_app.config
    return UploadQuota(config["UPLOAD_DRAFT_FILES"], config["UPLOAD_DRAFT_MB"] * 1024 * 1024,
                       config["UPLOAD_SENDER_FILES"], config["UPLOAD_SENDER_MB"] * 1024 * 1024,
                       tuple(session.get("drafts", ())))


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


def _filling(draft_id: str) -> Filling:
    """The current user's draft as its pages need it: its form and its way through it."""
    draft, definition = _open_draft(draft_id)
    return Filling(draft, definition, filing_journey(draft, definition, _account(draft)), "drafts",
                   {"draft_id": draft.id}, url_for("citizen.show_form", form_id=draft.form_id),
                   {".".join(path): value for path, value in _identity(draft, definition).items()})


def _open_page(draft_id: str, page_id: str) -> tuple[Filling, Page]:
    """The draft and the page; a page not on the way, or ahead of the first unanswered one, sends the
    citizen back to where they stand."""
    filling = _filling(draft_id)
    return filling, filling.page(page_id)


def _open_summary(draft_id: str) -> Filling:
    """The draft, once every page on the way is answered."""
    filling = _filling(draft_id)
    filling.complete()
    return filling


def _page(filling: Filling, page: Page, form, errors: dict[str, str]):
    draft = filling.holder
    return render_page(filling, page, form, errors, "drafts/page.html", _current_file(draft) if page.uploads else None,
                       draft=draft)


def _current_file(draft: Draft):
    """The file attached to a question of the draft, with the link to download it."""
    files = draft_files(draft)

    def link(field) -> tuple[str, str] | None:
        attachment = files.get(draft.data.get(field.path[0]))
        if attachment is None:
            return None
        return attachment.name, url_for("drafts.download_file", draft_id=draft.id, attachment_id=attachment.id)
    return link


def _summary(filling: Filling, contact: ContactForm | None, errors: dict[str, str]):
    files = {sha: (row.name, row.size) for sha, row in draft_files(filling.holder).items()}
    return render_summary(filling, "drafts/check.html", errors, files, draft=filling.holder, contact=contact)
