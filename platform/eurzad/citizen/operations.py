"""Drafts: start one, save a page of answers, throw it away, purge the expired."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete

from ..cases.models import Draft
from ..engine.definitions import FormDefinition
from ..engine.journey import Page
from ..extensions import db


def start_draft(definition: FormDefinition, user_id: int, now: datetime) -> Draft:
    draft = Draft(id=secrets.token_urlsafe(16), form_id=definition.id, definition_sha256=definition.sha256,
                  user_id=user_id, data={}, visited=[], created_at=now, updated_at=now)
    db.session.add(draft)
    return draft


def save_page(draft: Draft, definition: FormDefinition, page: Page, answers: dict[str, Any], now: datetime) -> None:
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
    draft.definition_sha256 = definition.sha256
    draft.updated_at = now


def is_expired(draft: Draft, now: datetime, days: int) -> bool:
    return draft.updated_at < now - timedelta(days=days)


def purge_expired(now: datetime, days: int) -> int:
    """Delete drafts untouched for `days`; return how many."""
    result = db.session.execute(delete(Draft).where(Draft.updated_at < now - timedelta(days=days)))
    return cast(CursorResult[Any], result).rowcount
