"""Filing a submission: snapshot, submission, numbered and routed case, first log entry — one transaction."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..canonical import canonical_json
from ..engine.answers import AnswerRow, answer_rows, computed_rows, raw_rows
from ..engine.attachments import Upload
from ..engine.deadlines import paused_due_date
from ..engine.definitions import FormDefinition, definition_from_text
from ..engine.messages import N_, Translator
from ..engine.sources import DefinitionError
from ..engine.workflows import State, Transition, WorkflowConfig
from ..extensions import db
from ..receipts.operations import delivery_receipts, issue_upd, issue_upp
from ..refusals import RefusedError
from ..timeutil import local, utcnow
from .log import record
from .models import Attachment, Case, CaseCounter, CaseEvent, DefinitionSnapshot, Submission

if TYPE_CHECKING:  # files.py builds its statements with _insert below
    from .files import FileStore


def tracking_digest(token: str) -> str:
    """What is stored of an anonymous sender's tracking link: its SHA-256, never the link."""
    return hashlib.sha256(token.encode()).hexdigest()


def store_file(store: FileStore, upload: Upload, content: bytes, now: datetime, **row: Any) -> Attachment:
    """Keep a checked file: its content once per digest in the store, and a new row naming it (`row`: whose
    it is — a draft's question, a submission, a step of the case); the caller adds and commits the row."""
    store.put(upload.sha256, content, now)
    return Attachment(sha256=upload.sha256, name=upload.name, size=upload.size, content_type=upload.content_type,
                      created_at=now, **{"field": "", **row})


def file_submission(definition: FormDefinition, workflows: WorkflowConfig, data: dict[str, Any],
                    submitter_id: int | None, locale: str, now: datetime, zone: str,
                    attachments: list[Attachment] = (),  # type: ignore[assignment]
                    contact_email: str | None = None, tracking_digest: str | None = None,
                    identified_by: str | None = None, draft_id: str | None = None) -> Case:
    """Store a valid submission and open its case; the caller commits (or rolls back) once.

    `attachments` are the uploaded files whose digests the data holds; they go with the submission.
    Without `submitter_id` the sender is anonymous: `contact_email` and the digest of their tracking
    link stand in for the account. `identified_by`: how the sender was identified (default: `account`
    with a submitter, else `anonymous`). `draft_id`: the draft sent, filed once (IntegrityError the second
    time).
    """
    _insert_ignore(DefinitionSnapshot, ["sha256"], sha256=definition.sha256, form_id=definition.id,
                   version=definition.version, text=definition.text, created_at=now)
    body = canonical_json(data)
    submission = Submission(form_id=definition.id, form_version=definition.version,
                            definition_sha256=definition.sha256, data_json=body.decode("utf-8"),
                            data_sha256=hashlib.sha256(body).hexdigest(), locale=locale,
                            submitted_at=now, submitter_id=submitter_id, contact_email=contact_email,
                            identified_by=identified_by or ("account" if submitter_id else "anonymous"),
                            draft_id=draft_id)
    db.session.add(submission)
    for attachment in attachments:
        attachment.submission = submission
        attachment.draft_id = None
    route = workflows.route(definition.routing, data, definition.service.department, definition.service.jrwa)
    year = local(now, zone).year
    db.session.flush()  # the submission first: the counter row stays locked for as short as possible
    seq = next_seq(route.department, route.jrwa, year)
    workflow = workflows.workflows[definition.workflow]
    routing = {"table": route.table, "row": route.row,
               "note": asdict(route.note) if route.note else None}
    case = Case(number=f"{route.department}.{route.jrwa}.{seq}.{year}", department=route.department,
                jrwa=route.jrwa, year=year, seq=seq, workflow=workflow.name, form_id=definition.id,
                state=workflow.initial.name,
                routing=routing, created_at=now, submission=submission, tracking_digest=tracking_digest,
                applicant_id=submitter_id)
    case.due_on = definition.service.due(local(now, zone).date(), data)
    db.session.add(case)
    db.session.flush()  # the case's id, for its receipt
    submitter = submission.submitter
    receipt = issue_upp(case, submission, workflows, submitter.full_name if submitter else None, now)
    record(case, "submission.create", submitter_id, now, form=definition.id, version=definition.version,
           state=case.state, department=route.department, routing=routing, number=case.number,
           receipt={"id": receipt.id, "sha256": receipt.content_sha256})
    db.session.flush()
    return case


