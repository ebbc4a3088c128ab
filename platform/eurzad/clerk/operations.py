"""Handling a case: a step of its workflow, assignment to a clerk (dekretacja), a clerk taking it up, forwarding
it to the competent department.

Each checks what the case must be for it (the version the clerk saw, the state, the department), writes
its case-log entry in the same transaction, and commits. A refusal changes nothing.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..auth.models import Role, Status, User
from ..cases.files import FileStore
from ..cases.log import record
from ..cases.models import Case, CaseNumber
from ..cases.operations import CHANGED_MEANWHILE, answer_due, commit_change, next_seq, store_file
from ..cases.supplements import answer_by, open_request
from ..engine.attachments import Chosen, Upload, UploadRefusedError, check_upload
from ..engine.deadlines import is_working_day
from ..engine.definitions import FormDefinition
from ..engine.messages import N_
from ..engine.workflows import Transition, WorkflowConfig
from ..extensions import db
from ..outbox.operations import queue
from ..refusals import RefusedError
from ..timeutil import local

NOT_NOW = N_("This step cannot be taken in the case's present state: the page now shows what can be done")

Message = Callable[[Case, Transition], tuple[str, str]]


class FieldRefusedError(RefusedError):
    """A refusal that belongs by one field of the clerk's form (`field`: its name in the form)."""

    def __init__(self, field: str, message: str):
        super().__init__(message, 400)
        self.field = field


@dataclass(frozen=True)
class StepInput:
    """What the clerk gave with a step: the comment; for a request to the applicant, by when they answer and
    which filed answers they may correct; for a step that carries documents, the files and how they go."""

    comment: str = ""
    due: date | None = None
    questions: tuple[str, ...] = ()
    documents: tuple[Chosen, ...] = ()
    delivery: str = "online"


DELIVERIES = ("online", "post", "edoreczenia")
"""How the office's documents reach the applicant: on the case page (delivered when first opened), by post,
or through e-Doręczenia (both recorded, the delivery itself then happens outside eurzad)."""
ANSWER_DAYS = 7  # art. 64 §2 KPA: the applicant has at least seven days to supplement
DOCUMENT_MAX_MB = 10


def take_step(case: Case, action: str, actor: User, given: StepInput, seen_version: int, workflows: WorkflowConfig,
              now: datetime, message: Message | None = None, definition: FormDefinition | None = None,
              zone: str = "Europe/Warsaw", store: FileStore | None = None) -> Transition:
    """Move a case by one step of its workflow, with its case-log entry, in one transaction.

    Refused (nothing changes) when the case is no longer at the version the actor saw, when the workflow
    offers no such step to the actor's roles in the case's state for its answers, or without what the step
    needs: its comment; for a request to the applicant, a date at least seven days ahead (moved off a
    Saturday, Sunday or holiday, art. 57 §4) and only questions of the form; the documents a step requires.
    A step that `notify`s e-mails the citizen `message(case, step)` through the outbox. The case's deadline
    follows the step (`definition`: the version it was filed under; `zone`: the office's). Documents are
    kept in `store`.
    """
    _expect_version(case, seen_version)
    workflow = workflows.workflows[case.workflow]
    step = workflow.transition(action)
    today = local(now, zone).date()
    overdue = (due := answer_by(open_request(case, workflows))) is not None and today > due
    if step is None or not step.allows(case.state, actor.roles, json.loads(case.submission.data_json), overdue):
        raise RefusedError(NOT_NOW)
    if step.comment_required and not given.comment.strip():
        raise FieldRefusedError("comment", N_("Write the comment this step needs"))
    details = {"step": step.action, "from": case.state, "to": step.target, "comment": given.comment.strip() or None}
    if workflow.asks_applicant(step):
        details |= _request(given, definition, today)
    uploads = _documents(step, given) if step.documents else []
    if step.documents:
        details["delivery"] = given.delivery
    recipient = _citizen_address(case)
    case.state = step.target
    event = record(case, "case.transition", actor.id, now, **details)
    for upload, content in uploads:
        if store is None:
            raise ValueError("documents need a store to be kept in")
        db.session.add(store_file(store, upload, content, now, user_id=actor.id, event=event))
    case.due_on = answer_due(case, definition, workflows, zone)
    if step.notify and recipient and message is not None:
        queue(recipient, *message(case, step), now)
    commit_change()
    return step


