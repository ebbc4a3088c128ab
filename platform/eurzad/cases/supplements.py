"""The applicant's answer to the office's request to supplement (wezwanie, art. 64 §2 KPA): which request
is open, the corrected answers checked by the definition version the case was filed under, the answer filed
beside the original with its own digest and receipt, and how the pages show it."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..canonical import canonical_json
from ..engine.answers import AnswerRow, answer_rows, raw_rows
from ..engine.attachments import DEFAULT_KINDS, DEFAULT_MAX_MB, Chosen, UploadRefusedError, check_upload
from ..engine.conditions import value_at
from ..engine.definitions import FormDefinition
from ..engine.journey import walk
from ..engine.messages import N_, Translator
from ..engine.prefill import identity_fields, with_answers
from ..engine.types import MISSING
from ..engine.validation import message as field_message
from ..engine.validation import validate
from ..engine.workflows import WorkflowConfig
from ..extensions import db
from ..outbox.operations import queue
from ..receipts.operations import issue_upp
from ..refusals import RefusedError
from ..timeutil import local
from .files import FileStore
from .log import record
from .models import Attachment, Case, CaseEvent, Submission
from .operations import answer_due, commit_change, state_of, store_file


def open_request(case: Case, workflows: WorkflowConfig) -> CaseEvent | None:
    """The office's request the applicant has yet to answer: the step that put the case in the `waiting`
    state it is still in (None when the case is not waiting for the applicant)."""
    state = state_of(case, workflows)
    if state is None or state.kind != "waiting":
        return None
    return next((event for event in reversed(case.events)
                 if event.action == "case.transition" and event.details.get("to") == case.state), None)


def answer_by(request: CaseEvent | None) -> date | None:
    """The date the office gave the applicant to answer its request (art. 64 §2 KPA), if it gave one."""
    due = request.details.get("due") if request is not None else None
    return date.fromisoformat(due) if due else None


def current_answers(case: Case) -> dict[str, Any]:
    """The answers as they stand now: as filed, with the corrections of each supplement laid over them in
    order (an answer corrected to nothing is taken away). The filed data themselves never change."""
    data = json.loads(case.submission.data_json)
    for supplement in case.supplements:
        for name, value in json.loads(supplement.data_json)["answers"].items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
    return data


def locked_answers(case: Case, definition: FormDefinition | None) -> dict[tuple[str, ...], Any]:
    """The identity answers of a case filed by a confirmed account, as they stand: a supplement shows them and
    cannot correct them, even when the office names their question (decision 0028)."""
    if definition is None or case.submission.identified_by != "account":
        return {}
    current = current_answers(case)
    return {field.path: value for field in identity_fields(definition.fields)
            if (value := value_at(current, field.path)) is not MISSING}


def corrected_answers(definition: FormDefinition, case: Case, names: Collection[str], posted: Mapping[str, Any],
                      tr: Translator, today: date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The applicant's corrections to the questions `names` the request named, checked by the definition
    version the case was filed under, with the other answers as they stand: (the corrections, each answer
    left empty as None; the errors by field key)."""
    merged = {k: v for k, v in current_answers(case).items() if k not in names} | {
        k: v for k, v in posted.items() if k in names}
    journey = walk(definition.pages, merged)
    keys = [field.key for field in definition.fields if field.name in names]
    errors = validate(definition, journey.data, tr, only=keys, required=journey.required, today=today)
    return {name: journey.data.get(name) for name in names}, errors


def file_supplement(case: Case, request: CaseEvent, answers: Mapping[str, Any], message: str,
                    files: list[Attachment], sender_id: int | None, locale: str, now: datetime,
                    definition: FormDefinition | None, workflows: WorkflowConfig, zone: str,
                    tell_clerk: Callable[[Case], tuple[str, str]] | None = None) -> Submission:
    """File the applicant's answer to the office's request as a submission of its own beside the original
    (its own digest and receipt), and bring the case back to the state it was in before the request, marked
    supplemented; the pause of the time limit ends today. One transaction; refused if the request is no
    longer open (answered, or the office moved the case on meanwhile). The clerk who handles the case is
    e-mailed `tell_clerk(case)`."""
    if open_request(case, workflows) is not request:
        raise RefusedError(N_("This request has been answered already, or the office no longer waits for it"))
    body = canonical_json({"answers": dict(answers), "message": message, "request": request.id})
    original = case.submission
    supplement = Submission(form_id=original.form_id, form_version=original.form_version,
                            definition_sha256=original.definition_sha256, data_json=body.decode("utf-8"),
                            data_sha256=hashlib.sha256(body).hexdigest(), locale=locale, submitted_at=now,
                            submitter_id=sender_id, identified_by=original.identified_by,
                            contact_email=original.contact_email, supplements_id=original.id)
    db.session.add(supplement)
    for attachment in files:
        attachment.submission = supplement
    db.session.flush()  # the supplement's id, for the case log
    before, case.state = case.state, request.details["from"]
    due = answer_by(request)
    receipt = issue_upp(case, supplement, workflows, supplement.submitter.full_name if supplement.submitter else None,
                        now)
    # The supplement's digest in the case log binds its data into the case's chain (cases/chain.py checks it).
    record(case, "case.supplement", sender_id, now, **{
        "request": request.id, "submission": supplement.id, "from": before, "to": case.state,
        "late": due is not None and local(now, zone).date() > due, "data_sha256": supplement.data_sha256,
        "receipt": {"id": receipt.id, "sha256": receipt.content_sha256}})
    case.due_on = answer_due(case, definition, workflows, zone)
    if case.assignee is not None and tell_clerk is not None:
        queue(case.assignee.email, *tell_clerk(case), now)
    commit_change()
    return supplement


