"""Where identities come from: the seam for the national login (login.gov.pl / Profil Zaufany).

eurzad's first identity provider is its own: a local account, activated after an in-person ID check,
logged in with e-mail or PESEL and a password. The national login is a SAML 2.0 identity provider
that answers a redirect with an assertion carrying the PESEL and the name; an adapter for it
implements the same protocol (docs/identity.md says how) and records `identified_by` accordingly.
No adapter is built here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .models import User
from .operations import authenticate


@dataclass(frozen=True)
class Identity:
    """Who the provider says the person is, and how sure that is (recorded with every submission)."""

    user: User
    method: str  # "account" (local, after an ID check at the office), later e.g. "login.gov.pl"


class IdentityProvider(Protocol):
    """A way of proving who one is. Form-based providers check credentials; redirect-based ones
    (SAML) send the browser away in `start` and turn the answer into an Identity in `finish`."""

    method: str

    def check(self, login: str, secret: str) -> Identity | None:
        """Credentials typed into eurzad's own log-in form; None when they do not prove anything."""

    def start(self, next_url: str) -> str | None:
        """The address to send the browser to, for providers that log in elsewhere; None for local ones."""

    def finish(self, answer: dict[str, str]) -> Identity | None:
        """The identity from the provider's answer (a SAML response), or None."""


class LocalAccounts:
    """Accounts of this office: e-mail or PESEL and a password, after an ID check at the front desk."""

    method = "account"

    def check(self, login: str, secret: str) -> Identity | None:
        user = authenticate(login, secret)
        return Identity(user, self.method) if user is not None else None

    def start(self, next_url: str) -> str | None:
        return None

    def finish(self, answer: dict[str, str]) -> Identity | None:
        return None


PROVIDERS: dict[str, IdentityProvider] = {LocalAccounts.method: LocalAccounts()}