def _request(given: StepInput, definition: FormDefinition | None, today: date) -> dict[str, Any]:
    """The part of a request to the applicant the case log keeps: by when (art. 64 §2, 57 §4) and which of
    the form's questions the applicant may correct."""
    if given.due is None or given.due < today + timedelta(days=ANSWER_DAYS):
        raise FieldRefusedError("due", N_("Give the applicant at least 7 days: enter a date at least a week ahead"))
    named = [field.name for field in definition.fields if field.name in given.questions] if definition else []
    if len(named) != len(set(given.questions)):
        raise FieldRefusedError("questions", N_("Choose questions of the form the case was filed with"))
    due = given.due
    while not is_working_day(due):
        due += timedelta(days=1)
    return {"due": due.isoformat(), "questions": named}


def _documents(step: Transition, given: StepInput) -> list[tuple[Upload, bytes]]:
    """The documents a step carries, each checked as a citizen's attachment is (a real PDF, its size)."""
    if given.delivery not in DELIVERIES:
        raise FieldRefusedError("delivery", N_("Choose how the documents reach the applicant"))
    if step.documents == "required" and not given.documents and given.delivery == "online":
        raise FieldRefusedError("documents", N_("Attach the document this step sends (a PDF file)"))
    try:
        return [(check_upload(file.content, file.name, ("pdf",), DOCUMENT_MAX_MB), file.content)
                for file in given.documents]
    except UploadRefusedError:
        raise FieldRefusedError("documents", N_("Attach PDF files of at most 10 MB each")) from None


def assignable(case: Case) -> list[User]:
    """Who may be given the case: the active clerks and heads of its department, by name."""
    staff = db.session.scalars(db.select(User).where(User.department == case.department,
                                                     User.status == Status.ACTIVE).order_by(User.full_name)).unique()
    return [user for user in staff if user.has_role(Role.CLERK, Role.HEAD)]


def assign(case: Case, head: User, clerk_id: int | None, instruction: str, due: date | None, seen_version: int,
           today: date, now: datetime, message: Callable[[Case, User], tuple[str, str]] | None = None) -> User:
    """The head of the case's department gives it to one of its clerks (again, to re-assign), with an
    optional instruction and internal due date; the clerk is e-mailed."""
    _expect_version(case, seen_version)
    if not head.has_role(Role.HEAD) or head.department != case.department:
        raise RefusedError(N_("Only the head of the case's department assigns it"), 403)
    clerk = next((user for user in assignable(case) if user.id == clerk_id), None)
    if clerk is None:
        raise FieldRefusedError("clerk", N_("Select a clerk of the department"))
    if due is not None and due < today:
        raise FieldRefusedError("due", N_("Enter a due date that is today or later"))
    case.assignee_id = clerk.id
    details = {"to": clerk.id, "name": clerk.full_name, "instruction": instruction.strip() or None,
               "due": due.isoformat() if due else None}
    record(case, "case.assign", head.id, now, **details)
    if message is not None and clerk.id != head.id:
        queue(clerk.email, *message(case, clerk), now)
    commit_change()
    return clerk


def take_up(case: Case, clerk: User, seen_version: int, now: datetime) -> None:
    """A clerk of the department takes an unassigned case for themselves."""
    _expect_version(case, seen_version)
    if case.assignee_id is not None:
        raise RefusedError(N_("Someone already handles this case: the page now shows who"))
    case.assignee_id = clerk.id
    record(case, "case.assign", clerk.id, now, to=clerk.id, name=clerk.full_name, instruction=None, due=None)
    commit_change()


