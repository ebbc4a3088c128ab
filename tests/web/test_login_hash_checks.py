"""Log-in takes as long for every account state: each attempt checks exactly one password hash of the same cost,
whether the account is unknown, waits for its ID check, waits for its password, was rejected, is active or is
deactivated (issue 11). Counted, not timed: timings on a shared machine are noise."""
from __future__ import annotations

import pytest
from sqlalchemy import update
from werkzeug import security

from eurzad.auth import models
from eurzad.auth.models import Status, User
from eurzad.extensions import db

from ..conftest import PASSWORD

MESSAGE = "Adres e-mail, numer PESEL lub hasło są nieprawidłowe"


@pytest.fixture()
def hash_checks(monkeypatch) -> list[str]:
    """The hashes checked during the test, in order (the real check runs: its cost is what is compared)."""
    checked: list[str] = []

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash.split("$")[0])
        return security.check_password_hash(password_hash, password)
    monkeypatch.setattr(models, "check_password_hash", counting)
    return checked


def account_in(app, make_user, status: Status, with_password: bool) -> User:
    """An account as the real steps leave it in `status`: no password until it is activated."""
    user = make_user()
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            status=status, password_hash=User.password_hash if with_password else None))
        db.session.commit()
    return user


@pytest.mark.parametrize(("status", "with_password"), [
    (Status.PENDING, False), (Status.VERIFIED, False), (Status.REJECTED, False), (Status.ACTIVE, True),
    (Status.DEACTIVATED, True), (Status.VERIFIED, True)])
def test_every_account_state_checks_one_password_hash_per_log_in(app, client, make_user, hash_checks, status,
                                                                  with_password):
    user = account_in(app, make_user, status, with_password)
    token = client.csrf_token("/login")
    hash_checks.clear()
    response = client.post("/login", data={"login": user.email, "password": "not the password", "csrf_token": token})
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    assert len(hash_checks) == 1


def test_an_unknown_e_mail_or_pesel_checks_one_hash_too(client, make_user, hash_checks):
    make_user()
    token = client.csrf_token("/login")
    for login in ("nobody@example.pl", "44051401359"):
        response = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token})
        assert MESSAGE in response.get_data(as_text=True)
    assert len(hash_checks) == 2


def test_the_stand_in_hash_costs_what_a_real_one_costs(app, client, make_user, hash_checks):
    real = make_user()
    pending = account_in(app, make_user, Status.PENDING, with_password=False)
    for user in (real, pending):
        client.post("/login", data={"login": user.email, "password": "wrong password",
                                    "csrf_token": client.csrf_token("/login")})
    assert len(hash_checks) == 2 and hash_checks[0] == hash_checks[1], "same method and cost parameters"


def test_the_right_password_of_an_account_that_cannot_log_in_still_fails(app, client, make_user):
    user = account_in(app, make_user, Status.DEACTIVATED, with_password=True)
    response = client.submit("/login", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
