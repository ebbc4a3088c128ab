"""The citizen's side: the catalogue and start pages, "my cases", confirmations, tracking links.

Filling a form in, page by page, is the drafts area's."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..access import (
    attachment_or_404,
    case_or_404,
    hold_draft,
    may_start,
    public,
    role_required,
    starter,
    tracked_case_or_404,
)
from ..auth.models import Role
from ..auth.operations import prefill_account
from ..cases.files import file_store
from ..cases.models import Case, Submission
from ..cases.operations import answer_due, case_log, definition_of, deliver, filed_answers, paused_days
from ..cases.supplements import (
    answer_by,
    answer_request,
    current_answers,
    locked_answers,
    open_request,
    supplement_rows,
)
from ..drafts.operations import start_draft
from ..engine.attachments import DEFAULT_MAX_MB, Chosen
from ..engine.catalogue import catalogue_groups, matches
from ..engine.forms import fill_form, questions_class, read_answers
from ..engine.messages import N_
from ..extensions import limiter, registry
from ..i18n import current_locale, translator
from ..pages import paginate, send_attachment, site_url, withdrawal
from ..receipts.operations import receipt_of
from ..refusals import RefusedError
from ..timeutil import local, utcnow
from ..widgets import error_summary, form_problems
from . import bp
from .forms import LostLinkForm, SupplementForm
from .operations import renew_tracking_link


@bp.get("/")
@public
def list_forms():
    """The catalogue: every form in its group, or those matching what was searched for."""
    query = request.args.get("q", "")[:100].strip()
    forms = [form for form in registry() if matches(form, query) and withdrawal(form) is None]
    groups = catalogue_groups(forms, registry().workflows.categories, current_locale())
    return render_template("citizen/catalogue.html", groups=groups, query=query, found=len(forms))


@bp.get("/forms/<form_id>")
@public
def show_form(form_id: str):
    """The start page: what the form is for, the service card, and the button to begin."""
    definition = _startable(form_id)
    return render_template("citizen/start.html", definition=definition)


@bp.post("/forms/<form_id>/start")
@starter
def start_form(form_id: str):
    definition = _startable(form_id)
    may_start(definition)
    citizen = current_user.is_authenticated and current_user.has_role(Role.CITIZEN)
    account = prefill_account(current_user) if citizen else None  # what the account fills in (decision 0028)
    draft = start_draft(definition, current_user.id if citizen else None, utcnow(), account)
    if draft.user_id is None:
        hold_draft(draft)
    return redirect(url_for("drafts.show_page", draft_id=draft.id, page_id=definition.pages[0].id), code=303)


def _startable(form_id: str) -> Any:
    """A published form, 404 for an id that is not; once withdrawn, 410 with the office's note (decision 0036)."""
    definition = registry().forms.get(form_id) or abort(404)
    withdrawn = withdrawal(definition)
    if withdrawn is not None:
        abort(make_response(render_template("citizen/withdrawn.html", definition=definition, withdrawn=withdrawn),
                            410))
    return definition


@bp.get("/cases/<int:case_id>/files/<int:attachment_id>")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def download_case_file(case_id: int, attachment_id: int):
    """A file of the case (sent by the applicant, or by the office with a step), for the citizen whose case it
    is and the clerks of the case's department; a photo shown in the page with `?inline=1`."""
    return send_attachment(attachment_or_404(attachment_id, case=case_or_404(case_id)), inline=_inline())


@bp.get("/cases/")
@role_required(Role.CITIZEN)
def list_cases():
    stmt = (select(Case).join(Case.submission).where(Submission.submitter_id == current_user.id)
            .options(contains_eager(Case.submission))  # the joined submission fills each row: no query a row
            .order_by(Case.created_at.desc(), Case.id.desc()))
    page = paginate(stmt)
    return render_template("citizen/cases.html", page=page)


@bp.get("/cases/<int:case_id>")
@role_required(Role.CITIZEN)
def show_case(case_id: int):
    """The citizen's case: its stage, deadline, what the office asks and sent; opening it delivers what the
    office sent online."""
    case = case_or_404(case_id)
    deliver(case, current_user.id, registry().workflows, utcnow())
    definition, rows = filed_answers(case, registry(), translator())
    return render_template("citizen/case.html", case=case, definition=definition, rows=rows,
                           **_case_facts(case, definition))


