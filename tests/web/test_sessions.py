"""Logout and a new password really end a session, wherever its cookie went (decision 0042); a password link
carries nothing of the password's hash and dies once the password changes."""
from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer

from eurzad.admin.operations import set_active
from eurzad.auth.models import Role, User
from eurzad.auth.operations import activate, derived_code, reset_token
from eurzad.extensions import db
from eurzad.frontdesk.operations import IdCheck, Press, restore_access
from eurzad.timeutil import utcnow

from ..conftest import PASSWORD
from .test_identity import NEW_PASSWORD, log_out

LOGGED_IN_PAGE = "/password"  # any page that needs a log-in


def copy_of(client, app):
    """Another browser holding a copy of `client`'s session cookie (a stolen or synced cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def shows_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_cookie_copied_before_logout_gets_the_login_page_afterwards(app, client, make_user):
    client.login(make_user().email)
    thief = copy_of(client, app)
    assert thief.get(LOGGED_IN_PAGE).status_code == 200, "the copy works while the session lives"
    log_out(client)
    assert shows_login(thief.get(LOGGED_IN_PAGE))
    assert shows_login(client.get(LOGGED_IN_PAGE))


def test_logout_ends_the_accounts_sessions_on_every_device(app, client, make_user):
    user = make_user()
    client.login(user.email)
    phone = app.test_client()
    phone.login(user.email)
    log_out(client)
    assert shows_login(phone.get(LOGGED_IN_PAGE))
    phone.login(user.email)  # logging in again works at once
    assert phone.get(LOGGED_IN_PAGE).status_code == 200


def test_a_password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it(app, client, make_user):
    user = make_user()
    client.login(user.email)
    elsewhere = app.test_client()
    elsewhere.login(user.email)
    thief = copy_of(client, app)
    changed = client.submit("/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 303
    assert client.get(LOGGED_IN_PAGE).status_code == 200
    assert shows_login(elsewhere.get(LOGGED_IN_PAGE)) and shows_login(thief.get(LOGGED_IN_PAGE))


def test_a_password_set_from_a_reset_link_ends_every_session(app, client, make_user):
    user = make_user()
    client.login(user.email)
    with app.app_context():
        token = reset_token(db.session.get(User, user.id), app.config["SECRET_KEY"])
    stranger = app.test_client()
    assert stranger.submit(f"/password/reset/{token}", {"password": NEW_PASSWORD,
                                                        "confirm": NEW_PASSWORD}).status_code == 303
    assert shows_login(client.get(LOGGED_IN_PAGE))


def test_a_deactivated_clerk_is_logged_out_and_stays_so_once_given_the_account_back(app, client, make_user):
    clerk = make_user(Role.CLERK, department="OR")
    client.login(clerk.email)
    admin = make_user(Role.ADMIN)
    with app.app_context():
        set_active(db.session.get(User, admin.id), db.session.get(User, clerk.id), False, utcnow())
    assert shows_login(client.get(LOGGED_IN_PAGE))
    with app.app_context():
        set_active(db.session.get(User, admin.id), db.session.get(User, clerk.id), True, utcnow())
    assert shows_login(client.get(LOGGED_IN_PAGE)), "the session from before the block does not come back"


def test_a_session_from_before_the_front_desk_cleared_the_password_does_not_come_back_with_the_new_one(
        app, client, make_user):
    citizen, desk = make_user(), make_user(Role.FRONT_DESK, department="BOI")
    client.login(citizen.email)
    with app.app_context():
        press = Press(derived_code(app.config["SECRET_KEY"], "activation", citizen.id, "press"), 0)
        code = restore_access(db.session.get(User, citizen.id), db.session.get(User, desk.id),
                              IdCheck("id_card", "ABC123456"), "active", press, utcnow(), 72)
    assert shows_login(client.get(LOGGED_IN_PAGE))
    with app.app_context():
        assert activate(citizen.email, code, NEW_PASSWORD, utcnow()) is not None
    assert shows_login(client.get(LOGGED_IN_PAGE))


def test_a_session_from_before_session_generations_is_no_session(client, make_user):
    user = make_user()
    client.login(user.email)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what the cookie held before: the account's id alone
    assert shows_login(client.get(LOGGED_IN_PAGE))


def token_for(app, user) -> str:
    with app.app_context():
        return reset_token(db.session.get(User, user.id), app.config["SECRET_KEY"])


def test_a_reset_link_carries_the_account_and_the_time_and_nothing_of_the_password_hash(app, make_user):
    user = make_user()
    token = token_for(app, user)
    with app.app_context():
        password_hash = db.session.get(User, user.id).password_hash
    _, payload = URLSafeTimedSerializer(app.config["SECRET_KEY"]).loads_unsafe(token)
    assert payload == {"user": user.id}
    pieces = {password_hash[i:i + 6] for i in range(len(password_hash) - 5)}
    assert not [piece for piece in pieces if piece in token]


def test_a_reset_link_stops_working_once_the_password_is_changed_another_way(app, client, make_user):
    user = make_user()
    token = token_for(app, user)
    assert client.get(f"/password/reset/{token}").status_code == 200
    client.login(user.email)
    assert client.submit("/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD}).status_code == 303
    stale = app.test_client().get(f"/password/reset/{token}")
    assert stale.status_code == 410 and "Ten link już nie działa" in stale.get_data(as_text=True)


def signed_payload(app, payload) -> str:
    """A token of the right shape, signed with the app's key but not over any account's hash."""
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset:").dumps(payload)


@pytest.mark.parametrize("tamper", [
    lambda token, user, app: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # the signature
    lambda token, user, app: "eyJ1c2VyIjo5OTl9" + token[token.index("."):],  # another account's id, same signature
    lambda token, user, app: "not-a-token",
    lambda token, user, app: "....",
    lambda token, user, app: signed_payload(app, {"user": 2**70}),
    lambda token, user, app: signed_payload(app, {"user": str(user.id)}),
    lambda token, user, app: signed_payload(app, [user.id]),
])
def test_a_tampered_reset_link_is_refused_with_the_plain_page(app, client, make_user, tamper):
    user = make_user()
    bad = tamper(token_for(app, user), user, app)
    page = client.get(f"/password/reset/{bad}")
    assert page.status_code == 410 and "Ten link już nie działa" in page.get_data(as_text=True)
    post = client.post(f"/password/reset/{bad}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                                       "csrf_token": client.csrf_token("/login")})
    assert post.status_code == 410
