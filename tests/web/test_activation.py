"""An activation code opens only the account it was issued to."""
from __future__ import annotations

from sqlalchemy import select

from eurzad.auth.models import Status, User
from eurzad.extensions import db

from .test_identity import NEW_PASSWORD, PESEL, register, verify_at_front_desk

OTHER_PESEL = "02070803628"


def activate(client, login: str, code: str):
    return client.submit("/activate", {"login": login, "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def can_log_in(client, login: str) -> bool:
    return client.submit("/login", {"login": login, "password": NEW_PASSWORD}).status_code == 303


def statuses(app) -> dict[str, Status]:
    with app.app_context():
        return dict(db.session.execute(select(User.pesel, User.status).where(User.pesel.is_not(None))).all())


def test_an_activation_code_of_one_account_does_not_activate_another(app, client, make_user):
    first = register(client)
    second = register(client, pesel=OTHER_PESEL, email="jan.nowak@example.pl", full_name="Jan Nowak")
    code_of_first = verify_at_front_desk(client, make_user, first)
    code_of_second = verify_at_front_desk(client, make_user, second)

    refused = activate(client, OTHER_PESEL, code_of_first)
    assert refused.status_code == 400 and "Ten kod aktywacyjny jest nieprawidłowy" in refused.get_data(as_text=True)
    refused = activate(client, "jan.nowak@example.pl", code_of_first)  # nor by the other account's e-mail address
    assert refused.status_code == 400
    assert not can_log_in(client, OTHER_PESEL) and not can_log_in(client, PESEL)
    assert statuses(app) == {PESEL: Status.VERIFIED, OTHER_PESEL: Status.VERIFIED}

    # Each code still opens its own account: the refused tries used up neither.
    assert activate(client, PESEL, code_of_first).status_code == 303
    assert activate(client, OTHER_PESEL, code_of_second).status_code == 303
    assert can_log_in(client, PESEL)
    assert statuses(app) == {PESEL: Status.ACTIVE, OTHER_PESEL: Status.ACTIVE}
