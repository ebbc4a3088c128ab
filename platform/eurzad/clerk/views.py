"""The department's inbox, one case, and the workflow's steps a clerk takes on it."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..access import case_or_404, role_required
from ..auth.models import Role
from ..cases.chain import case_break
from ..cases.files import file_store
from ..cases.models import Case
from ..cases.operations import answer_due, case_log, definition_of, filed_answers, paused_days
from ..cases.supplements import answer_by, open_request, supplement_rows, supplemented
from ..engine.attachments import Chosen
from ..engine.deadlines import working_days_after
from ..engine.routing import explain_form, question_labels, said_rows
from ..engine.workflows import Transition
from ..extensions import db, registry
from ..i18n import translator
from ..pages import site_url
from ..refusals import RefusedError
from ..timeutil import local, utcnow
from ..widgets import form_problems
from . import bp
from . import inbox as inbox_queries
from .forms import AssignForm, DelayForm, ForwardForm, NoteForm, StepForm, TakeUpForm
from .inbox import state_options, terminal_states
from .operations import (
    ANSWER_DAYS,
    DOCUMENT_MAX_MB,
    FieldRefusedError,
    StepInput,
    add_note,
    assign,
    assignable,
    forward,
    notify_delay,
    record_view,
    take_step,
    take_up,
)

DUE_SOON_DAYS = 3
"""A case is flagged "due soon" in the inbox from this many working days before its deadline."""


@bp.get("/")
@role_required(Role.CLERK, Role.HEAD)
def inbox():
    """The department's cases by view (all, mine, nobody handles yet, overdue), filtered, searched, sorted and
    in pages, with each view's count; a filter the inbox cannot use is ignored and said so."""
    staff = db.session.scalars(inbox_queries.staff_query(current_user.department)).unique().all()
    filters = inbox_queries.read_filters(request.args, _inbox_choices(staff))
    scope, per_page = _inbox_scope(), current_app.config["PER_PAGE"]
    rows = db.session.execute(inbox_queries.listing(filters, scope, per_page)).all()
    if not rows and filters.page > 1:
        abort(404)
    counts = ({view: rows[0]._mapping[view] for view in inbox_queries.VIEWS} if rows
              else db.session.execute(inbox_queries.view_counts(filters, scope)).one()._asdict())
    page = inbox_queries.InboxPage([row[0] for row in rows[:per_page]], filters.page, per_page,
                                   counts[filters.view], len(rows) > per_page)
    marks = {row[0].id: inbox_queries.Marks.of(row.last_move, row.delayed) for row in rows}
    return render_template("clerk/inbox.html", page=page, filters=filters, counts=counts, marks=marks,
                           staff=staff, states=_state_options(), forms=_form_options(), today=scope.today,
                           soon_until=working_days_after(scope.today, DUE_SOON_DAYS), cap=inbox_queries.COUNT_CAP)


@bp.get("/workload")
@role_required(Role.HEAD)
def show_workload():
    """Who holds what: each clerk of the department with the open cases they handle and how many of those are
    overdue, each linked to the inbox filtered so."""
    staff = db.session.scalars(inbox_queries.staff_query(current_user.department)).unique().all()
    scope = _inbox_scope()
    counts = db.session.execute(inbox_queries.workload(scope, [user.id for user in staff])).one()._asdict()
    return render_template("clerk/workload.html", staff=staff, counts=counts, cap=inbox_queries.COUNT_CAP,
                           open=inbox_queries.OPEN)


def _inbox_scope() -> inbox_queries.Scope:
    workflows = registry().workflows
    return inbox_queries.Scope(current_user.department, current_user.id, local_today(),
                               current_app.config["OFFICE_TIMEZONE"], terminal_states(workflows),
                               terminal_states(workflows, closed=False))


def _inbox_choices(staff) -> inbox_queries.Choices:
    return inbox_queries.Choices({name for name, _label in _state_options()}, set(registry().forms),
                                 {user.id for user in staff})


def _state_options() -> list[tuple[str, str]]:
    return state_options(registry().workflows, translator().locale)


def _form_options() -> list[tuple[str, str]]:
    return sorted(((form_id, form.title.get(translator().locale)) for form_id, form in registry().forms.items()),
                  key=lambda choice: choice[1])


@bp.get("/cases/<int:case_id>")
@role_required(Role.CLERK, Role.HEAD)
def show_case(case_id: int):
    case = case_or_404(case_id)
    record_view(case, current_user, utcnow())
    return _case_page(case)


@bp.post("/cases/<int:case_id>/notes")
@role_required(Role.CLERK, Role.HEAD)
def add_case_note(case_id: int):
    """An internal note, for the office only."""
    case = case_or_404(case_id)
    form = NoteForm(prefix="note")
    return _act(case, form, {"note_form": form}, lambda: add_note(case, current_user, form.text.data or "", utcnow()),
                lambda _result: _("The note is added to the case log"))

