"""Filling a form in: a draft's pages, check your answers, sending; "my drafts"."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import attachment_or_404, draft_holder, draft_or_404, role_required
from ..auth.models import Role
from ..cases.models import Case, Draft
from ..cases.operations import file_submission, tracking_digest
from ..engine.answers import answer_rows, computed_rows
from ..engine.attachments import UploadRefusedError, check_upload
from ..engine.forms import change_items, fill_form, form_class, read_answers
from ..engine.journey import walk
from ..engine.validation import message, validate
from ..extensions import db, registry
from ..i18n import current_locale, translator
from ..outbox.operations import queue, site_url
from ..timeutil import utcnow
from . import bp
from .forms import ContactForm
from .operations import attach_file, detach_file, discard_draft, draft_files, is_expired, save_page
from .views import send_attachment


@bp.get("/drafts/")
@role_required(Role.CITIZEN)
def list_drafts():
    days = current_app.config["DRAFT_EXPIRY_DAYS"]
    drafts = [draft for draft in db.session.scalars(
        select(Draft).where(Draft.user_id == current_user.id).order_by(Draft.updated_at.desc()))
        if not is_expired(draft, utcnow(), days)]
    return render_template("citizen/drafts.html", drafts=drafts, days=days)


@bp.route("/drafts/<draft_id>/pages/<page_id>", methods=["GET", "POST"])
@draft_holder
def fill_page(draft_id: str, page_id: str):
    draft, definition = _open_draft(draft_id)
    journey = walk(definition.pages, draft.data)
    page = journey.page(page_id)
    allowed = _next_unvisited(journey, draft)
    if page is None or (page.id not in draft.visited and page is not allowed):
        # Not on the way, or ahead of the first unanswered page: back to where the citizen stands.
        return redirect(_page_url(draft, allowed), code=303)
    form = form_class(definition, current_locale(), page)(request.form if request.method == "POST" else None)
    errors: dict[str, str] = {}
    action = request.form.get("action", "")
    if request.method == "GET":
        fill_form(form, page.fields, draft.data)
    elif change_items(form, page.fields, action) or _remove_file(draft, page, action):
        pass  # "add another", "remove" or "remove the file": the page again, nothing else checked
    else:
        errors = _take_files(draft, page)
        kept_files = {f.path[0] for f in page.fields if f.type.widget == "file"} & set(draft.data)
        answers = read_answers(page.fields, form) | {name: draft.data[name] for name in kept_files}
        on_page = {field.path[0] for field in page.fields}
        trial = walk(definition.pages, {k: v for k, v in draft.data.items() if k not in on_page} | answers)
        journey = trial  # the page is shown again, if at all, as these answers make it
        only = [f.key for f in page.fields if f.key in trial.visible and f.key not in errors]
        errors |= validate(definition, trial.data, translator(), only=only, required=trial.required)
        if not errors:
            kept = {name: trial.data[name] for name in on_page if name in trial.data}
            save_page(draft, page, kept, utcnow())  # answers to questions not asked are not kept
            db.session.commit()
            return redirect(_after(draft, trial, page), code=303)
    return render_template("citizen/page.html", definition=definition, draft=draft, journey=journey, page=page,
                           form=form, errors=errors, back=_back_url(draft, journey, page),
                           files=draft_files(draft) if any(f.type.widget == "file" for f in page.fields)
                           else {}), 400 if errors else 200


@bp.route("/drafts/<draft_id>/check", methods=["GET", "POST"])
@draft_holder
def check_answers(draft_id: str):
    draft, definition = _open_draft(draft_id)
    journey = walk(definition.pages, draft.data)
    missing = _next_unvisited(journey, draft)
    if missing is not None:
        return redirect(_page_url(draft, missing), code=303)
    errors: dict[str, str] = {}
    contact = ContactForm()
    files = draft_files(draft)
    if request.method == "POST":
        errors = validate(definition, journey.data, translator(), required=journey.required)
        if draft.user_id is None and not contact.validate():
            errors["contact_email"] = contact.email.errors[0]
        file_fields = [f for f in definition.fields if f.type.widget == "file" and f.path[0] in journey.data]
        for field in file_fields:  # a file answer is only good while its upload is this draft's
            if journey.data[field.path[0]] not in files:
                errors[field.key] = message(field, "required", None, translator())
        digests = [journey.data[f.path[0]] for f in file_fields]
        if not errors:
            data = journey.data | definition.computed_values(journey.data)  # recomputed here, never taken from a post
            tracking = secrets.token_urlsafe(16) if draft.user_id is None else None
            case = file_submission(definition, registry().workflows, data, draft.user_id,
                                   current_locale(), utcnow(), current_app.config["OFFICE_TIMEZONE"],
                                   [files[digest] for digest in digests],
                                   contact_email=contact.email.data if tracking else None,
                                   tracking_digest=tracking_digest(tracking) if tracking else None)
            discard_draft(draft)
            if tracking:
                _send_tracking_link(case, definition, contact.email.data, tracking)
            db.session.commit()
            if tracking:
                session["sent_case"] = case.id  # only this browser sees the contact address on the next page
                return redirect(url_for("citizen.track_case", token=tracking, sent=1), code=303)
            return redirect(url_for("citizen.show_confirmation", case_id=case.id), code=303)
    tr = translator()
    shown_files = {sha: (row.name, row.size) for sha, row in files.items()}
    sections = [(page, answer_rows(page.fields, journey.data, tr, shown_files)) for page in journey.pages]
    computed = computed_rows(definition.computed, definition.computed_values(journey.data), tr)
    return render_template("citizen/check.html", definition=definition, draft=draft, sections=sections,
                           computed=computed, contact=contact,
                           errors=errors, pages_by_field={f.key: p for p in journey.pages for t in p.fields
                                                          for f in t.walk()}), 400 if errors else 200


@bp.post("/drafts/<draft_id>/delete")
@draft_holder
def delete_draft(draft_id: str):
    draft = draft_or_404(draft_id)
    discard_draft(draft)
    db.session.commit()
    return redirect(url_for("citizen.list_drafts"), code=303)


@bp.get("/drafts/<draft_id>/files/<int:attachment_id>")
@draft_holder
def download_draft_file(draft_id: str, attachment_id: int):
    return send_attachment(attachment_or_404(attachment_id, draft=draft_or_404(draft_id)))


def _send_tracking_link(case: Case, definition, email: str, token: str) -> None:
    link = site_url("citizen.track_case", token=token)
    queue(email, _("Your case %(number)s", number=case.number), render_template(
        "citizen/tracking_email.txt", case=case, definition=definition, link=link), utcnow())


def _take_files(draft: Draft, page) -> dict[str, str]:
    """Check and keep the files chosen on this page; the messages for those refused."""
    errors = {}
    store = Path(current_app.config["ATTACHMENTS_DIR"])
    for field in page.fields:
        chosen = request.files.get(field.html_id) if field.type.widget == "file" else None
        if chosen is None or not chosen.filename:
            continue
        kinds, max_mb = field.type.kinds(field), field.type.max_mb(field)
        content = chosen.read(max_mb * 1024 * 1024 + 1)
        try:
            upload = check_upload(content, chosen.filename, kinds, max_mb)
        except UploadRefusedError as refused:
            limit = kinds if refused.keyword == "file_type" else max_mb
            errors[field.key] = message(field, refused.keyword, limit, translator())
            continue
        attach_file(draft, field, upload, content, store, utcnow())
    if request.files:
        db.session.commit()  # a file that passed is kept even if another answer on the page did not
    return errors


def _remove_file(draft: Draft, page, action: str) -> bool:
    verb, _, name = action.partition(":")
    field = next((f for f in page.fields if f.path[0] == name and f.type.widget == "file"), None)
    if verb != "remove-file" or field is None:
        return False
    detach_file(draft, field, utcnow())
    db.session.commit()
    return True


def _open_draft(draft_id: str):
    """The current user's draft and the form it fills in; 404 for someone else's, 410 once expired."""
    draft = draft_or_404(draft_id)
    if is_expired(draft, utcnow(), current_app.config["DRAFT_EXPIRY_DAYS"]):
        abort(410)
    definition = registry().forms.get(draft.form_id) or abort(410)
    return draft, definition


def _next_unvisited(journey, draft: Draft):
    """The first page on the way that has not been answered yet; None when all have."""
    return next((page for page in journey.pages if page.id not in draft.visited), None)


def _after(draft: Draft, journey, page) -> str:
    """Where a valid page leads: the next page, or after a change from the summary, back to it
    (through any page the change has newly brought onto the way)."""
    following = journey.after(page)
    if request.args.get("return") == "check" or following is None:
        return _page_url(draft, _next_unvisited(journey, draft))
    return _page_url(draft, following)


def _page_url(draft: Draft, page) -> str:
    """The address of a page of the draft; the summary when `page` is None."""
    if page is None:
        return url_for("citizen.check_answers", draft_id=draft.id)
    return url_for("citizen.fill_page", draft_id=draft.id, page_id=page.id)


def _back_url(draft: Draft, journey, page) -> str:
    if request.args.get("return") == "check":
        return url_for("citizen.check_answers", draft_id=draft.id)
    previous = journey.before(page)
    if previous is None:
        return url_for("citizen.show_form", form_id=draft.form_id)
    return _page_url(draft, previous)