def notify_delay(case: Case, clerk: User, reason: str, new_due: date | None, seen_version: int, today: date,
                 now: datetime, message: Callable[[Case], tuple[str, str]] | None = None) -> None:
    """A delay notice (KPA art. 36): the citizen is told why the case cannot be dealt with in time and the
    new date, which becomes the case's deadline; it is in the case log and on the citizen's case page."""
    _expect_version(case, seen_version)
    if case.due_on is None:
        raise RefusedError(N_("This case has no running time limit to extend (it is closed, or the office is "
                              "waiting for the applicant)"))
    if not reason.strip():
        raise FieldRefusedError("reason", N_("Write why the case cannot be dealt with in time"))
    if new_due is None or new_due <= case.due_on or new_due < today:
        raise FieldRefusedError("due", N_("Enter a new date later than the present deadline"))
    previous, case.due_on = case.due_on, new_due
    record(case, "case.delay", clerk.id, now, comment=reason.strip(), due=new_due.isoformat(),
           previous=previous.isoformat())
    recipient = _citizen_address(case)
    if recipient and message is not None:
        queue(recipient, *message(case), now)
    commit_change()


def add_note(case: Case, clerk: User, text: str, now: datetime) -> None:
    """An internal note in the case log: only the office ever sees it. It does not change the case."""
    if not text.strip():
        raise FieldRefusedError("text", N_("Write the note"))
    record(case, "case.note", clerk.id, now, comment=text.strip())
    commit_change()


def record_view(case: Case, staff: User, now: datetime) -> None:
    """A member of staff opened the case: the case log keeps who and when (the case itself does not change)."""
    record(case, "case.view", staff.id, now)
    commit_change()


def forward(case: Case, actor: User, department: str, reason: str, seen_version: int, workflows: WorkflowConfig,
            now: datetime, zone: str = "Europe/Warsaw",
            message: Callable[[Case, str], tuple[str, str]] | None = None) -> CaseNumber:
    """Przekazanie wg właściwości: a clerk or the head of the case's department sends it to the department
    competent to deal with it, saying why (decision 0025). The receiving department's register numbers it
    anew; the old number stays taken in its register, kept in `case_numbers` (returned). The same authority
    still holds the case, so its deadline stays; nobody handles it until the new department assigns it."""
    _expect_version(case, seen_version)
    if not actor.has_role(Role.CLERK, Role.HEAD) or actor.department != case.department:
        raise RefusedError(N_("Only the clerks and the head of the case's department forward it"), 403)
    workflow = workflows.workflows.get(case.workflow)
    state = workflow.states.get(case.state) if workflow else None
    if state is not None and state.kind == "terminal":
        raise RefusedError(N_("This case is closed: it can no longer be forwarded"))
    if department == case.department or department not in workflows.departments:
        raise FieldRefusedError("department", N_("Select another department of the office"))
    if not reason.strip():
        raise FieldRefusedError("reason", N_("Write why the other department is the competent one"))
    recipient, year = _citizen_address(case), local(now, zone).year
    # Read and numbered before the case changes: the change is flushed by the commit alone, where a lost race
    # with another clerk is refused (and the rollback gives the number back to the register).
    seq = next_seq(department, case.jrwa, year)
    former = CaseNumber(case_id=case.id, number=case.number, department=case.department, jrwa=case.jrwa,
                        year=case.year, seq=case.seq, until=now)
    db.session.add(former)
    case.department, case.year, case.seq = department, year, seq
    case.number, case.assignee_id = f"{department}.{case.jrwa}.{seq}.{year}", None
    record(case, "case.forward", actor.id, now, **{"from": former.department, "to": department,
                                                   "old_number": former.number, "new_number": case.number,
                                                   "comment": reason.strip()})
    if recipient and message is not None:
        queue(recipient, *message(case, former.number), now)
    commit_change()
    return former


def _citizen_address(case: Case) -> str | None:
    """Where the citizen is told: their account's address, or the address an anonymous sender gave."""
    return case.submission.submitter.email if case.submission.submitter else case.submission.contact_email


def _expect_version(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise RefusedError(CHANGED_MEANWHILE)


