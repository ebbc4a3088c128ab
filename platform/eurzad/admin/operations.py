"""Staff accounts: create, change roles and department, deactivate; every change in the audit trail."""
from __future__ import annotations

from datetime import datetime

from ..auth.models import Role, Status, User
from ..auth.operations import audit
from ..extensions import db


def create_staff(admin: User, full_name: str, email: str, roles: set[Role], department: str | None,
                 now: datetime) -> User:
    """A staff account without a password: its holder sets one from the link e-mailed to them."""
    user = User(full_name=full_name, email=email.strip().lower(), department=department, status=Status.VERIFIED,
                created_at=now)
    user.set_roles(roles)
    db.session.add(user)
    audit("user.create", admin, user, now, roles=sorted(roles), department=department)
    return user


def change_staff(admin: User, user: User, full_name: str, email: str, roles: set[Role], department: str | None,
                 now: datetime) -> None:
    before = {"name": user.full_name, "email": user.email, "roles": sorted(user.roles), "department": user.department}
    user.full_name, user.email = full_name, email.strip().lower()
    user.set_roles(roles)
    user.department = department
    after = {"name": user.full_name, "email": user.email, "roles": sorted(role.value for role in roles),
             "department": department}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        audit("user.change", admin, user, now, **changed)


def set_active(admin: User, user: User, active: bool, now: datetime) -> None:
    """Deactivate an account (it can no longer log in; its history stays), or give it back."""
    if active and user.status == Status.DEACTIVATED:
        user.status = Status.ACTIVE if user.password_hash else Status.VERIFIED
        audit("user.reactivate", admin, user, now)
    elif not active and user.status != Status.DEACTIVATED:
        user.status = Status.DEACTIVATED
        audit("user.deactivate", admin, user, now)