def next_seq(department: str, jrwa: str, year: int) -> int:
    """Take the next number from the register in one upsert.

    The counter row stays locked until the transaction ends, so numbers are unique across
    processes, and a rolled-back submission gives its number back: no gaps.
    """
    stmt = (_insert(CaseCounter).values(department=department, jrwa=jrwa, year=year, last_seq=1)
            .on_conflict_do_update(index_elements=["department", "jrwa", "year"],
                                   set_={"last_seq": CaseCounter.last_seq + 1})
            .returning(CaseCounter.last_seq))
    return db.session.execute(stmt).scalar_one()


def _insert_ignore(model: Any, keys: list[str], **values: Any) -> None:
    db.session.execute(_insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def _insert(model: Any) -> Any:
    return pg_insert(model) if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert(model)


def filed_answers(case: Case, registry: Any, tr: Translator) -> tuple[FormDefinition | None, list[AnswerRow]]:
    """The definition a case was filed under and its answers as rows, labelled by that version.

    A snapshot this engine can no longer read still shows its data, under the field names.
    """
    data = json.loads(case.submission.data_json)
    definition = definition_of(case.submission, registry)
    files = {row.sha256: (row.name, row.size) for row in case.submission.attachments}
    if definition is None:
        return None, raw_rows(data)
    return definition, answer_rows(definition.fields, data, tr, files) + computed_rows(definition.computed, data, tr)


def definition_of(submission: Submission, registry: Any) -> FormDefinition | None:
    """The definition version a submission was filed under: the loaded one if unchanged, else its
    snapshot; None if this engine can no longer read that snapshot."""
    current = registry.forms.get(submission.form_id)
    if current is not None and current.sha256 == submission.definition_sha256:
        return current
    try:
        return _snapshot_definition(submission.definition_sha256, submission.snapshot.text)
    except DefinitionError:
        return None


@lru_cache(maxsize=128)
def _snapshot_definition(sha256: str, text: str) -> FormDefinition:
    return definition_from_text(text, f"snapshot {sha256[:12]}")


def answer_due(case: Case, definition: FormDefinition | None, workflows: WorkflowConfig, zone: str) -> date | None:
    """By when the office must deal with the case: the service's time limit from the day of filing (KPA art.
    57), with the days the office waited for the citizen added (art. 35 §5). None while it waits (the clock
    is paused), once the case is closed, and when the definition it was filed under can no longer be read."""
    workflow = workflows.workflows.get(case.workflow)
    state = workflow.states.get(case.state) if workflow else None
    if definition is None or state is None or state.kind in ("waiting", "terminal"):
        return None
    filed = local(case.submission.submitted_at, zone).date()
    periods = pauses(case, workflows, zone)
    due = definition.service.due(filed, json.loads(case.submission.data_json),
                                 sum((end - start).days for start, end in periods))
    delays = [event for event in case.events if event.action == "case.delay"]
    if delays:  # a delay notice (art. 36) set a later date; later waiting moves it on as it moved the first
        notice = local(delays[-1].at, zone).date()
        later = paused_due_date(date.fromisoformat(delays[-1].details["due"]), 0, None,
                                sum((end - start).days for start, end in periods if start >= notice))
        due = max(due, later)
    return due


def paused_days(case: Case, workflows: WorkflowConfig, zone: str) -> int:
    """How many days the office's clock stood still while it waited for the applicant (art. 35 §5)."""
    return sum((end - start).days for start, end in pauses(case, workflows, zone))


def pauses(case: Case, workflows: WorkflowConfig, zone: str) -> list[tuple[date, date]]:
    """The periods the case spent in a `waiting` state (from the day it entered to the day it left, in
    office time), from its case log; a period still open ends today."""
    workflow = workflows.workflows.get(case.workflow)
    periods, started = [], None
    for event in case.events:
        if event.action not in ("case.transition", "case.supplement") or workflow is None:
            continue  # the applicant's answer ends a pause as a step out of the waiting state does
        state = workflow.states.get(event.details.get("to", ""))
        day = local(event.at, zone).date()
        if state is not None and state.kind == "waiting" and started is None:
            started = day
        elif (state is None or state.kind != "waiting") and started is not None:
            periods.append((started, day))
            started = None
    if started is not None:
        periods.append((started, local(utcnow(), zone).date()))
    return periods


@dataclass(frozen=True)
class LogEntry:
    """One event of the case log, with the workflow's words for it."""

    event: CaseEvent
    step: Transition | None  # the workflow step a `case.transition` took (None if the workflow dropped it)
    state: State | None  # the state the case was in after it
    comment: str | None
    citizen_visible: bool
    delivered: CaseEvent | None = None  # the documents of the step reached the applicant online (first opened)
    delivery_receipt: str | None = None  # the id of the signed receipt of that delivery (UPD)


def case_log(case: Case, workflows: WorkflowConfig) -> list[LogEntry]:
    """The case log in order, each event with its step and the state it led to; what the citizen sees is
    the filing and the steps the workflow marks `citizen_visible`, with their comments."""
    workflow = workflows.workflows.get(case.workflow)
    deliveries = {event.details["of"]: event for event in case.events if event.action == "case.delivery"}
    receipts = {event_id: receipt.id for event_id, receipt in delivery_receipts(case).items()}
    entries = []
    for event in case.events:
        step = workflow.transition(event.details.get("step", "")) if workflow else None
        target = event.details.get("to") or event.details.get("state")
        state = workflow.states.get(target) if workflow and target else None
        visible = event.action in CITIZEN_SEES or (
            event.action == "case.transition" and (step is None or step.citizen_visible))
        delivered = deliveries.get(event.id)
        entries.append(LogEntry(event, step, state, event.details.get("comment"), visible, delivered,
                                receipts.get(delivered.id) if delivered else None))
    return entries


CITIZEN_SEES = ("submission.create", "case.delay", "case.supplement", "case.forward", "case.delivery",
                "case.link_renew")
"""Case-log events the applicant always sees (a step of the workflow only when it is `citizen_visible`)."""


def state_of(case: Case, workflows: WorkflowConfig) -> State | None:
    """The workflow state the case is in, with its clerk and citizen labels."""
    workflow = workflows.workflows.get(case.workflow)
    return workflow.states.get(case.state) if workflow else None


CHANGED_MEANWHILE = N_("This case changed meanwhile: the page now shows it as it is. Check it, then act again")


def commit_change() -> None:
    """Commit a change of a case; lost in a race with another change of the same case (its version moved
    on, or another event took the place in its case log), refuse it and change nothing."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError) as exc:
        if isinstance(exc, IntegrityError) and "prev_sha256" not in str(exc.orig):
            raise
        db.session.rollback()
        raise RefusedError(CHANGED_MEANWHILE) from None


def deliver(case: Case, reader_id: int | None, workflows: WorkflowConfig, now: datetime) -> None:
    """The applicant opened the case: each step whose documents the office sent online and which has not
    reached them yet is delivered now (the case log keeps when; it is the legal date of delivery), each with
    its signed receipt of delivery (UPD)."""
    delivered = {event.details.get("of") for event in case.events if event.action == "case.delivery"}
    pending = [event for event in case.events if event.action == "case.transition"
               and event.details.get("delivery") == "online" and event.id not in delivered]
    for step in pending:
        delivery = record(case, "case.delivery", reader_id, now, of=step.id, step=step.details.get("step"))
        db.session.flush()  # the delivery's id, which its receipt names
        issue_upd(case, delivery, step, workflows, now)
    if pending:
        commit_change()