MOVES = ("case.transition", "case.supplement", "case.forward")
"""The case-log actions that move a case: a step, the applicant's answer, forwarding."""


def supplemented(case: Case) -> bool:
    """Whether the applicant's answer to a request is the last thing that moved the case: it waits for the
    clerk to look at it."""
    return answered_last([event.action for event in case.events])


def answered_last(actions: Sequence[str]) -> bool:
    """Whether, of these case-log actions in their order, the last that moved the case is the applicant's answer
    (the inbox reads the actions of a page of cases at once; a case page reads its own log)."""
    moves = [action for action in actions if action in MOVES]
    return bool(moves) and moves[-1] == "case.supplement"


@dataclass(frozen=True)
class SupplementShown:
    """An answer to a request, for the case pages: the filing, the corrected answers (rows labelled by the
    definition version of the case; an answer corrected to nothing has no row) and the applicant's message."""

    submission: Submission
    rows: list[AnswerRow]
    message: str


def supplement_rows(case: Case, definition: FormDefinition | None, tr: Translator) -> list[SupplementShown]:
    shown = []
    for supplement in case.supplements:
        body = json.loads(supplement.data_json)
        corrected = {name: value for name, value in body["answers"].items() if value is not None}
        files = {row.sha256: (row.name, row.size) for row in supplement.attachments}
        if definition is None:
            rows = raw_rows(corrected)
        else:
            fields = [field for field in definition.fields if field.name in body["answers"]]
            rows = answer_rows(fields, corrected, tr, files)
        shown.append(SupplementShown(supplement, rows, body["message"]))
    return shown


def answer_request(case: Case, request: CaseEvent, definition: FormDefinition | None, posted: Mapping[str, Any],
                   chosen: Mapping[str, Chosen], extra: list[Chosen], text: str, sender_id: int | None,
                   locale: str, store: FileStore, tr: Translator, now: datetime, workflows: WorkflowConfig,
                   zone: str, tell_clerk: Callable[[Case], tuple[str, str]] | None = None
                   ) -> tuple[Submission | None, dict[str, str]]:
    """The applicant answers the office's request: corrected answers to the questions it named (`posted`,
    the files chosen for named file questions in `chosen` by input id), a message and more files (`extra`).
    Every correction is checked by the definition version the case was filed under and every file as an
    attachment is; with any problem nothing is filed and the errors come back by field key (`message`,
    `documents` for the answer's own fields). Only answers that changed are kept as corrections. Without a
    definition (its version can no longer be read) the answer is the message and files alone."""
    names = request.details.get("questions", []) if definition else []
    current = current_answers(case)
    answers = with_answers(posted, {path: value for path, value in locked_answers(case, definition).items()
                                    if path[0] in names})
    errors: dict[str, str] = {}
    uploads: list[tuple[Any, bytes, str]] = []
    for field in definition.fields if definition else ():
        file = chosen.get(field.html_id) if field.name in names and field.type.uploads else None
        if field.name in names and field.type.uploads:
            answers[field.name] = current.get(field.name)  # a file question keeps its file unless a new one comes
        if file is None:
            continue
        try:
            upload = field.type.take_upload(field, file.content, file.name)
        except UploadRefusedError as refused:
            errors[field.key] = field_message(field, refused.keyword, refused.limit, tr)
            continue
        answers[field.name] = upload.sha256
        uploads.append((upload, file.content, field.key))
    corrections, problems = corrected_answers(definition, case, names, answers, tr, local(now, zone).date()) \
        if definition else ({}, {})
    errors = problems | errors
    try:
        uploads += [(check_upload(file.content, file.name, DEFAULT_KINDS, DEFAULT_MAX_MB), file.content, "")
                    for file in extra]
    except UploadRefusedError:
        errors["documents"] = tr.gettext(N_("Attach PDF, JPG or PNG files of at most %(limit)d MB each"),
                                         limit=DEFAULT_MAX_MB)
    changed = {name: value for name, value in corrections.items() if value != current.get(name)}
    if not errors and not changed and not text.strip() and not uploads:
        errors["message"] = tr.gettext(N_("Write your answer, correct an answer or attach a file"))
    if errors:
        return None, errors
    files = [store_file(store, upload, content, now, field=key, user_id=sender_id)
             for upload, content, key in uploads]
    db.session.add_all(files)
    return file_supplement(case, request, changed, text.strip(), files, sender_id, locale, now, definition,
                           workflows, zone, tell_clerk), {}