@bp.route("/cases/<int:case_id>/supplement", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def supplement(case_id: int):
    """Answer the office's request to supplement: correct the answers it names, write, attach files."""
    case = case_or_404(case_id)
    return _supplement(case, current_user.id, url_for("citizen.show_case", case_id=case.id),
                       lambda sent: url_for("receipts.show_supplement_receipt", case_id=case.id, supplement_id=sent.id))


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
    """The case of an anonymous sender, for whoever holds its secret link: stage and receipt, what the office
    asks and sent (opening it delivers that), no personal data."""
    case = tracked_case_or_404(token)
    deliver(case, None, registry().workflows, utcnow())
    definition = definition_of(case.submission, registry())
    sent = request.args.get("sent") == "1" and session.pop("sent_case", None) == case.id
    return render_template("citizen/track.html", case=case, definition=definition, sent=sent, token=token,
                           link=site_url("citizen.track_case", token=token), **_case_facts(case, definition))


@bp.get("/track/<token>/slip")
@public
def print_tracking_slip(token: str):
    """The tracking link on a page to print and keep: printable without JavaScript (the browser's Print)."""
    case = tracked_case_or_404(token)
    definition = definition_of(case.submission, registry())
    return render_template("citizen/tracking_slip.html", case=case, definition=definition, token=token,
                           link=site_url("citizen.track_case", token=token))


def _case_number_key() -> str:
    """Requests for a new link are counted per case number too: one case's sender is not flooded with links."""
    return "lost-link:" + (request.form.get("number", "").strip().upper() or get_remote_address())


@bp.route("/track/lost", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@limiter.limit("10 per day", methods=["POST"], key_func=_case_number_key)
@public
def lost_link():
    """A new tracking link, e-mailed to the address the case was sent with; the same answer whether or not the
    number and the address match a case (decision 0030)."""
    form = LostLinkForm()
    if form.validate_on_submit():
        renew_tracking_link(form.number.data, form.email.data, utcnow(), _new_link_message)
        return render_template("citizen/lost_link_sent.html")
    problems = form_problems(form)
    return render_template("citizen/lost_link.html", form=form, problems=problems), 400 if problems else 200


@bp.route("/track/<token>/supplement", methods=["GET", "POST"])
@public
def supplement_tracked(token: str):
    """An anonymous sender answers the office's request through their tracking link."""
    case = tracked_case_or_404(token)
    return _supplement(case, None, url_for("citizen.track_case", token=token),
                       lambda sent: url_for("receipts.show_tracked_supplement_receipt", token=token,
                                            supplement_id=sent.id))


@bp.get("/track/<token>/files/<int:attachment_id>")
@public
def download_tracked_file(token: str, attachment_id: int):
    """A file of an anonymous sender's case, for whoever holds its tracking link."""
    return send_attachment(attachment_or_404(attachment_id, case=tracked_case_or_404(token)), inline=_inline())


def _case_facts(case: Case, definition) -> dict[str, Any]:
    """What the citizen's case pages show besides the data: the deadline, the log, the open request."""
    workflows = registry().workflows
    request_open = open_request(case, workflows)
    answer_date = answer_by(request_open)
    zone = current_app.config["OFFICE_TIMEZONE"]
    today = local(utcnow(), zone).date()
    return {"due": _due(case, definition), "log": case_log(case, workflows), "request_open": request_open,
            "paused_days": paused_days(case, workflows, zone),
            "answer_date": answer_date, "overdue": answer_date is not None and today > answer_date,
            "supplements": supplement_rows(case, definition, translator()), "receipt": receipt_of(case.submission)}


def _supplement(case: Case, sender_id: int | None, back: str, receipt_url: Callable[[Submission], str]):
    """The answer page of an open request: the named questions with the answers as they stand, a message and
    files; the answer filed (then its receipt) or the page again with every problem by its field."""
    request_open = open_request(case, registry().workflows)
    if request_open is None:
        if request.method == "POST":
            raise RefusedError(N_("This request has been answered already, or the office no longer waits for it"))
        return redirect(back, code=303)
    definition = definition_of(case.submission, registry())
    names = tuple(request_open.details.get("questions", [])) if definition else ()
    fields = [field for field in definition.fields if field.name in names] if definition else []
    questions = questions_class(definition, current_locale(), names)(request.form if request.method == "POST"
                                                                     else None) if definition else None
    own = SupplementForm(prefix="supplement")
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not own.validate():
            errors = {name: own[name].errors[0] for name in ("message", "documents") if own[name].errors}
        else:
            chosen = {field.html_id: Chosen(file.filename, file.read(field.type.upload_limit(field) + 1))
                      for field in fields if field.type.uploads
                      and (file := request.files.get(field.html_id)) is not None and file.filename}
            extra = [Chosen(file.filename, file.read(DEFAULT_MAX_MB * 1024 * 1024 + 1))
                     for file in own.documents.data or () if getattr(file, "filename", None)]
            sent, errors = answer_request(case, request_open, definition, read_answers(fields, questions), chosen,
                                          extra, own.message.data or "", sender_id, current_locale(),
                                          file_store(current_app.config), translator(), utcnow(),
                                          registry().workflows, current_app.config["OFFICE_TIMEZONE"],
                                          _supplemented_message)
            if sent is not None:
                return redirect(receipt_url(sent), code=303)
    elif questions is not None:
        fill_form(questions, fields, current_answers(case))
    own_ids = {"message": own.message.id, "documents": own.documents.id}
    summary = error_summary((text, "#" + own_ids[key] if key in own_ids else
                             "#" + definition.field(key).type.first_input(definition.field(key), key)
                             if definition and definition.field(key) else None) for key, text in errors.items())
    return render_template("citizen/supplement.html", case=case, definition=definition, request_open=request_open,
                           answer_date=answer_by(request_open), fields=fields, answers_form=questions, own=own,
                           errors=errors, problems={own_ids[k]: v for k, v in errors.items() if k in own_ids},
                           summary=summary, back=back, locked={".".join(path): value for path, value in
                                                               locked_answers(case, definition).items()}), \
        400 if errors else 200


def _new_link_message(case: Case, token: str) -> tuple[str, str]:
    """The e-mail with a new tracking link, in the language of the page that asked for it."""
    return _("A new link for following case %(number)s", number=case.number), render_template(
        "citizen/new_link_email.txt", case=case, link=site_url("citizen.track_case", token=token),
        lost=site_url("citizen.lost_link"))


def _supplemented_message(case: Case) -> tuple[str, str]:
    """The e-mail to the clerk who handles a case the applicant has supplemented (staff work in Polish)."""
    with force_locale("pl"):
        return _("Case %(number)s is supplemented", number=case.number), render_template(
            "clerk/supplemented_email.txt", case=case, link=site_url("clerk.show_case", case_id=case.id))


def _inline() -> bool:
    return request.args.get("inline") == "1"


def _due(case: Case, definition) -> date | None:
    return answer_due(case, definition, registry().workflows, current_app.config["OFFICE_TIMEZONE"])
