"""The department's inbox, one case, and the workflow's steps a clerk takes on it."""
from __future__ import annotations

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import case_or_404, role_required
from ..auth.models import Role
from ..cases.models import Case, Submission
from ..cases.operations import StepCommentMissingError, case_log, filed_answers, take_step
from ..engine.workflows import Transition
from ..extensions import db, registry
from ..i18n import translator
from ..pages import site_url
from ..refusals import RefusedError
from ..timeutil import utcnow
from ..widgets import form_problems
from . import bp
from .forms import StepForm


@bp.get("/")
@role_required(Role.CLERK, Role.HEAD)
def inbox():
    stmt = (select(Case).where(Case.department == current_user.department)
            .options(selectinload(Case.submission).joinedload(Submission.submitter))  # one query, not two a row
            .order_by(Case.created_at.desc(), Case.id.desc()))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"])
    return render_template("clerk/inbox.html", page=page)


@bp.get("/cases/<int:case_id>")
@role_required(Role.CLERK, Role.HEAD)
def show_case(case_id: int):
    return _case_page(case_or_404(case_id))


@bp.post("/cases/<int:case_id>/steps/<action>")
@role_required(Role.CLERK, Role.HEAD)
def take(case_id: int, action: str):
    """Take one step of the case's workflow; the page again with what stopped it, if anything did."""
    case = case_or_404(case_id)
    form = StepForm(prefix=action)
    if not form.validate():
        return _case_page(case, {action: form}, form_problems(form))
    try:
        step = take_step(case, action, current_user, form.comment.data or "", _version(form.version.data),
                         registry().workflows, utcnow(), _step_message)
    except StepCommentMissingError as missing:
        return _case_page(case, {action: form}, {form.comment.id: _(missing.message)})
    except RefusedError as refused:
        db.session.expire_all()  # show the case as it is now
        flash(_(refused.message), "error")
        return _case_page(case_or_404(case_id), status=refused.status)
    flash(_("Done: %(step)s", step=step.label.get(translator().locale)), "info")
    return redirect(url_for("clerk.show_case", case_id=case.id), code=303)


def _case_page(case: Case, forms: dict[str, StepForm] | None = None, problems: dict[str, str] | None = None,
               status: int = 200):
    workflows = registry().workflows
    definition, rows = filed_answers(case, registry(), translator())
    workflow = workflows.workflows.get(case.workflow)
    data = json.loads(case.submission.data_json)
    steps = workflow.available(case.state, current_user.roles, data) if workflow else ()
    forms = forms or {}
    step_forms = [(step, forms.get(step.action) or StepForm(prefix=step.action, formdata=None)) for step in steps]
    for _step, form in step_forms:
        form.version.data = case.version  # the version this page shows: a step from it is refused once stale
    return render_template("clerk/case.html", case=case, definition=definition, rows=rows, steps=step_forms,
                           log=case_log(case, workflows), problems=problems or {}), 400 if problems else status


def _step_message(case: Case, step: Transition) -> tuple[str, str]:
    """The e-mail to the citizen about a step, in the language they filed in, with a link, never the data."""
    workflow = registry().workflows.workflows[case.workflow]
    link = site_url("citizen.show_case", case_id=case.id) if case.submission.submitter_id else None
    with force_locale(case.submission.locale):
        return _("Your case %(number)s", number=case.number), render_template(
            "clerk/step_email.txt", case=case, step=step, state=workflow.states[step.target], link=link)


def _version(posted: str | None) -> int:
    return int(posted) if posted and posted.isdigit() and len(posted) < 10 else -1

