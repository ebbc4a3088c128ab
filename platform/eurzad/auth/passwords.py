"""The password rule: at least 12 characters (a passphrase of a few words is best), not a common one,
not the account's own e-mail or PESEL. Returns a message id, or None when the password will do."""
from __future__ import annotations

from functools import cache
from importlib import resources

from ..engine.messages import N_

MIN_LENGTH = 12


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords people choose most (one per line, compared without case)."""
    text = resources.files(__package__).joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "", pesel: str | None = None) -> str | None:
    if len(password.strip()) < MIN_LENGTH:
        return N_("Use at least 12 characters: a few words you will remember make a good password")
    folded = password.strip().lower()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return N_("This password is too common: choose another, a few unrelated words are best")
    own = [part for part in (email.split("@")[0].lower(), pesel or "") if len(part) >= 4]
    if any(part in folded for part in own):
        return N_("Do not use your e-mail address or PESEL number in the password")
    return None
