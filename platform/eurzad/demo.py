"""Demo accounts for trying the office out on one machine; never run against a real office."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .auth.models import IdentityCheck, Role
from .auth.operations import create_user, find_by_email, identity_check
from .extensions import db, registry
from .timeutil import utcnow

CITIZEN_PASSWORD = "demo-obywatel-2026"
CLERK_PASSWORD = "demo-urzednik-2026"
CITIZENS = (("jan.kowalski@example.pl", "Jan Kowalski"), ("anna.nowak@example.pl", "Anna Nowak"))
CONFIRMED = {"jan.kowalski@example.pl": {  # as if he had registered and shown his ID card at the front desk
    "pesel": "80010112340", "phone": "+48 600 100 200",
    "address": {"street": "ul. Słowackiego 3", "postcode": "38-400", "city": "Krosno"}}}
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
            create_user(email, name, CITIZEN_PASSWORD, Role.CITIZEN, **CONFIRMED.get(email, {}))
        confirmed = " (identity confirmed at the front desk)" if email in CONFIRMED else ""
        yield f"  citizen  {email:32} {CITIZEN_PASSWORD}{confirmed}"
    for symbol, department in registry().workflows.departments.items():
        email = clerk_email(symbol)
        if find_by_email(email) is None:
            create_user(email, f"Urzędnik {symbol}", CLERK_PASSWORD, Role.CLERK, department=symbol)
        yield f"  clerk {symbol:3} {email:32} {CLERK_PASSWORD}   ({department.name.pl})"
    for email, name, role, symbol in STAFF:
        if find_by_email(email) is None:
            create_user(email, name, CLERK_PASSWORD, role, department=symbol)
        yield f"  {role.value:9} {email:32} {CLERK_PASSWORD}"
    _confirm_identities()
    db.session.commit()


def _confirm_identities() -> None:
    """The ID check of the demo citizens who have one, by the demo front desk (decision 0028)."""
    desk = find_by_email(STAFF[0][0])
    for email in CONFIRMED:
        citizen = find_by_email(email)
        if desk is not None and citizen is not None and citizen.pesel and identity_check(citizen) is None:
            db.session.add(IdentityCheck(user_id=citizen.id, outcome="verified", document_type="id_card",
                                         document_suffix="4X2K", checked_by=desk.id, checked_at=utcnow()))
