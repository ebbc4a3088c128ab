"""Staff accounts: create, change roles and department, deactivate; every change in the audit trail.

The rules live here: a clerk or head belongs to a department, an e-mail address has one account, an
administrator can neither take the administrator role from themselves nor lock themselves out.
Each operation commits.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from ..audit.operations import audit
from ..auth.models import Role, Status, User
from ..auth.operations import department_problem, find_by_email
from ..engine.messages import N_
from ..extensions import db
from ..outbox.operations import queue
from ..refusals import RefusedError


@dataclass(frozen=True)
class Staff:
    """What the staff form says of an account."""

    full_name: str
    email: str
    roles: frozenset[Role]
    department: str | None


class StaffRefusedError(RefusedError):
    """A staff form that breaks a rule: `field` is the question the message belongs to."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message, status)
        self.field = field


Message = Callable[[User], tuple[str, str]]
"""Subject and body of an e-mail to an account (its link made for it)."""


@dataclass(frozen=True)
class EmailChange:
    """The two e-mails of a new address an administrator gives a colleague's account: `confirm(user, new)` with
    the link to the new address, `notice(user, new)` to the present one."""

    confirm: Callable[[User, str], tuple[str, str]]
    notice: Callable[[User, str], tuple[str, str]]


def create_staff(admin: User, staff: Staff, departments: Collection[str], now: datetime, welcome: Message) -> User:
    """A staff account without a password: its holder sets one from the link e-mailed to them."""
    _check(staff, None, departments)
    user = User(full_name=staff.full_name, email=staff.email.strip().lower(), department=staff.department,
                status=Status.VERIFIED, created_at=now)
    user.set_roles(set(staff.roles))
    db.session.add(user)
    audit("user.create", admin, user, now, roles=sorted(staff.roles), department=staff.department)
    db.session.flush()  # the link names the account
    queue(user.email, *welcome(user), now)
    db.session.commit()
    return user


def change_staff(admin: User, user: User, staff: Staff, departments: Collection[str], now: datetime,
                 email_change: EmailChange | None = None) -> str | None:
    """Save the staff form. A new e-mail address for an account that has a password only waits for its holder: a
    link goes to the new address (`email_change.confirm`), the old one is told (`email_change.notice`), and the
    address changes when the holder, logged in, opens the link (decision 0039); returns that address. An account
    nobody has used yet (no password) takes the corrected address at once."""
    _check(staff, user, departments)
    if user.id == admin.id and Role.ADMIN not in staff.roles:
        raise StaffRefusedError("roles", N_("You cannot take the administrator role from yourself"))
    before = {"name": user.full_name, "email": user.email, "roles": sorted(user.roles), "department": user.department}
    email = staff.email.strip().lower()
    pending = email if email != user.email and user.password_hash and email_change is not None else None
    if pending and email_change is not None:
        queue(pending, *email_change.confirm(user, pending), now)
        queue(user.email, *email_change.notice(user, pending), now)
        audit("email.change_requested", admin, user, now, new=pending)
        email = user.email
    user.full_name, user.email = staff.full_name, email
    user.set_roles(set(staff.roles))
    user.department = staff.department
    after = {"name": user.full_name, "email": user.email, "roles": sorted(role.value for role in staff.roles),
             "department": staff.department}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit("user.change", admin, user, now, **changed)
    db.session.commit()
    return pending


def send_password_link(admin: User, user: User, now: datetime, message: Message) -> None:
    queue(user.email, *message(user), now)
    audit("password.link_sent", admin, user, now)
    db.session.commit()


def set_active(admin: User, user: User, active: bool, now: datetime) -> None:
    """Deactivate an account (it can no longer log in; its history stays), or give it back."""
    if user.id == admin.id:
        raise RefusedError(N_("You cannot deactivate your own account"), 403)
    if active and user.status == Status.DEACTIVATED:
        user.status = Status.ACTIVE if user.password_hash else Status.VERIFIED
        audit("user.reactivate", admin, user, now)
    elif not active and user.status != Status.DEACTIVATED:
        user.status = Status.DEACTIVATED
        user.end_sessions()
        audit("user.deactivate", admin, user, now)
    db.session.commit()


def _check(staff: Staff, user: User | None, departments: Collection[str]) -> None:
    problem = department_problem(staff.roles, staff.department, departments)
    if problem:
        raise StaffRefusedError("department", problem)
    other = find_by_email(staff.email)
    if other is not None and (user is None or other.id != user.id):
        raise StaffRefusedError("email", N_("An account with this e-mail address exists"))
