"""A lost tracking link is sent again, as a new link, to the address the case was sent with; the page answers
the same words whether or not the number and the address match, and is limited."""
from __future__ import annotations

import re

from sqlalchemy import select

from eurzad.cases.models import Case, CaseEvent, CaseNumber
from eurzad.extensions import db

from .test_anonymous import outbox, send_anonymously
from .test_citizen_journey import FORM, VALID

SAME_WORDS = "Jeśli ten znak sprawy i adres e-mail należą do formularza wysłanego bez konta"


def sent_case(app, client) -> tuple[str, str]:
    """Send a request anonymously as jan@example.pl; its number and its first tracking link."""
    _summary, response = send_anonymously(client, "Jan@Example.pl")
    with app.app_context():
        number = db.session.scalar(select(Case.number))
    return number, response.headers["Location"].split("?")[0]


def ask(client, number: str, email: str):
    return client.submit("/track/lost", {"number": number, "email": email})


def answer(response) -> str:
    page = response.get_data(as_text=True)
    return re.search(r'<main id="main" class="main" tabindex="-1">(.*)</main>', page, re.S).group(1)


def test_a_new_link_is_e_mailed_to_the_address_given_and_the_old_link_stops_working(app, client):
    number, old_link = sent_case(app, client)
    assert client.get(old_link).status_code == 200
    page = client.get("/track/lost").get_data(as_text=True)
    assert "Nie masz linku do swojej sprawy?" in page and "poprzedni link przestaje otwierać sprawę" in page

    response = ask(client, number.lower(), " jan@example.PL ")  # case and spaces do not matter
    assert response.status_code == 200 and SAME_WORDS in answer(response)
    assert "Od teraz działa tylko nowy link" in answer(response)
    *_, message = outbox(app)
    assert message.recipient == "Jan@Example.pl" and number in message.body
    new_link = re.search(r"http://127\.0\.0\.1:5000(/track/[\w-]+)", message.body).group(1)
    assert new_link != old_link and "Poprzedni link już nie działa" in message.body
    assert client.get(old_link).status_code == 404
    tracked = client.get(new_link).get_data(as_text=True)
    assert number in tracked and "Nowy link do śledzenia sprawy wysłany" in tracked  # in the case's history
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert new_link.split("/")[-1] not in case.tracking_digest  # again only the digest is kept
        assert db.session.scalar(select(CaseEvent.action).order_by(CaseEvent.id.desc())) == "case.link_renew"


def test_the_page_answers_the_same_words_for_a_wrong_number_or_address_and_sends_nothing(app, client, make_user):
    number, old_link = sent_case(app, client)
    right = answer(ask(client, number, "jan@example.pl"))
    mails = len(outbox(app))
    assert mails == 2  # the first link, and the new one
    wrong_number = ask(client, "OR.1431.99.2026", "jan@example.pl")
    wrong_address = ask(client, number, "ktos@example.pl")
    assert wrong_number.status_code == wrong_address.status_code == 200
    assert answer(wrong_number) == answer(wrong_address) == right
    assert len(outbox(app)) == mails  # nothing more was sent
    # A case sent from an account has no tracking link to renew, whatever address is given.
    citizen_client = app.test_client()
    citizen_client.login(make_user().email)
    citizen_client.send_form(FORM, VALID)
    with app.app_context():
        own = db.session.scalar(select(Case).where(Case.tracking_digest.is_(None)))
        address = own.submission.submitter.email
    mails += 1  # the account holder's confirmation of the filing
    assert answer(ask(client, own.number, address)) == right and len(outbox(app)) == mails


def test_the_form_says_what_is_missing(client):
    response = ask(client, "", "nie-adres")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Wpisz znak sprawy" in page and "Błąd:" in page


def test_asking_for_new_links_is_limited(app, client):
    for _ in range(5):
        assert ask(client, "OR.1431.1.2026", "jan@example.pl").status_code == 200
    limited = ask(client, "OR.1431.1.2026", "jan@example.pl")
    assert limited.status_code == 429 and "Zbyt wiele prób" in limited.get_data(as_text=True)


def test_the_number_the_case_had_before_it_was_forwarded_still_finds_it(app, client):
    number, _link = sent_case(app, client)
    with app.app_context():  # as forwarding does (decision 0025): a new number, the old one kept
        case = db.session.scalar(select(Case))
        db.session.add(CaseNumber(case_id=case.id, number=case.number, department=case.department, jrwa=case.jrwa,
                                  year=case.year, seq=case.seq))
        case.number, case.department, case.seq = f"FN.1431.1.{case.year}", "FN", 1
        db.session.commit()
    ask(client, number, "jan@example.pl")
    *_, message = outbox(app)
    assert message.recipient == "Jan@Example.pl" and "FN.1431.1." in message.body
