"""Handling a case: a step of its workflow, assignment to a clerk (dekretacja), a clerk taking it up.

Each checks what the case must be for it (the version the clerk saw, the state, the department), writes
its case-log entry in the same transaction, and commits. A refusal changes nothing.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import Role, Status, User
from ..cases.models import Case, CaseEvent
from ..cases.operations import answer_due
from ..engine.definitions import FormDefinition
from ..engine.messages import N_
from ..engine.workflows import Transition, WorkflowConfig
from ..extensions import db
from ..outbox.operations import queue
from ..refusals import RefusedError

CHANGED_MEANWHILE = N_("This case changed meanwhile: the page now shows it as it is. Check it, then act again")
NOT_NOW = N_("This step cannot be taken in the case's present state: the page now shows what can be done")

Message = Callable[[Case, Transition], tuple[str, str]]


class FieldRefusedError(RefusedError):
    """A refusal that belongs by one field of the clerk's form (`field`: its name in the form)."""

    def __init__(self, field: str, message: str):
        super().__init__(message, 400)
        self.field = field


def take_step(case: Case, action: str, actor: User, comment: str, seen_version: int, workflows: WorkflowConfig,
              now: datetime, message: Message | None = None, definition: FormDefinition | None = None,
              zone: str = "Europe/Warsaw") -> Transition:
    """Move a case by one step of its workflow, with its case-log entry, in one transaction.

    Refused (nothing changes) when the case is no longer at the version the actor saw, when the workflow
    offers no such step to the actor's roles in the case's state for its answers, or without a comment the
    step requires. A step that `notify`s e-mails the citizen `message(case, step)` through the outbox. The
    case's deadline follows the step (`definition`: the version it was filed under; `zone`: the office's).
    """
    _expect_version(case, seen_version)
    workflow = workflows.workflows[case.workflow]
    step = workflow.transition(action)
    if step is None or not step.allows(case.state, actor.roles, json.loads(case.submission.data_json)):
        raise RefusedError(NOT_NOW)
    if step.comment_required and not comment.strip():
        raise FieldRefusedError("comment", N_("Write the comment this step needs"))
    recipient = _citizen_address(case)
    before, case.state = case.state, step.target
    db.session.add(CaseEvent(case=case, at=now, actor_id=actor.id, action="case.transition",
                             details={"step": step.action, "from": before, "to": step.target,
                                      "comment": comment.strip() or None}))
    case.due_on = answer_due(case, definition, workflows, zone)
    if step.notify and recipient and message is not None:
        queue(recipient, *message(case, step), now)
    _commit()
    return step


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
    db.session.add(CaseEvent(case=case, at=now, actor_id=head.id, action="case.assign", details=details))
    if message is not None and clerk.id != head.id:
        queue(clerk.email, *message(case, clerk), now)
    _commit()
    return clerk


def take_up(case: Case, clerk: User, seen_version: int, now: datetime) -> None:
    """A clerk of the department takes an unassigned case for themselves."""
    _expect_version(case, seen_version)
    if case.assignee_id is not None:
        raise RefusedError(N_("Someone already handles this case: the page now shows who"))
    case.assignee_id = clerk.id
    db.session.add(CaseEvent(case=case, at=now, actor_id=clerk.id, action="case.assign",
                             details={"to": clerk.id, "name": clerk.full_name, "instruction": None, "due": None}))
    _commit()


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
    db.session.add(CaseEvent(case=case, at=now, actor_id=clerk.id, action="case.delay",
                             details={"comment": reason.strip(), "due": new_due.isoformat(),
                                      "previous": previous.isoformat()}))
    recipient = _citizen_address(case)
    if recipient and message is not None:
        queue(recipient, *message(case), now)
    _commit()


def add_note(case: Case, clerk: User, text: str, now: datetime) -> None:
    """An internal note in the case log: only the office ever sees it. It does not change the case."""
    if not text.strip():
        raise FieldRefusedError("text", N_("Write the note"))
    db.session.add(CaseEvent(case_id=case.id, at=now, actor_id=clerk.id, action="case.note",
                             details={"comment": text.strip()}))
    db.session.commit()


def record_view(case: Case, staff: User, now: datetime) -> None:
    """A member of staff opened the case: the case log keeps who and when (the case itself does not change)."""
    db.session.add(CaseEvent(case_id=case.id, at=now, actor_id=staff.id, action="case.view", details={}))
    db.session.commit()


def _citizen_address(case: Case) -> str | None:
    """Where the citizen is told: their account's address, or the address an anonymous sender gave."""
    return case.submission.submitter.email if case.submission.submitter else case.submission.contact_email


def _expect_version(case: Case, seen_version: int) -> None:
    if case.version != seen_version:
        raise RefusedError(CHANGED_MEANWHILE)


def _commit() -> None:
    """Commit the change; lost in a race with another clerk's change of the same case, refuse it."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise RefusedError(CHANGED_MEANWHILE) from None
