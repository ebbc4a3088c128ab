"""The citizen's own account: contact details, and a new e-mail address that takes effect through a link sent
to it (decision 0028).

The e-mail address is also a log-in, so it changes only once the new mailbox has answered: a mistyped
address locks nobody out, and until the link is opened the old address works as before. The old address is
told when the change is made. Each operation commits.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ..audit.operations import audit
from ..auth.models import User
from ..auth.operations import find_by_email
from ..engine.messages import N_
from ..extensions import db
from ..outbox.operations import queue
from ..refusals import RefusedError

SALT = "email-change"
TAKEN = N_("Another account has this e-mail address: give another one")


class AccountRefusedError(RefusedError):
    """A change the account's rules refuse: `field` is the question the message belongs to."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message, status)
        self.field = field


def change_contact(user: User, phone: str | None, address: Mapping[str, str], now: datetime) -> None:
    """New phone number and home address; forms already sent and drafts already started keep theirs."""
    user.phone, user.address = phone, dict(address)
    audit("contact.change", user, user, now)
    db.session.commit()


def request_email_change(user: User, new_email: str, password: str, now: datetime, secret: str,
                         message: Callable[[str, str], tuple[str, str]]) -> str:
    """E-mail a link that makes `new_email` the account's address; nothing changes until it is opened.

    The current password is asked (a session left open on a shared computer is not enough); `message(new,
    token)` is the e-mail's subject and body. Returns the new address as it will be stored.
    """
    new = new_email.strip().lower()
    if not user.check_password(password):
        raise AccountRefusedError("password", N_("The password is wrong"))
    if new == user.email:
        raise AccountRefusedError("email", N_("This is already your e-mail address"))
    if find_by_email(new) is not None:
        raise AccountRefusedError("email", TAKEN)
    queue(new, *message(new, email_change_token(user, new, secret)), now)
    audit("email.change_requested", user, user, now)
    db.session.commit()
    return new


def email_change_token(user: User, new_email: str, secret: str) -> str:
    """A signed, dated token naming the account, its address now and the new one: once the address changes it
    no longer matches, so it works once (nothing about it is stored)."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps({"user": user.id, "old": user.email, "new": new_email})


def email_change_of(token: str, secret: str, max_age: int) -> tuple[User, str] | None:
    """The active account a link is for and the address it gives it; None when the link is forged, expired,
    used, or older than the account's present address."""
    try:
        payload: Any = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int) or \
            not isinstance(payload.get("new"), str):
        return None
    user = db.session.get(User, payload["user"])
    if user is None or not user.is_active or user.email != payload.get("old"):
        return None
    return user, payload["new"]


def confirm_email_change(user: User, new_email: str, now: datetime,
                         notice: Callable[[str], tuple[str, str]]) -> None:
    """Make `new_email` the account's address (the log-in and where the office writes) and tell the old one,
    `notice(new)` its subject and body; refused when another account has taken the address meanwhile."""
    if find_by_email(new_email) is not None:
        raise AccountRefusedError("email", TAKEN, 409)
    old, user.email = user.email, new_email
    audit("email.change", user, user, now, old=old, new=new_email)
    queue(old, *notice(new_email), now)
    try:
        db.session.commit()
    except IntegrityError:  # taken by another account in the same instant
        db.session.rollback()
        raise AccountRefusedError("email", TAKEN, 409) from None
