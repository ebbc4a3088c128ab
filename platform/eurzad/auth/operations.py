"""Accounts: registering, activation, passwords, and the audit trail. (The ID check: frontdesk/operations.py.)"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Collection
from datetime import datetime
from functools import cache

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update

from ..audit.models import AuditEvent
from ..audit.operations import audit
from ..engine.messages import N_
from ..engine.prefill import Account
from ..extensions import db
from ..outbox.operations import queue
from ..refusals import RefusedError
from .models import ActivationCode, IdentityCheck, Role, Status, User


@cache
def _dummy() -> User:
    """A user to check a password against when the e-mail is unknown: both cases take as long."""
    user = User()
    user.set_password("not a password anybody has")
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def find_by_login(login: str) -> User | None:
    """The account a login names: an e-mail address, or a PESEL number."""
    login = login.strip()
    if login.isdigit() and len(login) == 11:
        return db.session.scalar(select(User).where(User.pesel == login))
    return find_by_email(login)


def authenticate(login: str, password: str) -> User | None:
    """The active user with this e-mail or PESEL and password, or None (the caller says the same either way).

    Every path checks one password hash of the same cost: the account's, or a stand-in's for an unknown login and
    for an account with no password yet (pending, verified, rejected), so the time of the answer tells nothing of
    whether the account exists or where it stands."""
    user = find_by_login(login)
    own = user is not None and bool(user.password_hash)
    matches = (user if own else _dummy()).check_password(password)  # type: ignore[union-attr]
    return user if own and matches and user is not None and user.is_active else None


def identity_check(user: User) -> IdentityCheck | None:
    """The front desk's check that confirmed the account's identity with an ID document; None when there was
    none (an account made on the command line or by `eurzad demo`)."""
    return db.session.scalar(select(IdentityCheck).where(IdentityCheck.user_id == user.id,
                                                         IdentityCheck.outcome == "verified")
                             .order_by(IdentityCheck.checked_at.desc(), IdentityCheck.id.desc()).limit(1))


def prefill_account(user: User) -> Account:
    """What the account fills forms in with (decision 0028): its identity counts only once confirmed (read with
    the user when the query that loaded it asked, else here)."""
    confirmed = user.identity_confirmed
    if confirmed is None:
        confirmed = identity_check(user) is not None
    return Account({"full_name": user.full_name, "pesel": user.pesel, "email": user.email, "phone": user.phone,
                    "address": user.address}, confirmed=bool(confirmed))


DEPARTMENT_ROLES = frozenset({Role.CLERK, Role.HEAD, Role.FRONT_DESK})
"""Roles whose holder works in a department (the front desk too: BOI)."""


def department_problem(roles: set[Role] | frozenset[Role], department: str | None,
                       departments: Collection[str]) -> str | None:
    """Who belongs to which department, for staff pages and the command line alike: a clerk or head must
    name one of workflows.yaml's departments; only clerks, heads and the front desk may name one."""
    if roles & {Role.CLERK, Role.HEAD} and department not in departments:
        return N_("A clerk or head of department belongs to a department: select it")
    if department and not roles & DEPARTMENT_ROLES:
        return N_("Only clerks, heads of department and the front desk belong to a department")
    if department and department not in departments:
        return N_("Select a department of the office")
    return None


def create_user(email: str, full_name: str, password: str | None, role: Role, department: str | None = None,
                **details: object) -> User:
    """An account with one role (more can be given later); without a password it cannot log in yet."""
    user = User(email=email.strip().lower(), full_name=full_name, department=department, status=Status.ACTIVE,
                **details)
    user.set_roles({role})
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    return user


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_code(length: int) -> str:
    """A short code, grouped by four for reading: K7MQ-4XB2."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))


def derived_code(secret: str, *parts: object, length: int = 8) -> str:
    """A code like new_code's, the same each time for the same parts: what one press of a page issues, so that
    the same press sent twice issues one code (the front desk's slip, decision 0039)."""
    digest = hmac.new(secret.encode(), ":".join(map(str, parts)).encode(), hashlib.sha256).digest()
    raw = "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:length])  # 32 letters: no bias
    return "-".join(raw[i:i + 4] for i in range(0, length, 4))


def code_digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().upper().encode()).hexdigest()


class RegistrationRefusedError(RefusedError):
    """A PESEL or e-mail address that already has an account: message ids by the form's field."""

    def __init__(self, taken: dict[str, str]):
        super().__init__(next(iter(taken.values())), 400)
        self.taken = taken


