"""People who use the office, their roles and their identity checks."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, Connection, ForeignKey, Index, String, exists, func
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import utcnow


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    FRONT_DESK = "front_desk"  # BOI: checks ID documents and activates accounts
    CLERK = "clerk"  # handles the cases of one department
    HEAD = "head"  # head of a department: assigns its cases
    ADMIN = "admin"  # manages staff accounts, looks after the forms

    @classmethod
    def staff(cls) -> tuple[Role, ...]:
        return (cls.FRONT_DESK, cls.CLERK, cls.HEAD, cls.ADMIN)

    @property
    def label(self) -> str:
        """The role's name, in the page's language."""
        return str(ROLE_NAMES[self])


ROLE_NAMES = {Role.CITIZEN: _l("Citizen"), Role.FRONT_DESK: _l("Front desk"), Role.CLERK: _l("Clerk"),
              Role.HEAD: _l("Head of department"), Role.ADMIN: _l("Administrator")}
ROLE_DUTIES = {
    Role.FRONT_DESK: _l("Front desk: checks ID documents, activates accounts"),
    Role.CLERK: _l("Clerk: handles the department's cases"),
    Role.HEAD: _l("Head of department: assigns the department's cases"),
    Role.ADMIN: _l("Administrator: manages staff accounts and the forms"),
}


class Status(enum.StrEnum):
    PENDING = "pending"  # registered online, not yet seen at the office with an ID document
    VERIFIED = "verified"  # identity checked at the front desk; waiting for the citizen to set a password
    ACTIVE = "active"
    REJECTED = "rejected"  # the front desk could not confirm the identity
    DEACTIVATED = "deactivated"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(20), default=Status.ACTIVE)
    department: Mapped[str | None] = mapped_column(String(16), index=True)  # of staff: the inbox lists them
    pesel: Mapped[str | None] = mapped_column(String(11), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    registration_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    # When a pending registration stops being one the front desk can confirm (the end of the last day to come,
    # in office time); None for accounts that never were a registration waiting for the ID check.
    registration_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Carried in the session as part of its id (get_id): raising it ends every session of the account, on every
    # device, at its next request (decision 0042). The user row is loaded for each request anyway: no query more.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="joined")
    # Whether the front desk confirmed the identity, when the query that loaded the user asked (IDENTITY_CONFIRMED
    # below); None when it did not, and prefill_account asks the database.
    identity_confirmed: Mapped[bool | None] = query_expression()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def set_roles(self, roles: set[Role]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        self.role_rows = keep + [UserRole(role=role.value) for role in roles if role not in {r.role for r in keep}]

    def get_id(self) -> str:
        """The session's id of the account: its id and its session generation (`7.3`)."""
        return f"{self.id}.{self.session_generation}"

    def end_sessions(self) -> None:
        """Every session of the account ends at its next request: logout, a new password, a blocked account."""
        self.session_generation += 1

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.status == Status.ACTIVE

    @property
    def is_staff(self) -> bool:
        return self.has_role(*Role.staff())

    def registration_expired(self, now: datetime) -> bool:
        """A registration still waiting for the ID check, past the last day it could be confirmed."""
        return self.status == Status.PENDING and self.registration_expires_at is not None \
            and self.registration_expires_at <= now

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


def _can_use_trigrams(connection: Connection) -> bool:
    """Whether PostgreSQL's pg_trgm extension is in this database, adding it if the server has it and the
    database's owner may (it is a trusted extension from PostgreSQL 13)."""
    if connection.dialect.name != "postgresql":
        return False
    if connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        return True
    if not connection.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first():
        return False
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        return False  # not allowed: the name search reads the table through instead
    return True


# The inbox finds applicants by a word of their name (`lower(full_name) LIKE 'kow%' OR … LIKE '% kow%'`,
# decision 0033): on PostgreSQL a trigram index serves that, when pg_trgm can be had; elsewhere none does.
Index("ix_users_full_name_trigrams", func.lower(User.full_name).label("full_name_lower"),
      postgresql_using="gin", postgresql_ops={"full_name_lower": "gin_trgm_ops"}).ddl_if(
    dialect="postgresql", callable_=lambda _ddl, _target, bind, **_kw: bind is not None and _can_use_trigrams(bind))


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class IdentityCheck(db.Model):
    """The front desk's record of an in-person ID check: only what is needed to show it was done."""

    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # verified or rejected
    document_type: Mapped[str | None] = mapped_column(String(30))
    document_suffix: Mapped[str | None] = mapped_column(String(4))  # the last 4 characters of its number, no more
    reason: Mapped[str | None] = mapped_column(String(500))
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    checker: Mapped[User] = relationship(foreign_keys=[checked_by])


IDENTITY_CONFIRMED = exists().where(IdentityCheck.user_id == User.id, IdentityCheck.outcome == "verified")
"""Whether the front desk confirmed the account's identity: loaded with the user where a page fills a form in from
the account (`with_expression(User.identity_confirmed, IDENTITY_CONFIRMED)`), so that it costs no query more."""


class ActivationCode(db.Model):
    """A one-time code, printed at the front desk, with which the citizen sets a password online."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256: the code itself is never stored
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
