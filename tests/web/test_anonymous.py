"""Forms that need no account: sent with an e-mail address for contact, asked once, or kept as a link alone."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from eurzad.auth.models import Role
from eurzad.cases.models import Case
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage

from .test_citizen_journey import FORM, VALID

ROOT = Path(__file__).resolve().parents[2]
FAULT = yaml.safe_load((ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8"))["post"]


def send_anonymously(client, email: str = "jan@example.pl"):
    """Send the public-information request without an account; its own e-mail question gives the address."""
    summary = client.answer_pages(client.start(FORM), {**VALID, "email": email})
    return summary, client.submit(summary)


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


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
        assert "/track/lost" in message.body  # where to ask for a new one
    tracked = client.get(link).get_data(as_text=True)
    assert number in tracked and "Urząd przyjął Twoje pismo" in tracked and "Jan Kowalski" not in tracked


def test_a_form_with_its_own_e_mail_question_asks_the_address_once(app, client):
    """public-information asks the e-mail among its questions (`contact.field`): the summary asks nothing more,
    and the question itself is what must be answered."""
    start = client.start(FORM)
    refused = client.answer_pages(start, {**VALID, "email": ""})
    assert refused.status_code == 400 and "Wpisz adres e-mail" in refused.get_data(as_text=True)
    summary = client.answer_pages(start, {**VALID, "email": "ala@example.pl"})
    page = client.get(summary).get_data(as_text=True)
    assert 'id="contact_email"' not in page and page.count('type="email"') == 0
    assert client.submit(summary).status_code == 303
    [message] = outbox(app)
    assert message.recipient == "ala@example.pl"


def test_the_fault_report_asks_the_e_mail_once_and_mails_the_link_to_that_answer(app, client):
    summary = client.answer_pages(client.start("fault-report"), FAULT)
    page = client.get(summary).get_data(as_text=True)
    assert FAULT["email"] in page  # among the answers, with "Change"
    assert 'id="contact_email"' not in page and "Twój adres e-mail" not in page
    response = client.submit(summary)
    assert response.status_code == 303
    [message] = outbox(app)
    assert message.recipient == FAULT["email"] and "/track/" in message.body


def test_a_fault_reported_without_an_e_mail_address_shows_the_link_to_keep_and_sends_nothing(app, client):
    summary = client.answer_pages(client.start("fault-report"), {**FAULT, "email": ""})
    response = client.submit(summary)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = response.headers["Location"].split("/track/")[1].split("?")[0]
    link = f"http://127.0.0.1:5000/track/{token}"  # the office's public address (SITE_URL), not the request's
    assert f'<code id="tracking-link">{link}</code>' in page
    assert "Nie podano adresu e-mail" in page or "nie wysłaliśmy tego linku nigdzie" in page
    assert 'data-copy="tracking-link"' in page and "Kopiuj link" in page  # shown by keep-link.js
    assert f'href="/track/{token}/slip"' in page and "Wydrukuj kartkę z linkiem" in page
    assert outbox(app) == []
    with app.app_context():
        assert db.session.scalar(select(Case)).submission.contact_email is None
    slip = client.get(f"/track/{token}/slip").get_data(as_text=True)
    assert link in slip and "Ctrl+P" in slip and 'class="slip"' in slip
    assert client.get("/track/AAAAAAAAAAAAAAAAAAAAAA/slip").status_code == 404
    again = client.get(f"/track/{token}").get_data(as_text=True)
    assert "tracking-link" not in again  # shown right after sending; the slip page stays


def test_the_office_sees_a_report_without_contact_details_as_such(app, client, make_user):
    client.submit(client.answer_pages(client.start("fault-report"), {**FAULT, "email": ""}))
    client.login(make_user(Role.CLERK, department="DR").email)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "bez danych kontaktowych: wnioskodawca śledzi sprawę tylko przez link" in page and "None" not in page
    receipt = client.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    assert "Bez identyfikacji: wysłano bez logowania i bez danych kontaktowych" in receipt and "None" not in receipt


def test_without_contact_the_summary_asks_the_address_and_contact_optional_makes_it_optional(
        another_app, tmp_path, client):
    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "form_definitions", defs)
    source = (defs / "public-information.yaml").read_text(encoding="utf-8")
    (defs / "public-information.yaml").write_text(source.replace("contact:\n  field: email\n", ""), encoding="utf-8")
    asks = another_app(DEFINITIONS_DIR=str(defs)).test_client()
    summary = asks.answer_pages(asks.start(FORM), VALID)
    assert 'id="contact_email"' in asks.get(summary).get_data(as_text=True)
    refused = asks.submit(summary, {"email": ""})
    assert refused.status_code == 400
    assert "Wpisz adres e-mail, aby urząd mógł Ci odpowiedzieć" in refused.get_data(as_text=True)
    assert asks.submit(summary, {"email": "ola@example.pl"}).status_code == 303

    (defs / "public-information.yaml").write_text(source.replace("contact:\n  field: email\n",  # a new version:
                                                                 "contact:\n  optional: true\n")  # cases were filed
                                                  .replace("version: 2", "version: 3"), encoding="utf-8")
    optional = another_app(DEFINITIONS_DIR=str(defs)).test_client()
    summary = optional.answer_pages(optional.start(FORM), VALID)
    assert "(opcjonalnie)" in optional.get(summary).get_data(as_text=True)
    sent = optional.submit(summary, {"email": ""})
    assert sent.status_code == 303 and "tracking-link" in optional.get(sent.headers["Location"]).get_data(True)
    with optional.application.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1  # only the first form's


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
