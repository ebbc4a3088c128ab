"""The seed's promise: register online, one visit with an ID card, then log in and send forms."""
from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes

from sqlalchemy import func, select, update

from eurzad.audit.models import AuditEvent
from eurzad.auth.models import ActivationCode, IdentityCheck, Role, Status, User
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.outbox.operations import deliver_due
from eurzad.timeutil import utcnow

from ..conftest import PASSWORD
from .test_citizen_journey import FORM, VALID

PESEL = "44051401359"
NEW_PASSWORD = "zielona herbata o poranku"
REGISTRATION = {"full_name": "Zofia Wiśniewska", "pesel": PESEL, "email": "zofia@example.pl",
                "phone": "+48 600 100 200", "street": "ul. Grodzka 5", "postcode": "38-400", "city": "Krosno",
                "consent": "y"}


def log_out(client) -> None:
    client.post("/logout", data={"csrf_token": client.csrf_token("/login")})


def register(client, **changes) -> str:
    response = client.submit("/register", {**REGISTRATION, **changes})
    assert response.status_code == 303, re.findall(r'error-message">.*?</span> (.*?)</p>', response.get_data(True))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'case-number">([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)


def verify_at_front_desk(client, make_user, code: str) -> str:
    """A front-desk clerk finds the registration by its code and confirms the identity; the activation code."""
    log_out(client)
    client.login(make_user(Role.FRONT_DESK, department="BOI").email)
    found = client.get(f"/front-desk/?q={code}").get_data(as_text=True)
    user_url = re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)
    page = client.submit(f"{user_url}/verify", {"verify-document_type": "id_card", "verify-document_suffix": "7X1Q",
                                                "verify-matches": "y"}, token_from=user_url)
    activation = re.search(r'case-number">([A-Z0-9]{4}-[A-Z0-9]{4})<', page.get_data(as_text=True))
    assert activation, page.get_data(as_text=True)[-2000:]
    log_out(client)
    return activation.group(1)


def test_register_verify_activate_log_in_send_and_see_the_case(app, client, make_user):
    code = register(client)
    assert client.submit("/login", {"login": PESEL, "password": "anything at all"}).status_code == 400
    activation = verify_at_front_desk(client, make_user, code)
    response = client.submit("/activate", {"login": PESEL, "code": activation.lower(), "password": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    client.login(PESEL, NEW_PASSWORD)
    case_id = client.send_form(FORM, VALID).headers["Location"].split("/")[2]
    page = client.get("/cases/").get_data(as_text=True)
    assert re.search(r"OR\.1431\.1\.\d{4}", page) and f"/cases/{case_id}" in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.pesel == PESEL))
        check = db.session.scalar(select(IdentityCheck))
        assert user.status == Status.ACTIVE and check.document_suffix == "7X1Q" and check.document_type == "id_card"
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id))]
        assert actions == ["user.register", "identity.verify", "activation.issue", "user.activate"]


def test_registration_refuses_a_wrong_pesel_and_a_second_account(client):
    page = client.submit("/register", {**REGISTRATION, "pesel": "44051401358"}).get_data(as_text=True)
    assert "Wpisz poprawny, 11-cyfrowy numer PESEL" in page
    register(client)
    again = client.submit("/register", {**REGISTRATION, "email": "inny@example.pl"}).get_data(as_text=True)
    assert "Konto z tym numerem PESEL już istnieje" in again
    same_mail = client.submit("/register", {**REGISTRATION, "pesel": "02070803628"}).get_data(as_text=True)
    assert "Konto z tym adresem e-mail już istnieje" in same_mail or "PESEL" in same_mail
    missing = client.submit("/register", {**REGISTRATION, "consent": ""})
    assert missing.status_code == 400 and "Zaznacz to pole, aby przejść dalej" in missing.get_data(as_text=True)