def register(full_name: str, pesel: str, email: str, phone: str | None, address: dict[str, str],
             now: datetime, expires_at: datetime, message: Callable[[User], tuple[str, str]]) -> User:
    """A pending account: it can do nothing until the front desk has seen an ID document, by `expires_at`.
    Its registration code is e-mailed to the address given.

    Registering twice is the one thing the form must tell, and it says what to do instead (decision 0020);
    a registration that expired unconfirmed is deleted first and does not count.
    """
    for stale in {find_by_login(pesel), find_by_email(email)}:
        if stale is not None and stale.registration_expired(now):
            forget_registration(stale, now)
    db.session.flush()
    taken = {}
    if find_by_login(pesel) is not None:
        taken["pesel"] = N_("An account with this PESEL number exists: log in, or set a new password if you "
                            "forgot it")
    if find_by_email(email) is not None:
        taken["email"] = N_("An account with this e-mail address exists: log in, or set a new password if you "
                            "forgot it")
    if taken:
        db.session.rollback()
        raise RegistrationRefusedError(taken)
    user = User(full_name=full_name, pesel=pesel, email=email.strip().lower(), phone=phone, address=address,
                status=Status.PENDING, registration_code=new_code(8), registration_expires_at=expires_at,
                created_at=now)
    user.set_roles({Role.CITIZEN})
    db.session.add(user)
    audit("user.register", None, user, now)
    queue(user.email, *message(user), now)
    db.session.commit()
    return user


def forget_registration(user: User, now: datetime) -> None:
    """Delete a registration that expired unconfirmed, with its ID-check records; the audit trail keeps its
    events without the person, and one event naming only the registration code (the caller commits)."""
    db.session.execute(update(AuditEvent).where(AuditEvent.subject_id == user.id).values(subject_id=None))
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_id=None))
    db.session.execute(delete(IdentityCheck).where(IdentityCheck.user_id == user.id))
    db.session.execute(delete(ActivationCode).where(ActivationCode.user_id == user.id))
    audit("user.expire", None, None, now, code=user.registration_code, registered=user.created_at.isoformat(),
          expired=(user.registration_expires_at or now).isoformat())
    db.session.delete(user)


def purge_expired_registrations(now: datetime) -> int:
    """Delete every registration that expired unconfirmed (`eurzad registrations purge`); return how many."""
    expired = db.session.scalars(select(User).where(User.status == Status.PENDING,
                                                    User.registration_expires_at <= now)).unique().all()
    for user in expired:
        forget_registration(user, now)
    db.session.commit()
    return len(expired)


def activate(login: str, code: str, password: str, now: datetime) -> User | None:
    """Set the password of a verified account with its activation code; None if the code is wrong,
    used, expired or not this account's (the caller says the same in every case)."""
    user = find_by_login(login)
    record = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == code_digest(code)))
    if user is None or record is None or record.user_id != user.id or record.used_at or record.expires_at < now \
            or user.status != Status.VERIFIED:
        return None
    record.used_at = now
    user.set_password(password)
    user.status = Status.ACTIVE
    audit("user.activate", user, user, now)
    db.session.commit()
    return user


def _reset_signer(secret: str, user: User) -> URLSafeTimedSerializer:
    """Signs over the account's password hash (its salt), so a link dies once the password changes; the link
    itself carries only the account's id and the time."""
    return URLSafeTimedSerializer(secret, salt="password-reset:" + (user.password_hash or ""))


def reset_token(user: User, secret: str) -> str:
    """A link token for setting a new password; it stops working once the password changes."""
    return _reset_signer(secret, user).dumps({"user": user.id})


def user_for_reset(token: str, secret: str, max_age: int) -> User | None:
    """The account a link was made for, while its password is the one it was made under; else None."""
    try:
        _, payload = URLSafeTimedSerializer(secret).loads_unsafe(token)  # only to find whose: checked below
        user_id = payload.get("user") if isinstance(payload, dict) else None
        user = db.session.get(User, user_id) if type(user_id) is int and 0 < user_id < 2**31 else None
        if user is None:
            return None
        _reset_signer(secret, user).loads(token, max_age=max_age)
    except BadData:
        return None
    return user if user.status in (Status.ACTIVE, Status.VERIFIED) else None


def log_out(user: User) -> None:
    """Logout ends the account's sessions on every device (decision 0042)."""
    user.end_sessions()
    db.session.commit()


def replace_password(user: User, current: str, password: str, now: datetime) -> bool:
    """A new password for a user who knows the current one; False (nothing changed) when they do not."""
    if not user.check_password(current):
        return False
    user.set_password(password)
    user.end_sessions()  # a copied cookie, another device: logged out; the caller starts this browser's anew
    audit("password.change", user, user, now)
    db.session.commit()
    return True


def request_password_reset(login: str, now: datetime, message: Callable[[User], tuple[str, str]]) -> None:
    """E-mail a link for a new password to an active account with a password; nothing for any other
    login, and the caller says the same either way."""
    user = find_by_login(login)
    if user is None or not user.password_hash or not user.is_active:
        return
    queue(user.email, *message(user), now)
    audit("password.reset_requested", None, user, now)
    db.session.commit()


def set_new_password(user: User, password: str, now: datetime) -> None:
    """The password from a reset link; a staff account created without one becomes active by it."""
    user.set_password(password)
    user.end_sessions()
    if user.status == Status.VERIFIED:
        user.status = Status.ACTIVE
    audit("password.reset", user, user, now)
    db.session.commit()
