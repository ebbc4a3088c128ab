"""Drafts: start one, answer a page (files included), send it as a case, throw it away, purge the expired.

Each operation that changes state ends with the request's one commit.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from ..cases.models import Attachment, Case
from ..cases.operations import file_submission, store_file, tracking_digest
from ..engine.attachments import Chosen, UploadRefusedError
from ..engine.definitions import FormDefinition
from ..engine.journey import Journey, Page, walk
from ..engine.messages import Translator
from ..engine.types import Field
from ..engine.validation import message, validate
from ..engine.workflows import WorkflowConfig
from ..extensions import db
from ..outbox.operations import queue
from ..timeutil import local
from .models import Draft


def start_draft(definition: FormDefinition, user_id: int | None, now: datetime) -> Draft:
    draft = Draft(id=secrets.token_urlsafe(16), form_id=definition.id, user_id=user_id,
                  data={}, visited=[], created_at=now, updated_at=now)
    db.session.add(draft)
    db.session.commit()
    return draft


def answer_page(draft: Draft, definition: FormDefinition, page: Page, answers: dict[str, Any],
                chosen: Mapping[str, Chosen], store: Path, tr: Translator, now: datetime, *,
                today: date | None = None) -> tuple[Journey, dict[str, str]]:
    """Take a page's answers: keep the files that pass (even if another answer does not), validate the
    page as the answers make the journey, and keep its answers when they are valid. `today`: the office's
    date, for date rules that count from it.

    Returns the journey as these answers make it and the errors by field key (empty: the page was kept).
    """
    errors = _take_files(draft, page, chosen, store, tr, now)
    kept_files = {f.name for f in page.fields if f.type.uploads} & set(draft.data)
    answers = answers | {name: draft.data[name] for name in kept_files}
    on_page = {field.name for field in page.fields}
    journey = walk(definition.pages, {k: v for k, v in draft.data.items() if k not in on_page} | answers)
    only = [f.key for f in page.fields if f.key in journey.visible and f.key not in errors]
    errors |= validate(definition, journey.data, tr, only=only, required=journey.required, today=today)
    if not errors:
        # Answers to questions the journey does not ask are not kept; what was left empty is removed.
        draft.data = {k: v for k, v in draft.data.items() if k not in on_page} | {
            name: journey.data[name] for name in on_page if name in journey.data}
        draft.visited = sorted(set(draft.visited) | {page.id})
        draft.updated_at = now
    db.session.commit()
    return journey, errors


def _take_files(draft: Draft, page: Page, chosen: Mapping[str, Chosen], store: Path, tr: Translator,
                now: datetime) -> dict[str, str]:
    """Check and keep the files chosen on this page; the messages for those refused."""
    errors = {}
    for field in page.fields:
        file = chosen.get(field.html_id) if field.type.uploads else None
        if file is None:
            continue
        try:
            upload = field.type.take_upload(field, file.content, file.name)
        except UploadRefusedError as refused:
            errors[field.key] = message(field, refused.keyword, refused.limit, tr)
            continue
        _attach_file(draft, field, upload, file.content, store, now)
    return errors


def _attach_file(draft: Draft, field: Field, upload: Any, content: bytes, store: Path, now: datetime) -> None:
    """Keep an uploaded file (content stored once per digest) as the answer to `field` of the draft."""
    db.session.add(store_file(store, upload, content, field=field.key, user_id=draft.user_id, draft_id=draft.id,
                              created_at=now))
    draft.data = {**draft.data, field.name: upload.sha256}
    draft.updated_at = now


def remove_file(draft: Draft, field: Field, now: datetime) -> None:
    """The file answer of `field` is taken back (the upload stays until the draft goes)."""
    draft.data = {k: v for k, v in draft.data.items() if k != field.name}
    draft.updated_at = now
    db.session.commit()


def draft_files(draft: Draft) -> dict[str, Attachment]:
    """The draft's uploaded files by digest (the newest upload of a digest wins)."""
    rows = db.session.scalars(select(Attachment).where(Attachment.draft_id == draft.id).order_by(Attachment.id))
    return {row.sha256: row for row in rows}


@dataclass(frozen=True)
class Sender:
    """Who sends: an account, or an anonymous sender's contact address and the secret of their tracking link."""

    user_id: int | None
    contact_email: str | None = None
    tracking: str | None = None


def send_draft(draft: Draft, definition: FormDefinition, workflows: WorkflowConfig, journey: Journey,
               sender: Sender, locale: str, tr: Translator, now: datetime, zone: str, *,
               refused: Mapping[str, str] | None = None,
               tracking_message: Callable[[Case], tuple[str, str]] | None = None) -> tuple[Case | None, dict[str, str]]:
    """File the draft's answers as a case and delete the draft, in one transaction; or the errors that stop it.

    `refused`: problems the caller found in its own fields (the contact address): nothing is filed with any.
    `tracking_message`: subject and body of the e-mail with an anonymous sender's tracking link.
    """
    errors = validate(definition, journey.data, tr, required=journey.required,
                      today=local(now, zone).date()) | dict(refused or {})
    files = draft_files(draft)
    file_fields = [f for f in definition.fields if f.type.uploads and f.name in journey.data]
    for field in file_fields:  # a file answer is only good while its upload is this draft's
        if journey.data[field.name] not in files:
            errors[field.key] = message(field, "required", None, tr)
    if errors:
        return None, errors
    data = journey.data | definition.computed_values(journey.data)  # recomputed here, never taken from a post
    case = file_submission(definition, workflows, data, sender.user_id, locale, now, zone,
                           [files[journey.data[f.name]] for f in file_fields], contact_email=sender.contact_email,
                           tracking_digest=tracking_digest(sender.tracking) if sender.tracking else None)
    discard(draft)
    if sender.contact_email and tracking_message is not None:
        queue(sender.contact_email, *tracking_message(case), now)
    db.session.commit()
    return case, {}


def discard(draft: Draft) -> None:
    """Delete a draft and the files uploaded to it that no submission took (the caller commits)."""
    db.session.execute(delete(Attachment).where(Attachment.draft_id == draft.id, Attachment.submission_id.is_(None)))
    db.session.delete(draft)


def delete_draft(draft: Draft) -> None:
    discard(draft)
    db.session.commit()


def is_expired(draft: Draft, now: datetime, days: int) -> bool:
    return draft.updated_at < now - timedelta(days=days)


def purge_expired(now: datetime, days: int) -> int:
    """Delete drafts untouched for `days`, with their files that no submission took; return how many."""
    expired = select(Draft.id).where(Draft.updated_at < now - timedelta(days=days))
    db.session.execute(delete(Attachment).where(Attachment.draft_id.in_(expired), Attachment.submission_id.is_(None)))
    result = db.session.execute(delete(Draft).where(Draft.updated_at < now - timedelta(days=days)))
    db.session.commit()
    return cast(CursorResult[Any], result).rowcount
