"""The citizen's account page: the identity as the front desk confirmed it, contact details the citizen changes,
and a new e-mail address that takes effect only through the link sent to it (decision 0028)."""
from __future__ import annotations

import re
import time
from email import message_from_bytes

from itsdangerous import TimestampSigner
from sqlalchemy import select

from eurzad.account.operations import email_change_token
from eurzad.auth.models import Role, User
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.outbox.operations import deliver_due
from eurzad.timeutil import utcnow

from ..conftest import PASSWORD
from .test_identity import log_out
from .test_identity_answers import PUBLIC_INFORMATION, reach

NEW = "zofia.nowa@example.pl"


def outbox(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(m.recipient, m.subject, m.body) for m in db.session.scalars(select(OutboxMessage)
                                                                              .order_by(OutboxMessage.id))]


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def ask_for(client, email: str = NEW, password: str = PASSWORD):
    return client.submit("/account/email", {"email": email, "password": password})


def link_in(app) -> str:
    """The confirmation link of the last message in the outbox, as a path."""
    return re.search(r"http://\S+(/account/email/confirm/\S+)", outbox(app)[-1][2]).group(1)


def test_the_account_page_shows_the_confirmed_identity_and_how_it_was_confirmed(client, make_confirmed_citizen):
    citizen = make_confirmed_citizen()
    client.login(citizen.email)
    home = client.get("/cases/").get_data(as_text=True)
    assert 'href="/account/"' in home and "Moje konto" in home
    page = client.get("/account/").get_data(as_text=True)
    assert "Zofia Wiśniewska" in page and "44051401359" in page
    assert re.search(r"W urzędzie, \d+ \w+ \d{4}, na podstawie dokumentu: Dowód osobisty o numerze kończącym się "
                     r"na 7X1Q", page)
    assert citizen.email in page and "+48 600 100 200" in page and "ul. Grodzka 5, 38-400 Krosno" in page
    assert 'href="/account/email"' in page and 'href="/account/contact"' in page


def test_an_account_without_an_id_check_says_its_identity_is_not_confirmed(citizen_client):
    page = citizen_client.get("/account/").get_data(as_text=True)
    assert "Nie potwierdzono jej w urzędzie na podstawie dokumentu" in page
    assert citizen_client.user.full_name in page


