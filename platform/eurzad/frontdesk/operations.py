"""The front desk's work on a registration: confirm the identity, issue a new activation code, reject.

Each checks the state the registration must be in, records what happened in the audit trail, and
commits. Only the document type and the last 4 characters of its number are kept (decision 0016).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..audit.operations import audit
from ..auth.models import ActivationCode, IdentityCheck, Status, User
from ..auth.operations import code_digest, new_code
from ..engine.messages import N_
from ..extensions import db
from ..refusals import RefusedError

HANDLED = N_("This registration has already been handled: the page now shows where it stands")


def verify_identity(user: User, clerk: User, document_type: str, document_number: str, now: datetime,
                    hours: int) -> str:
    """Record the ID check and return a one-time activation code (only its digest is kept)."""
    _expect(user, Status.PENDING)
    db.session.add(IdentityCheck(user_id=user.id, outcome="verified", document_type=document_type,
                                 document_suffix=document_number.strip().upper()[-4:], checked_by=clerk.id,
                                 checked_at=now))
    user.status = Status.VERIFIED
    audit("identity.verify", clerk, user, now, document_type=document_type)
    code = _issue_code(user, clerk, now, hours)
    db.session.commit()
    return code


def issue_activation_code(user: User, clerk: User, now: datetime, hours: int) -> str:
    """A new one-time code for a confirmed account that has not set a password; any earlier one stops working."""
    _expect(user, Status.VERIFIED)
    code = _issue_code(user, clerk, now, hours)
    db.session.commit()
    return code


def reject_identity(user: User, clerk: User, reason: str, now: datetime) -> None:
    _expect(user, Status.PENDING)
    db.session.add(IdentityCheck(user_id=user.id, outcome="rejected", reason=reason, checked_by=clerk.id,
                                 checked_at=now))
    user.status = Status.REJECTED
    audit("identity.reject", clerk, user, now, reason=reason)
    db.session.commit()


def _expect(user: User, status: Status) -> None:
    """The registration must still be where the clerk's page showed it; else nothing is done."""
    if user.status != status:
        raise RefusedError(HANDLED)


def _issue_code(user: User, clerk: User, now: datetime, hours: int) -> str:
    for old in db.session.scalars(select(ActivationCode).where(ActivationCode.user_id == user.id,
                                                               ActivationCode.used_at.is_(None))):
        old.used_at = now
    code = new_code(8)
    db.session.add(ActivationCode(user_id=user.id, code_hash=code_digest(code),
                                  expires_at=now + timedelta(hours=hours)))
    audit("activation.issue", clerk, user, now)
    return code
