"""What a sender without an account can change: a new tracking link in place of a lost one (decision 0030)."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update

from ..cases.log import record
from ..cases.models import Case, CaseNumber
from ..cases.operations import commit_change, tracking_digest
from ..extensions import db
from ..outbox.operations import queue


def case_by_number(number: str) -> Case | None:
    """The case a number names: its number today, or one it had before it was forwarded (decision 0025)."""
    number = number.strip().upper()
    case = db.session.scalar(select(Case).where(Case.number == number))
    return case or db.session.scalar(select(Case).join(CaseNumber).where(CaseNumber.number == number))


def renew_tracking_link(number: str, email: str, now: datetime,
                        message: Callable[[Case, str], tuple[str, str]]) -> bool:
    """E-mail a new tracking link for the case with this number, when it was sent without an account and this
    is the contact address it was sent with; only the new link's digest is kept, so the old link stops working.

    Returns whether a link went out; the caller must answer the same either way, so that nobody learns which
    address sent which case."""
    case = case_by_number(number)
    if case is None or case.tracking_digest is None or case.submission.submitter_id is not None:
        return False
    kept = case.submission.contact_email
    if not kept or kept.strip().casefold() != email.strip().casefold():
        return False
    token = secrets.token_urlsafe(16)
    # A plain UPDATE, not a change of the versioned case: a clerk's step taken at the same moment still goes through.
    db.session.execute(update(Case).where(Case.id == case.id).values(tracking_digest=tracking_digest(token)))
    record(case, "case.link_renew", None, now)
    queue(kept, *message(case, token), now)
    commit_change()
    return True
