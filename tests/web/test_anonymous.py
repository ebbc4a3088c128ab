"""Forms that need no account: sent with an e-mail address for contact, followed by a secret link."""
from __future__ import annotations

import re

from sqlalchemy import select

from eurzad.auth.models import Role
from eurzad.cases.models import Case
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage

from .test_citizen_journey import FORM, VALID


def send_anonymously(client, email: str = "jan@example.pl"):
    summary = client.answer_pages(client.start(FORM), VALID)
    return summary, client.submit(summary, {"email": email})


def test_anyone_can_send_a_form_that_needs_no_account_and_follow_it_by_a_link(app, client):
    summary, response = send_anonymously(client)
    assert response.status_code == 303 and "/track/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    number = re.search(r'case-number">([^<]+)<', page).group(1)
    assert "Zachowaj adres tej strony" in page and "jan@example.pl" in page
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.submission.submitter_id is None and case.submission.identified_by == "anonymous"
        assert case.submission.contact_email == "jan@example.pl"
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == "jan@example.pl" and number in message.body
        link = re.search(r"(/track/\S+)", message.body).group(1)
        assert link.split("/")[-1] not in (case.tracking_digest or "")  # only the link's digest is stored
    tracked = client.get(link).get_data(as_text=True)
    assert number in tracked and "Urząd przyjął Twoje pismo" in tracked and "Jan Kowalski" not in tracked


def test_an_anonymous_sender_must_give_an_e_mail_address(client):
    summary, response = send_anonymously(client, email="")
    assert response.status_code == 400
    assert "Wpisz adres e-mail, aby urząd mógł Ci odpowiedzieć" in response.get_data(as_text=True)


def test_a_guessed_tracking_link_is_404_and_so_is_another_sessions_draft(client, app):
    assert client.get("/track/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    first = client.start(FORM)
    other = app.test_client()
    assert other.get(first).status_code == 404


def test_the_receipt_says_how_the_sender_was_identified(app, client, make_user):
    send_anonymously(client)
    clerk = make_user(Role.CLERK, department="OR")
    client.login(clerk.email)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
    receipt = client.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    assert "Bez identyfikacji: wysłano bez logowania" in receipt
    assert "To potwierdzenie otrzymał wnioskodawca" in receipt and "Twój formularz" not in receipt  # worded for staff
    inbox = client.get("/clerk/").get_data(as_text=True)
    assert "bez identyfikacji" in inbox


def test_the_tracking_page_shows_the_contact_address_only_to_the_browser_that_sent(app, client):
    summary, response = send_anonymously(client)
    assert "jan@example.pl" in client.get(response.headers["Location"]).get_data(as_text=True)
    stranger = app.test_client()
    assert "jan@example.pl" not in stranger.get(response.headers["Location"]).get_data(as_text=True)
