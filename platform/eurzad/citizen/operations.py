"""Drafts: start one, save a page of answers, throw it away, purge the expired."""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from ..cases.models import Attachment, Draft
from ..cases.operations import blob_path
from ..engine.attachments import Upload
from ..engine.definitions import FormDefinition
from ..engine.fields import Field
from ..engine.journey import Page
from ..extensions import db


def start_draft(definition: FormDefinition, user_id: int, now: datetime) -> Draft:
    draft = Draft(id=secrets.token_urlsafe(16), form_id=definition.id, user_id=user_id,
                  data={}, visited=[], created_at=now, updated_at=now)
    db.session.add(draft)
    return draft


def save_page(draft: Draft, page: Page, answers: dict[str, Any], now: datetime) -> None:
    """Keep this page's answers in the draft: what the citizen left empty is removed."""
    data = dict(draft.data)
    for field in page.fields:
        name = field.path[0]
        if name in answers:
            data[name] = answers[name]
        else:
            data.pop(name, None)
    draft.data = data
    draft.visited = sorted(set(draft.visited) | {page.id})
    draft.updated_at = now


def attach_file(draft: Draft, field: Field, upload: Upload, content: bytes, store: Path, now: datetime) -> Attachment:
    """Keep an uploaded file (content stored once per digest) as the answer to `field` of the draft."""
    path = blob_path(store, upload.sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{secrets.token_hex(4)}.part")
        temporary.write_bytes(content)
        os.replace(temporary, path)  # whole or not at all, even with two uploads of the same file at once
    attachment = Attachment(sha256=upload.sha256, name=upload.name, size=upload.size,
                            content_type=upload.content_type, field=field.key, user_id=draft.user_id,
                            draft_id=draft.id, created_at=now)
    db.session.add(attachment)
    draft.data = {**draft.data, field.path[0]: upload.sha256}
    draft.updated_at = now
    return attachment


def detach_file(draft: Draft, field: Field, now: datetime) -> None:
    draft.data = {k: v for k, v in draft.data.items() if k != field.path[0]}
    draft.updated_at = now


def draft_files(draft: Draft) -> dict[str, Attachment]:
    """The draft's uploaded files by digest (the newest upload of a digest wins)."""
    rows = db.session.scalars(select(Attachment).where(Attachment.draft_id == draft.id).order_by(Attachment.id))
    return {row.sha256: row for row in rows}


def discard_draft(draft: Draft) -> None:
    """Delete a draft and the files uploaded to it that no submission took."""
    db.session.execute(delete(Attachment).where(Attachment.draft_id == draft.id, Attachment.submission_id.is_(None)))
    db.session.delete(draft)


def is_expired(draft: Draft, now: datetime, days: int) -> bool:
    return draft.updated_at < now - timedelta(days=days)


def purge_expired(now: datetime, days: int) -> int:
    """Delete drafts untouched for `days`, with their files that no submission took; return how many."""
    expired = select(Draft.id).where(Draft.updated_at < now - timedelta(days=days))
    db.session.execute(delete(Attachment).where(Attachment.draft_id.in_(expired), Attachment.submission_id.is_(None)))
    result = db.session.execute(delete(Draft).where(Draft.updated_at < now - timedelta(days=days)))
    return cast(CursorResult[Any], result).rowcount