@bp.post("/cases/<int:case_id>/steps/<action>")
@role_required(Role.CLERK, Role.HEAD)
def take(case_id: int, action: str):
    """Take one step of the case's workflow; the page again with what stopped it, if anything did."""
    case = case_or_404(case_id)
    form = StepForm(prefix=action)
    given = StepInput(form.comment.data or "", form.due.data, tuple(form.questions.data or ()),
                      tuple(Chosen(file.filename, file.read(DOCUMENT_MAX_MB * 1024 * 1024 + 1))
                            for file in form.documents.data or () if getattr(file, "filename", None)),
                      form.delivery.data or "online")
    return _act(case, form, {"forms": {action: form}},
                lambda: take_step(case, action, current_user, given, _version(form.version.data),
                                  registry().workflows, utcnow(), _step_message,
                                  definition_of(case.submission, registry()), current_app.config["OFFICE_TIMEZONE"],
                                  file_store(current_app.config)),
                lambda step: _("Done: %(step)s", step=step.label.get(translator().locale)))

@bp.post("/cases/<int:case_id>/assign")
@role_required(Role.HEAD)
def assign_case(case_id: int):
    """Dekretacja: the head gives the case to a clerk of the department, with an instruction and a date."""
    case = case_or_404(case_id)
    form = AssignForm(prefix="assign")
    form.clerk.choices = _clerk_choices(case)
    return _act(case, form, {"assign_form": form},
                lambda: assign(case, current_user, form.clerk.data, form.instruction.data or "", form.due.data,
                               _version(form.version.data), local_today(), utcnow(), _assignment_message),
                lambda clerk: _("The case is assigned to %(name)s", name=clerk.full_name))

@bp.post("/cases/<int:case_id>/delay")
@role_required(Role.CLERK, Role.HEAD)
def delay(case_id: int):
    """A delay notice (art. 36): the reason and the new date, sent to the citizen."""
    case = case_or_404(case_id)
    form = DelayForm(prefix="delay")
    return _act(case, form, {"delay_form": form},
                lambda: notify_delay(case, current_user, form.reason.data or "", form.due.data,
                                     _version(form.version.data), local_today(), utcnow(), _delay_message),
                lambda _result: _("The applicant is told of the delay and the new date"))

@bp.post("/cases/<int:case_id>/take-up")
@role_required(Role.CLERK, Role.HEAD)
def take_up_case(case_id: int):
    """A clerk takes an unassigned case of the department for themselves."""
    case = case_or_404(case_id)
    form = TakeUpForm(prefix="take_up")
    return _act(case, form, {}, lambda: take_up(case, current_user, _version(form.version.data), utcnow()),
                lambda _result: _("You handle this case now"))


def _act(case: Case, form: Any, page_forms: dict[str, Any], act: Callable[[], Any], done: Callable[[Any], str],
         then: str | None = None):
    """Validate one form of the case page and call its operation: the page again with the problem by its
    field, the case as it now is when a rule refused, or back to the case (or to `then`) saying what was `done`."""
    if not form.validate():
        return _case_page(case, problems=form_problems(form), **page_forms)
    try:
        result = act()
    except FieldRefusedError as refused:
        return _case_page(case, problems={form[refused.field].id: _(refused.message)}, **page_forms)
    except RefusedError as refused:
        return _refused_page(case.id, refused)
    flash(done(result), "info")
    return redirect(then or url_for("clerk.show_case", case_id=case.id), code=303)

def _refused_page(case_id: int, refused: RefusedError):
    """The case page as the case is now, saying why nothing was done."""
    db.session.expire_all()
    flash(_(refused.message), "error")
    return _case_page(case_or_404(case_id), status=refused.status)


def _clerk_choices(case: Case) -> list[tuple[int, str]]:
    return [(user.id, user.full_name) for user in assignable(case)]


