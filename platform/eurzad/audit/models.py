"""The shape every logged event has, the log of account events, and the words for every action."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

if TYPE_CHECKING:
    from ..auth.models import User


class Event:
    """One row of a log: when, who (None: the system or an anonymous sender), what (`noun.verb`), details.
    Rows are only ever added."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    @declared_attr
    def actor(cls) -> Mapped[User | None]:  # noqa: N805 - SQLAlchemy's declared attribute takes the class
        return relationship(foreign_keys=[cls.actor_id])  # type: ignore[list-item]


class AuditEvent(Event, db.Model):
    """Who did what to an account: staff changes, identity checks, activations, password resets."""

    __tablename__ = "audit_events"

    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])


ACTIONS = {
    "submission.create": _l("Form filed"),
    "case.transition": _l("Step taken"),
    "case.assign": _l("Assigned"),
    "case.note": _l("Internal note"),
    "case.delay": _l("Delay notice"),
    "case.view": _l("Opened the case"),
    "case.supplement": _l("Supplement received from the applicant"),
    "case.delivery": _l("Documents delivered: the applicant opened the case"),
    "case.forward": _l("Forwarded to another department"),
    "case.link_renew": _l("A new tracking link sent to the applicant's e-mail address; the old one no longer works"),
    "user.register": _l("Registered online"),
    "identity.verify": _l("Identity confirmed at the front desk"),
    "identity.reject": _l("Registration rejected"),
    "identity.reopen": _l("Registration reopened at the front desk"),
    "user.expire": _l("Registration expired and deleted"),
    "password.clear": _l("Password cleared at the front desk after an ID check"),
    "activation.issue": _l("Activation code issued"),
    "user.activate": _l("Account activated"),
    "password.change": _l("Password changed"),
    "password.reset_requested": _l("Link for a new password requested"),
    "password.reset": _l("New password set"),
    "password.link_sent": _l("Link for setting a password sent"),
    "contact.change": _l("Contact details changed"),
    "email.change_requested": _l("Link for a new e-mail address sent"),
    "email.change": _l("E-mail address changed"),
    "user.create": _l("Staff account created"),
    "user.change": _l("Account changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account given back"),
}
"""Every action a log records, in words (its code stays beside it on pages: the vocabulary of exports)."""


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