def test_the_phone_and_home_address_are_changed_and_new_drafts_are_filled_in_with_them(
        client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    form = client.get("/account/contact").get_data(as_text=True)
    assert 'value="+48 600 100 200"' in form and 'value="ul. Grodzka 5"' in form
    refused = client.submit("/account/contact", {"phone": "12", "street": "ul. Lwowska 1", "postcode": "38400",
                                                 "city": "Krosno"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'href="#postcode"' in page and "w formacie 00-000" in page
    saved = client.submit("/account/contact", {"phone": "+48 13 432 10 10", "street": "ul. Lwowska 1",
                                               "postcode": "38-400", "city": "Krosno"}, follow_redirects=True)
    assert "Dane kontaktowe są zapisane" in saved.get_data(as_text=True)
    assert "ul. Lwowska 1, 38-400 Krosno" in saved.get_data(as_text=True)
    contact = client.get(reach(client, "public-information", "contact", PUBLIC_INFORMATION)).get_data(as_text=True)
    assert 'type="tel" value="+48 13 432 10 10"' in contact


def test_a_new_e_mail_address_takes_effect_only_through_the_link_and_the_old_one_is_told(
        app, client, make_confirmed_citizen, smtp_server):
    citizen = make_confirmed_citizen()
    client.login(citizen.email)

    wrong = ask_for(client, password="not my password at all")
    assert wrong.status_code == 400 and "Hasło jest nieprawidłowe" in wrong.get_data(as_text=True)
    assert outbox(app) == []

    asked = ask_for(client, email=" Zofia.Nowa@Example.PL ")
    assert asked.status_code == 303
    assert NEW in client.get("/account/").get_data(as_text=True)  # the notice says where the link went
    [(recipient, subject, body)] = outbox(app)
    assert recipient == NEW and subject == "Potwierdź nowy adres e-mail"
    assert email_of(app, citizen.id) == citizen.email  # nothing changes until the link is opened
    with app.app_context():
        settings = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
        assert deliver_due(settings, utcnow()) == (1, 0)
    [envelope] = smtp_server.messages
    link = re.search(r"http://\S+(/account/email/confirm/\S+)",
                     message_from_bytes(envelope.content).get_payload(decode=True).decode()).group(1)

    opened = client.get(link).get_data(as_text=True)  # a mail program that opens the link changes nothing
    assert NEW in opened and "Potwierdź nowy adres" in opened and email_of(app, citizen.id) == citizen.email
    confirmed = client.submit(link, follow_redirects=True)
    assert f"Twój adres e-mail to teraz {NEW}" in confirmed.get_data(as_text=True)  # still logged in
    assert email_of(app, citizen.id) == NEW
    notice = outbox(app)[-1]
    assert notice[0] == citizen.email and notice[1] == "Adres e-mail został zmieniony" and NEW in notice[2]

    again = client.get(link)
    assert again.status_code == 410 and "Ten link już nie działa" in again.get_data(as_text=True)
    log_out(client)
    assert client.submit("/login", {"login": citizen.email, "password": PASSWORD}).status_code == 400
    client.login(NEW)
    log_out(client)
    client.login("44051401359")


def test_an_expired_or_forged_link_says_it_no_longer_works_and_changes_nothing(
        app, client, make_confirmed_citizen, monkeypatch):
    citizen = make_confirmed_citizen()
    client.login(citizen.email)
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 25 * 3600)
    with app.app_context():
        expired = email_change_token(db.session.get(User, citizen.id), NEW, app.config["SECRET_KEY"])
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    with app.app_context():
        forged = email_change_token(db.session.get(User, citizen.id), NEW, "not the office's key")
    for token in (expired, forged, "abc"):
        page = client.get(f"/account/email/confirm/{token}")
        text = page.get_data(as_text=True)
        assert page.status_code == 410 and "Ten link już nie działa" in text and "Adres e-mail się nie zmienił" in text
        assert client.submit(f"/account/email/confirm/{token}", token_from="/account/").status_code == 410
    assert email_of(app, citizen.id) == citizen.email


def test_another_citizens_link_is_404_and_a_visitor_is_sent_to_log_in(app, client, make_confirmed_citizen,
                                                                       make_user):
    citizen = make_confirmed_citizen()
    client.login(citizen.email)
    ask_for(client)
    link = link_in(app)
    log_out(client)
    assert client.get(link).headers["Location"].startswith("/login")
    client.login(make_user().email)
    assert client.get(link).status_code == 404
    assert client.submit(link, token_from="/account/").status_code == 404
    log_out(client)
    client.login(make_user(Role.CLERK, department="OR").email)
    # Staff confirm links to their own accounts here too (an administrator's change): another's is no page.
    assert client.get(link).status_code == 404 and client.get("/account/").status_code == 403
    assert email_of(app, citizen.id) == citizen.email


def test_an_address_another_account_has_is_refused_when_asked_and_when_confirmed(
        app, client, make_confirmed_citizen, make_user):
    citizen, other = make_confirmed_citizen(), make_user()
    client.login(citizen.email)
    taken = ask_for(client, email=other.email)
    assert taken.status_code == 400 and "Ten adres e-mail ma już inne konto" in taken.get_data(as_text=True)
    same = ask_for(client, email=citizen.email.upper())
    assert same.status_code == 400 and "To jest już Twój adres e-mail" in same.get_data(as_text=True)
    ask_for(client)
    link = link_in(app)
    make_user(email=NEW)  # someone takes the address before the link is opened
    refused = client.submit(link)
    assert refused.status_code == 409 and "Ten adres e-mail ma już inne konto" in refused.get_data(as_text=True)
    assert email_of(app, citizen.id) == citizen.email


def test_the_account_forms_need_the_csrf_token(client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    assert client.post("/account/email", data={"email": NEW, "password": PASSWORD}).status_code == 400
    assert client.post("/account/contact", data={"street": "x", "postcode": "38-400", "city": "K"}).status_code == 400