def _case_page(case: Case, forms: dict[str, StepForm] | None = None, problems: dict[str, str] | None = None,
               status: int = 200, assign_form: AssignForm | None = None, note_form: NoteForm | None = None,
               delay_form: DelayForm | None = None, forward_form: ForwardForm | None = None):
    workflows, zone = registry().workflows, current_app.config["OFFICE_TIMEZONE"]
    definition, rows = filed_answers(case, registry(), translator())
    workflow = workflows.workflows.get(case.workflow)
    request_open = open_request(case, workflows)
    answer_date = answer_by(request_open)
    overdue = answer_date is not None and local_today() > answer_date
    data = json.loads(case.submission.data_json)
    steps = workflow.available(case.state, current_user.roles, data, overdue) if workflow else ()
    routing = explain_form(workflows, definition, data) if definition else None  # "why did it come to me"
    forms = forms or {}
    step_forms = []
    for step in steps:
        form = forms.get(step.action) or StepForm(prefix=step.action, formdata=None,
                                                  data={"due": _earliest_answer_date()})
        form.questions.choices = [SelectChoice(field.name, field.label.get(translator().locale))
                                  for field in (definition.fields if definition else ())]
        step_forms.append((step, form, workflow.asks_applicant(step)))
    assign_form = assign_form or AssignForm(prefix="assign", formdata=None, data={"clerk": case.assignee_id})
    assign_form.clerk.choices = _clerk_choices(case)
    take_up_form = TakeUpForm(prefix="take_up", formdata=None)
    delay_form = delay_form or DelayForm(prefix="delay", formdata=None)
    forward_form = forward_form or ForwardForm(prefix="forward", formdata=None)
    forward_form.department.choices = _department_choices(case)
    for form in [*(form for _step, form, _asks in step_forms), assign_form, take_up_form, delay_form, forward_form]:
        form.version.data = case.version  # the version this page shows: an action from it is refused once stale
    return render_template("clerk/case.html", case=case, chain_broken=case_break(case.id) is not None,
                           definition=definition, rows=rows, steps=step_forms,
                           due=answer_due(case, definition, workflows, zone), request_open=request_open,
                           paused_days=paused_days(case, workflows, zone),
                           answer_date=answer_date, overdue=overdue, supplemented=supplemented(case),
                           supplements=supplement_rows(case, definition, translator()), assign_form=assign_form,
                           take_up_form=take_up_form, delay_form=delay_form, forward_form=forward_form,
                           note_form=note_form or NoteForm(prefix="note", formdata=None),
                           log=case_log(case, workflows), problems=problems or {}, routing=routing,
                           routing_rows_said=said_rows(routing, translator(), question_labels(definition, translator()))
                           if routing and definition else ()), 400 if problems else status


def _earliest_answer_date():
    """The first day a request may give the applicant (art. 64 §2: seven days), offered as the default."""
    return local_today() + timedelta(days=ANSWER_DAYS)


def _step_message(case: Case, step: Transition) -> tuple[str, str]:
    """The e-mail to the citizen about a step, in the language they filed in, with a link, never the data."""
    workflow = registry().workflows.workflows[case.workflow]
    with force_locale(case.submission.locale):
        return _("Your case %(number)s", number=case.number), render_template(
            "clerk/step_email.txt", case=case, step=step, state=workflow.states[step.target], link=_case_link(case))


def _delay_message(case: Case) -> tuple[str, str]:
    """The e-mail to the citizen about a delay, in their language, with a link, never the reason itself."""
    with force_locale(case.submission.locale):
        return _("Your case %(number)s", number=case.number), render_template(
            "clerk/delay_email.txt", case=case, link=_case_link(case))


def _case_link(case: Case) -> str | None:
    """The citizen's case page, for an e-mail; None for an anonymous sender (their tracking link is secret)."""
    return site_url("citizen.show_case", case_id=case.id) if case.submission.submitter_id else None


def _assignment_message(case: Case, clerk) -> tuple[str, str]:
    """The e-mail to a clerk given a case, in the office's language (staff work in Polish)."""
    with force_locale("pl"):
        return _("Case %(number)s is assigned to you", number=case.number), render_template(
            "clerk/assigned_email.txt", case=case, clerk=clerk, link=site_url("clerk.show_case", case_id=case.id))


def local_today():
    return local(utcnow(), current_app.config["OFFICE_TIMEZONE"]).date()


def _version(posted: str | None) -> int:
    return int(posted) if posted and posted.isdigit() and len(posted) < 10 else -1


@bp.post("/cases/<int:case_id>/forward")
@role_required(Role.CLERK, Role.HEAD)
def forward_case(case_id: int):
    """Przekazanie wg właściwości: the case goes to the competent department, renumbered; then the inbox, as
    the case is no longer this department's."""
    case = case_or_404(case_id)
    form = ForwardForm(prefix="forward")
    form.department.choices = _department_choices(case)
    return _act(case, form, {"forward_form": form},
                lambda: forward(case, current_user, form.department.data or "", form.reason.data or "",
                                _version(form.version.data), registry().workflows, utcnow(),
                                current_app.config["OFFICE_TIMEZONE"], _forward_message),
                lambda former: _("Case %(old)s is forwarded to %(department)s as %(number)s", old=former.number,
                                 department=registry().workflows.departments[case.department].name.get(
                                     translator().locale), number=case.number),
                then=url_for("clerk.inbox"))


def _department_choices(case: Case) -> list[tuple[str, str]]:
    """The other departments of the office, by name, for forwarding (the first choice: none yet)."""
    others = [(symbol, dept.name.get(translator().locale)) for symbol, dept in registry().workflows.departments.items()
              if symbol != case.department]
    return [("", _("Select the department")), *sorted(others, key=lambda choice: choice[1])]


def _forward_message(case: Case, old_number: str) -> tuple[str, str]:
    """The e-mail to the citizen about forwarding, in their language, with a link, never the reason itself."""
    with force_locale(case.submission.locale):
        return _("Your case %(number)s", number=old_number), render_template(
            "clerk/forward_email.txt", case=case, old_number=old_number,
            department=registry().workflows.departments[case.department], link=_case_link(case))
