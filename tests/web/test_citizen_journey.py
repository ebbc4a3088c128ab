"""A citizen starts a form, answers it page by page, checks the answers, sends it and gets a case number."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import rfc8785
from sqlalchemy import func, select, update

from eurzad.auth.models import Role
from eurzad.cases.models import Case, CaseEvent, DefinitionSnapshot, Submission
from eurzad.drafts.models import Draft
from eurzad.extensions import db
from eurzad.timeutil import utcnow

FORM = "public-information"
VALID = {
    "full_name": "Jan Kowalski", "email": "jan.kowalski@example.pl", "phone": "+48 13 474 33 00",
    "address-street": "ul. Grodzka 5", "address-postcode": "38-400", "address-city": "Krosno",
    "information_requested": "Proszę o rejestr umów zawartych przez urząd w 2025 roku.",
    "delivery_method": "post", "preferred_format": "pdf",
}


def field_block(page: str, field_id: str) -> str:
    """The markup of one question: from its form group to the next one."""
    start = page.index(f'id="{field_id}"')
    group = page.rfind('<div class="form-group', 0, start)
    end = page.find('<div class="form-group', start)
    return page[group:end if end != -1 else len(page)]


def send(client, answers: dict = VALID) -> int:
    """Fill and send the public-information form; the id of the case it opened."""
    response = client.send_form(FORM, answers)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].split("/")[2])


def page_path(location: str, page_id: str) -> str:
    return location.rsplit("/", 1)[0] + "/" + page_id


def test_catalogue_lists_the_forms_and_each_has_a_start_page_with_its_service_card(client):
    page = client.get("/").get_data(as_text=True)
    assert "Wniosek o udostępnienie informacji publicznej" in page and 'href="/forms/public-information"' in page
    start = client.get("/forms/public-information").get_data(as_text=True)
    assert "Wydział Organizacyjny" in start and "14 dni" in start and "o dostępie do informacji publicznej" in start
    assert "Ten formularz możesz wysłać bez konta" in start
    assert "Zaloguj się, aby rozpocząć" in client.get("/forms/waste-declaration").get_data(as_text=True)


def test_an_anonymous_visitor_is_asked_to_log_in_to_start_a_form_that_needs_an_account(client):
    response = client.submit("/forms/waste-declaration/start", token_from="/login")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_each_page_asks_its_questions_with_labels_a_step_count_and_no_browser_validation(citizen_client):
    first = citizen_client.start(FORM)
    page = citizen_client.get(first).get_data(as_text=True)
    assert "novalidate" in page and "Krok 1 z 4" in page
    assert '<h1 class="heading-in-label">Jakiej informacji potrzebujesz?</h1>' in page
    for input_id in re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page):
        assert f'for="{input_id}"' in page, f"no label for {input_id}"
    assert 'href="/forms/public-information"' in page  # the back link leads to the start page


def test_errors_are_shown_by_their_fields_with_a_summary_and_values_are_kept(citizen_client):
    location = citizen_client.answer_pages(citizen_client.start(FORM), {**VALID, "email": "jan.kowalski"})
    page = location.get_data(as_text=True)
    assert location.status_code == 400
    assert "<title>Błąd: Twoje dane kontaktowe – Wniosek o udostępnienie informacji publicznej" in page
    start = page.index('class="error-summary"')
    summary = page[start:page.index("</ul>", start)]
    assert 'href="#email"' in summary and "Wpisz adres e-mail w poprawnym formacie" in summary
    email = field_block(page, "email")
    assert "Wpisz adres e-mail w poprawnym formacie" in email
    assert 'aria-describedby="email-hint email-error"' in email and 'value="jan.kowalski"' in email
    assert 'value="Jan Kowalski"' in page


def test_the_address_page_is_asked_only_for_delivery_by_post_and_then_required(citizen_client):
    by_email = citizen_client.answer_pages(citizen_client.start(FORM), {**VALID, "delivery_method": "email"})
    summary = citizen_client.get(by_email).get_data(as_text=True)
    assert "Adres do korespondencji" not in summary
    refused = citizen_client.answer_pages(citizen_client.start(FORM), {
        **VALID, "address-street": "", "address-postcode": "", "address-city": ""})
    assert refused.status_code == 400
    assert "Podaj adres, jeśli odpowiedź ma przyjść pocztą" in refused.get_data(as_text=True)


def test_hidden_answers_are_neither_validated_nor_stored(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    delivery = page_path(summary.replace("/check", "/pages/x"), "delivery") + "?return=check"
    response = citizen_client.submit(delivery, {"delivery_method": "email", "preferred_format": "pdf"})
    assert response.headers["Location"] == summary  # a change returns to the summary
    assert "Grodzka" not in citizen_client.get(summary).get_data(as_text=True)
    assert citizen_client.submit(summary).status_code == 303
    with app.app_context():
        stored = json.loads(db.session.scalar(select(Submission)).data_json)
    assert "address" not in stored and stored["delivery_method"] == "email"


def test_pages_cannot_be_answered_out_of_order(citizen_client):
    first = citizen_client.start(FORM)
    response = citizen_client.submit(page_path(first, "contact"), {"full_name": "X", "email": "x@example.pl"},
                                     token_from=first)
    assert response.status_code == 303 and response.headers["Location"] == first
    assert citizen_client.get(page_path(first, "no-such-page")).headers["Location"] == first
    assert citizen_client.get(first.replace("/pages/request", "/check")).headers["Location"] == first


def test_the_summary_shows_every_answer_with_change_links_the_declaration_and_privacy_notice(citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    page = citizen_client.get(summary).get_data(as_text=True)
    assert "Sprawdź odpowiedzi przed wysłaniem" in page
    for shown in ("Jan Kowalski", "Pocztą", "38-400", "Plik PDF", "rejestr umów"):
        assert shown in page
    assert page.count(">Zmień<") >= 7 and "?return=check" in page
    assert "oświadczasz, że podane w nim dane są prawdziwe" in page
    assert "Administratorem Twoich danych osobowych jest Prezydent Miasta Krosna" in page


def test_sending_gives_a_confirmation_with_number_and_deadline_and_a_receipt(app, citizen_client):
    response = citizen_client.send_form(FORM, VALID)
    assert response.status_code == 303 and response.headers["Location"].endswith("/sent")
    page = citizen_client.get(response.headers["Location"]).get_data(as_text=True)
    number = re.search(r'case-number">(OR\.1431\.1\.\d{4})<', page)
    assert number and "Urząd powinien załatwić sprawę do" in page and "Wydział Organizacyjny" in page
    receipt = citizen_client.get(response.headers["Location"].replace("/sent", "/receipt")).get_data(as_text=True)
    assert number.group(1) in receipt and "wersja 2" in receipt
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        data = json.loads(submission.data_json)
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0, "sending removes the draft"
    assert data["address"] == {"street": "ul. Grodzka 5", "postcode": "38-400", "city": "Krosno"}
    digest = hashlib.sha256(rfc8785.dumps(data)).hexdigest()
    assert digest == submission.data_sha256 and digest in receipt


def test_one_submission_stores_snapshot_submission_case_and_first_log_entry(app, citizen_client, registry):
    send(citizen_client)
    send(citizen_client, {**VALID, "full_name": "Jan Nowak"})
    with app.app_context():
        snapshot = db.session.scalar(select(DefinitionSnapshot))
        assert db.session.scalar(select(func.count()).select_from(DefinitionSnapshot)) == 1
        assert snapshot.sha256 == registry.forms[FORM].sha256 and snapshot.text == registry.forms[FORM].text
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        assert [c.seq for c in cases] == [1, 2] and {c.state for c in cases} == {"received"}
        assert cases[0].routing["table"] == FORM and cases[0].routing["row"] == 2
        assert [e.action for e in db.session.scalars(select(CaseEvent))] == ["submission.create"] * 2


def test_routing_reads_the_answers(citizen_client):
    case_id = send(citizen_client, {**VALID, "topic": "finances"})
    page = citizen_client.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    assert re.search(r"FN\.1431\.1\.\d{4}", page) and "Wydział Budżetu i Finansów" in page


def test_my_cases_lists_number_form_date_and_stage(citizen_client):
    send(citizen_client)
    page = citizen_client.get("/cases/").get_data(as_text=True)
    assert re.search(r"OR\.1431\.1\.\d{4}", page) and "Urząd przyjął Twoje pismo" in page


def test_the_citizen_sees_the_data_as_sent_under_the_form_labels(citizen_client):
    case_id = send(citizen_client)
    page = citizen_client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Sposób udostępnienia" in page and "Pocztą" in page and "Kod pocztowy" in page and "38-400" in page


def test_a_draft_keeps_the_answers_to_come_back_to_and_can_be_deleted(citizen_client):
    first = citizen_client.start(FORM)
    citizen_client.submit(first, {"information_requested": VALID["information_requested"]})
    drafts = citizen_client.get("/drafts/").get_data(as_text=True)
    draft_id = first.split("/")[2]
    assert "Wniosek o udostępnienie informacji publicznej" in drafts and draft_id in drafts
    resumed = citizen_client.get(f"/drafts/{draft_id}/check")
    assert resumed.headers["Location"] == page_path(first, "topic")
    assert "rejestr umów" in citizen_client.get(first).get_data(as_text=True)
    citizen_client.submit(f"/drafts/{draft_id}/delete", token_from="/drafts/")
    assert draft_id not in citizen_client.get("/drafts/").get_data(as_text=True)
    assert citizen_client.get(first).status_code == 404


def test_an_expired_draft_says_so(app, citizen_client):
    first = citizen_client.start(FORM)
    with app.app_context():
        db.session.execute(update(Draft).values(updated_at=utcnow() - timedelta(days=31)))
        db.session.commit()
    response = citizen_client.get(first)
    assert response.status_code == 410 and "wygasł" in response.get_data(as_text=True)
    assert first.split("/")[2] not in citizen_client.get("/drafts/").get_data(as_text=True)


def test_another_citizens_draft_is_404(client, make_user):
    owner, other = make_user(), make_user()
    client.login(owner.email)
    first = client.start(FORM)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(other.email)
    assert client.get(first).status_code == 404
    assert client.get(first.replace("/pages/request", "/check")).status_code == 404


def test_a_clerk_cannot_start_a_citizen_form(client, make_user):
    clerk = make_user(Role.CLERK, department="OR")
    client.login(clerk.email)
    assert client.submit("/forms/waste-declaration/start", token_from="/").status_code == 403
