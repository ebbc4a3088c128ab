"""The one way to append to the case log: each event chained to the one before it by SHA-256 (issue 10), so
that a row changed, re-dated, inserted or deleted in the database no longer matches its digests."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from ..audit.models import ACTIONS
from ..canonical import canonical_json
from ..extensions import db
from .models import Case, CaseEvent


def record(case: Case, action: str, actor_id: int | None, now: datetime, **details: Any) -> CaseEvent:
    """Append an event to the case's log in the caller's transaction, chained to the case's last event (the
    first, to the filing); the action must be one of the vocabulary (audit/models.py).

    The chain is locked first (the case row on PostgreSQL, the database on SQLite), so two appends at once
    follow each other; should one slip past, the unique prev_sha256 refuses it at commit (commit_change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: add it to audit.models.ACTIONS")
    at = stored_time(now)
    plain = json.loads(canonical_json(details))  # exactly what the JSON column gives back
    prev = _locked_head(case) or filing_digest(case.number, case.submission.data_sha256,
                                               case.submission.definition_sha256, case.submission.submitted_at)
    event = CaseEvent(case=case, at=at, actor_id=actor_id, action=action, details=plain, prev_sha256=prev,
                      sha256=event_digest(case.id, prev, at, actor_id, action, plain))
    db.session.add(event)
    return event


def event_digest(case_id: int, prev: str, at: datetime, actor_id: int | None, action: str,
                 details: dict[str, Any]) -> str:
    """The SHA-256 of an event: of the canonical JSON (RFC 8785) of its case, the digest before it, its time,
    actor, action and details; anyone can recompute it from the row."""
    return _sha256({"case": case_id, "prev": prev, "at": iso(at), "actor": actor_id, "action": action,
                    "details": details})


def filing_digest(number: str, data_sha256: str, definition_sha256: str, filed_at: datetime) -> str:
    """What the first event of a case follows: the SHA-256 of the number it was filed under, the digests of the
    submitted data and of the definition, and the filing time, so that none of them can change unnoticed."""
    return _sha256({"case_number": number, "submission": data_sha256, "definition": definition_sha256,
                    "filed_at": iso(filed_at)})


def stored_time(moment: datetime) -> datetime:
    """A moment as the timestamp columns keep it: UTC without tzinfo (timeutil.utcnow), to the microsecond."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def iso(moment: datetime) -> str:
    """A stored moment in ISO 8601 with microseconds, as the digests hold it: 2026-03-14T09:30:00.000000."""
    return stored_time(moment).isoformat(timespec="microseconds")


def _sha256(content: Any) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _locked_head(case: Case) -> str | None:
    """The digest of the case's last event, read once no other transaction can append to the case (None: the
    case has no event yet). Nothing of the caller's is flushed before: the case's own change is flushed at
    commit, where a lost race is refused as ever."""
    if case.id is None:
        db.session.flush()  # a case being filed: its id is part of every digest
    pending = [event for event in db.session.new if isinstance(event, CaseEvent) and event.case is case]
    if pending:  # appended in this transaction and not flushed yet: the one no other follows is the head
        followed = {event.prev_sha256 for event in pending}
        return next(event.sha256 for event in pending if event.sha256 not in followed)
    with db.session.no_autoflush:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
        else:  # SQLite locks the whole database for a writer: become the writer before reading the head
            table = Case.__table__
            db.session.execute(update(table).where(table.c.id == case.id).values(version=table.c.version))
        return db.session.scalar(select(CaseEvent.sha256).where(CaseEvent.case_id == case.id)
                                 .order_by(CaseEvent.id.desc()).limit(1))
