"""The front desk's work on a registration or an account: confirm the identity, help someone who lost access
with a new activation code after a new ID check (correcting the e-mail address if need be), reject a
registration, reopen a rejected or expired one.

Each checks the state the account must be in, records what happened in the audit trail, and commits. Only
the document type and the last 4 characters of its number are kept (decision 0016).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..audit.operations import audit
from ..auth.models import ActivationCode, IdentityCheck, Status, User
from ..auth.operations import code_digest, find_by_email
from ..engine.messages import N_
from ..extensions import db
from ..refusals import RefusedError

HANDLED = N_("This registration has already been handled: the page now shows where it stands")
EXPIRED = N_("This registration has expired and can no longer be confirmed: reopen it first, if the person is "
             "here with an ID document")
EMAIL_TAKEN = N_("An account with this e-mail address exists")
NO_REASON = N_("Enter the reason")
ISSUED_MEANWHILE = N_("An activation code was issued for this account after this page was opened: give the person "
                      "that slip. Only if it is lost, reload the page and issue another")


@dataclass(frozen=True)
class IdCheck:
    """What the clerk records of an ID check: the document shown, and a corrected e-mail address (or None)."""

    document_type: str
    document_number: str
    email: str | None = None


@dataclass(frozen=True)
class Press:
    """One press of "issue a code" on the registration's page: the code that press issues (the page gives it, so
    the same press sent twice, by a double click or a resent form, issues it once and shows it again) and the
    latest activation code the page knew of (0: none), so that another tab's older page issues nothing."""

    code: str
    seen_code: int


class EmailTakenError(RefusedError):
    """The corrected e-mail address belongs to another account: nothing was done."""

    def __init__(self) -> None:
        super().__init__(EMAIL_TAKEN, 400)


def verify_identity(user: User, clerk: User, check: IdCheck, press: Press, now: datetime, hours: int) -> str:
    """Record the first ID check of a registration and return a one-time activation code (only its digest is
    kept); the same press again returns the code it issued."""
    if _issued_by(user, press, now):
        return press.code
    _expect(user, Status.PENDING)
    if user.registration_expired(now):
        raise RefusedError(EXPIRED)
    _record_check(user, clerk, check, now)
    user.status = Status.VERIFIED
    code = _issue_code(user, clerk, press.code, now, hours)
    db.session.commit()
    return code


def restore_access(user: User, clerk: User, check: IdCheck, seen: str, press: Press, now: datetime,
                   hours: int) -> str:
    """A new activation code after a new ID check, for a holder who lost the slip, let the code expire, forgot
    the password or lost the mailbox. An active account's password stops working at once: whoever knew it can no
    longer log in, and the holder sets a new one with the code. Every earlier unused code stops working too.

    `seen`: the state the clerk's page showed (verified or active); if the account moved on meanwhile, nothing
    is done. The same press again returns the code it issued; a code issued since the page was shown (another tab)
    makes the press do nothing, so no slip already handed out stops working."""
    if _issued_by(user, press, now):
        return press.code
    if seen not in (Status.VERIFIED, Status.ACTIVE):
        raise RefusedError(HANDLED)
    if (db.session.scalar(select(func.max(ActivationCode.id)).where(ActivationCode.user_id == user.id)) or 0) \
            > press.seen_code:
        raise RefusedError(ISSUED_MEANWHILE)
    _expect(user, Status(seen))
    _record_check(user, clerk, check, now)
    if user.status == Status.ACTIVE:
        user.password_hash = None  # also ends every password link: they are signed over the old hash
        user.status = Status.VERIFIED
        user.end_sessions()  # logged out at its next request, wherever it is logged in
        audit("password.clear", clerk, user, now)
    code = _issue_code(user, clerk, press.code, now, hours)
    db.session.commit()
    return code


def reject_identity(user: User, clerk: User, reason: str, now: datetime) -> None:
    _expect(user, Status.PENDING)
    reason = _reason(reason)
    db.session.add(IdentityCheck(user_id=user.id, outcome="rejected", reason=reason, checked_by=clerk.id,
                                 checked_at=now))
    user.status = Status.REJECTED
    user.end_sessions()
    audit("identity.reject", clerk, user, now, reason=reason)
    db.session.commit()


def reopen_registration(user: User, clerk: User, reason: str, now: datetime, expires_at: datetime) -> None:
    """A rejected registration, or one that expired unconfirmed, waits for the ID check again until
    `expires_at`: the person came back (with a valid document, in time)."""
    if not (user.status == Status.REJECTED or user.registration_expired(now)):
        raise RefusedError(HANDLED)
    reason = _reason(reason)
    user.status = Status.PENDING
    user.registration_expires_at = expires_at
    audit("identity.reopen", clerk, user, now, reason=reason)
    db.session.commit()


def _reason(reason: str) -> str:
    """A reason is words: spaces alone are no reason, and none is stored (the form says so next to the field)."""
    if not reason.strip():
        raise RefusedError(NO_REASON, 400)
    return reason.strip()


def _expect(user: User, status: Status) -> None:
    """The registration must still be where the clerk's page showed it; else nothing is done."""
    if user.status != status:
        raise RefusedError(HANDLED)


def _record_check(user: User, clerk: User, check: IdCheck, now: datetime) -> None:
    """The ID check, and the corrected e-mail address when one is given (refused, with nothing done, when it
    belongs to another account)."""
    email = (check.email or "").strip().lower()
    if email and email != user.email:
        other = find_by_email(email)
        if other is not None and other.id != user.id:
            raise EmailTakenError()
        audit("user.change", clerk, user, now, email=[user.email, email])
        user.email = email
    db.session.add(IdentityCheck(user_id=user.id, outcome="verified", document_type=check.document_type,
                                 document_suffix=check.document_number.strip().upper()[-4:], checked_by=clerk.id,
                                 checked_at=now))
    audit("identity.verify", clerk, user, now, document_type=check.document_type, account=str(user.status))


def _issued_by(user: User, press: Press, now: datetime) -> bool:
    """Whether this press already issued its code, still unused and valid. The account's row is locked first
    (PostgreSQL): two presses sent at once are handled one after the other, the second seeing the first's code."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    record = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == code_digest(press.code)))
    return record is not None and record.user_id == user.id and record.used_at is None and record.expires_at > now


def _issue_code(user: User, clerk: User, code: str, now: datetime, hours: int) -> str:
    for old in db.session.scalars(select(ActivationCode).where(ActivationCode.user_id == user.id,
                                                               ActivationCode.used_at.is_(None))):
        old.used_at = now
    db.session.add(ActivationCode(user_id=user.id, code_hash=code_digest(code),
                                  expires_at=now + timedelta(hours=hours)))
    audit("activation.issue", clerk, user, now)
    return code
