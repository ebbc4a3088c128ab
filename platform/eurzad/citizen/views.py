"""The citizen's side: the catalogue and start pages, "my cases", confirmations, tracking links.

Filling a form in, page by page, is the drafts area's."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..access import attachment_or_404, case_or_404, hold_draft, may_start, public, role_required, starter
from ..auth.models import Role
from ..cases.models import Case, Submission
from ..cases.operations import answer_due, case_log, definition_of, filed_answers, tracking_digest
from ..drafts.operations import start_draft
from ..extensions import db, registry
from ..i18n import current_locale, translator
from ..pages import send_attachment
from ..timeutil import utcnow
from . import bp


@bp.get("/")
@public
def list_forms():
    forms = sorted(registry(), key=lambda form: form.title.get(current_locale()))
    return render_template("citizen/catalogue.html", forms=forms)


@bp.get("/forms/<form_id>")
@public
def show_form(form_id: str):
    """The start page: what the form is for, the service card, and the button to begin."""
    definition = registry().forms.get(form_id) or abort(404)
    return render_template("citizen/start.html", definition=definition)


@bp.post("/forms/<form_id>/start")
@starter
def start_form(form_id: str):
    definition = registry().forms.get(form_id) or abort(404)
    may_start(definition)
    citizen = current_user.is_authenticated and current_user.has_role(Role.CITIZEN)
    draft = start_draft(definition, current_user.id if citizen else None, utcnow())
    if draft.user_id is None:
        hold_draft(draft)
    return redirect(url_for("drafts.show_page", draft_id=draft.id, page_id=definition.pages[0].id), code=303)


@bp.get("/cases/<int:case_id>/files/<int:attachment_id>")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def download_case_file(case_id: int, attachment_id: int):
    """An attached file, for the citizen who sent it and the clerks of the case's department."""
    return send_attachment(attachment_or_404(attachment_id, case=case_or_404(case_id)))


@bp.get("/cases/")
@role_required(Role.CITIZEN)
def list_cases():
    stmt = (select(Case).join(Case.submission).where(Submission.submitter_id == current_user.id)
            .options(contains_eager(Case.submission))  # the joined submission fills each row: no query a row
            .order_by(Case.created_at.desc(), Case.id.desc()))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    return render_template("citizen/cases.html", page=page)


@bp.get("/cases/<int:case_id>")
@role_required(Role.CITIZEN)
def show_case(case_id: int):
    case = case_or_404(case_id)
    definition, rows = filed_answers(case, registry(), translator())
    return render_template("citizen/case.html", case=case, definition=definition, rows=rows,
                           log=case_log(case, registry().workflows), due=_due(case, definition))


@bp.get("/cases/<int:case_id>/sent")
@role_required(Role.CITIZEN)
def show_confirmation(case_id: int):
    """The confirmation panel: the case number, what happens next, and by when the office should answer."""
    case = case_or_404(case_id)
    definition = definition_of(case.submission, registry())
    return render_template("citizen/confirmation.html", case=case, definition=definition,
                           due=_due(case, definition))


@bp.get("/track/<token>")
@public
def track_case(token: str):
    """The case of an anonymous sender, for whoever holds its secret link: stage and receipt, no personal data."""
    case = db.session.scalar(select(Case).where(Case.tracking_digest == tracking_digest(token))) or abort(404)
    definition = definition_of(case.submission, registry())
    due = _due(case, definition)
    sent = request.args.get("sent") == "1" and session.pop("sent_case", None) == case.id
    return render_template("citizen/track.html", case=case, definition=definition, due=due, sent=sent,
                           log=case_log(case, registry().workflows))


def _due(case: Case, definition) -> date | None:
    return answer_due(case, definition, registry().workflows, current_app.config["OFFICE_TIMEZONE"])
