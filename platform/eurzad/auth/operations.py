"""Accounts: creating them and checking a password."""
from __future__ import annotations

from functools import cache

from sqlalchemy import func, select

from ..extensions import db
from .models import Role, User


@cache
def _dummy() -> User:
    """A user to check a password against when the e-mail is unknown: both cases take as long."""
    user = User()
    user.set_password("not a password anybody has")
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (the caller says the same either way)."""
    user = find_by_email(email)
    if user is None:
        _dummy().check_password(password)
        return None
    return user if user.check_password(password) and user.active else None


def create_user(email: str, full_name: str, password: str, role: Role, department: str | None = None) -> User:
    user = User(email=email.strip().lower(), full_name=full_name, role=role.value, department=department)
    user.set_password(password)
    db.session.add(user)
    return user
