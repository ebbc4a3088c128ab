"""Demo accounts for trying the office out on one machine; never run against a real office."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .auth.models import Role
from .auth.operations import create_user, find_by_email
from .extensions import db, registry

CITIZEN_PASSWORD = "demo-obywatel-2026"
CLERK_PASSWORD = "demo-urzednik-2026"
CITIZENS = (("jan.kowalski@example.pl", "Jan Kowalski"), ("anna.nowak@example.pl", "Anna Nowak"))
STAFF = (("boi@example.pl", "Bożena Okienko", Role.FRONT_DESK, "BOI"),
         ("naczelnik.or@example.pl", "Naczelnik OR", Role.HEAD, "OR"),
         ("admin@example.pl", "Administrator", Role.ADMIN, None))


def clerk_email(symbol: str) -> str:
    ascii_symbol = unicodedata.normalize("NFKD", symbol.replace("Ł", "L")).encode("ascii", "ignore").decode()
    return f"urzednik.{ascii_symbol.lower()}@example.pl"


def create_demo_users() -> Iterator[str]:
    """Create what is missing and yield one line per demo login."""
    yield "Demo logins (e-mail / password):"
    for email, name in CITIZENS:
        if find_by_email(email) is None:
            create_user(email, name, CITIZEN_PASSWORD, Role.CITIZEN)
        yield f"  citizen  {email:32} {CITIZEN_PASSWORD}"
    for symbol, department in registry().workflows.departments.items():
        email = clerk_email(symbol)
        if find_by_email(email) is None:
            create_user(email, f"Urzędnik {symbol}", CLERK_PASSWORD, Role.CLERK, department=symbol)
        yield f"  clerk {symbol:3} {email:32} {CLERK_PASSWORD}   ({department.name.pl})"
    for email, name, role, symbol in STAFF:
        if find_by_email(email) is None:
            create_user(email, name, CLERK_PASSWORD, role, department=symbol)
        yield f"  {role.value:9} {email:32} {CLERK_PASSWORD}"
    db.session.commit()