def test_an_activation_code_works_once_and_not_after_it_expires(app, client, make_user):
    activation = verify_at_front_desk(client, make_user, register(client))
    wrong = client.submit("/activate", {"login": PESEL, "code": "AAAA-BBBB", "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "Ten kod aktywacyjny jest nieprawidłowy" in wrong.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(ActivationCode).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    late = client.submit("/activate", {"login": PESEL, "code": activation, "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert late.status_code == 400
    with app.app_context():
        db.session.execute(update(ActivationCode).values(expires_at=utcnow() + timedelta(hours=1)))
        db.session.commit()
    ok = client.submit("/activate", {"login": PESEL, "code": activation, "password": NEW_PASSWORD,
                                     "confirm": NEW_PASSWORD})
    assert ok.status_code == 303
    reused = client.submit("/activate", {"login": PESEL, "code": activation, "password": NEW_PASSWORD + "x",
                                         "confirm": NEW_PASSWORD + "x"})
    assert reused.status_code == 400


def test_a_weak_password_is_refused_with_a_reason(client, make_user):
    activation = verify_at_front_desk(client, make_user, register(client))
    for password, message in (("krótkie", "Użyj co najmniej 12 znaków"),
                              ("qwertyuiop123", "To hasło jest zbyt popularne"),
                              (f"moje {PESEL} hasło", "Nie używaj w haśle adresu e-mail ani numeru PESEL")):
        page = client.submit("/activate", {"login": PESEL, "code": activation, "password": password,
                                           "confirm": password}).get_data(as_text=True)
        assert message in page, password


def test_the_front_desk_can_reject_and_a_rejected_account_cannot_log_in(app, client, make_user):
    code = register(client)
    log_out(client)
    client.login(make_user(Role.FRONT_DESK, department="BOI").email)
    found = client.get(f"/front-desk/?q={PESEL}").get_data(as_text=True)
    url = re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)
    empty = client.submit(f"{url}/reject", {"reject-reason": ""}, token_from=url)
    assert empty.status_code == 400 and "Wpisz powód" in empty.get_data(as_text=True)
    client.submit(f"{url}/reject", {"reject-reason": "Zdjęcie nie przypomina osoby."}, token_from=url)
    assert code not in client.get("/front-desk/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.pesel == PESEL)).status == Status.REJECTED


def test_log_in_is_limited_per_account_and_says_the_same_for_unknown_accounts(client, make_user):
    user = make_user()
    messages = set()
    for _ in range(5):
        page = client.submit("/login", {"login": user.email, "password": "wrong password!"})
        assert page.status_code == 400
        messages.add(re.search(r'error-message">.*?</span> (.*?)</p>', page.get_data(as_text=True)).group(1))
    unknown = client.submit("/login", {"login": "nobody@example.pl", "password": "wrong password!"})
    messages.add(re.search(r'error-message">.*?</span> (.*?)</p>', unknown.get_data(as_text=True)).group(1))
    assert messages == {"Adres e-mail, numer PESEL lub hasło są nieprawidłowe"}
    blocked = client.submit("/login", {"login": user.email, "password": PASSWORD})
    assert blocked.status_code == 429 and "Zbyt wiele prób" in blocked.get_data(as_text=True)


def test_log_in_starts_a_new_session_with_safe_cookie_flags(client, make_user):
    user = make_user()
    client.get("/login")
    before = client.get_cookie("session").value
    response = client.login(user.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert client.get_cookie("session").value != before


def test_a_password_is_changed_with_the_current_one(client, make_user):
    user = make_user()
    client.login(user.email)
    wrong = client.submit("/password", {"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "Obecne hasło jest nieprawidłowe" in wrong.get_data(as_text=True)
    assert client.submit("/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD}).status_code == 303
    log_out(client)
    client.login(user.email, NEW_PASSWORD)


def test_a_reset_link_goes_by_e_mail_through_the_outbox_and_works_once(app, client, make_user, smtp_server):
    user = make_user()
    page = client.submit("/password/forgot", {"login": user.email}).get_data(as_text=True)
    nobody = client.submit("/password/forgot", {"login": "nobody@example.pl"}).get_data(as_text=True)
    assert "Sprawdź pocztę e-mail" in page and "Sprawdź pocztę e-mail" in nobody
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        settings = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
        assert deliver_due(settings, utcnow()) == (1, 0)
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == [user.email]
    body = message_from_bytes(envelope.content).get_payload(decode=True).decode()
    link = re.search(r"http://\S+(/password/reset/\S+)", body).group(1)
    assert client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    again = client.get(link)
    assert again.status_code == 410 and "Ten link już nie działa" in again.get_data(as_text=True)
    client.login(user.email, NEW_PASSWORD)


def test_the_worker_retries_when_the_mail_server_is_down(app, client, make_user, smtp_server):
    user = make_user()
    client.submit("/password/forgot", {"login": user.email})
    with app.app_context():
        down = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1}
        assert deliver_due(down, utcnow()) == (0, 1)
        message = db.session.scalar(select(OutboxMessage))
        assert message.attempts == 1 and message.sent_at is None and message.last_error
        assert deliver_due(down, utcnow()) == (0, 0), "not retried before its time"
        up = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
        assert deliver_due(up, utcnow() + timedelta(minutes=2)) == (1, 0)
    assert len(smtp_server.messages) == 1


def test_a_registration_handled_meanwhile_is_not_handled_again_from_a_stale_page(app, client, make_user):
    code = register(client)
    log_out(client)
    client.login(make_user(Role.FRONT_DESK, department="BOI").email)
    found = client.get(f"/front-desk/?q={code}").get_data(as_text=True)
    url = re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)
    token = client.csrf_token(url)  # two tabs open on the same registration
    client.post(f"{url}/reject", data={"reject-reason": "Zdjęcie nie przypomina osoby.", "csrf_token": token})
    stale = client.post(f"{url}/verify", data={"verify-document_type": "id_card", "verify-document_suffix": "7X1Q",
                                               "verify-matches": "y", "csrf_token": token})
    assert stale.status_code == 409 and "Ta rejestracja została już rozpatrzona" in stale.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.pesel == PESEL))
        assert user.status == Status.REJECTED
        assert db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == user.id)) is None
