"""A citizen logs in, fills a form, fixes the errors shown by the fields, sends it and gets a receipt."""
from __future__ import annotations

import hashlib
import json
import re

import rfc8785
from sqlalchemy import func, select

from eurzad.auth.models import Role
from eurzad.cases.models import Case, CaseEvent, DefinitionSnapshot, Submission
from eurzad.extensions import db

URL = "/forms/public-information"
VALID = {
    "full_name": "Jan Kowalski", "email": "jan.kowalski@example.pl", "phone": "+48 13 474 33 00",
    "address-street": "ul. Lwowska 28a", "address-postcode": "38-400", "address-city": "Krosno",
    "information_requested": "Proszę o rejestr umów zawartych przez urząd w 2025 roku.",
    "delivery_method": "post", "preferred_format": "pdf", "consent": "y",
}


def field_block(page: str, field_id: str) -> str:
    """The markup of one question: from its form group to the next one."""
    start = page.index(f'id="{field_id}"')
    group = page.rfind('<div class="form-group', 0, start)
    end = page.find('<div class="form-group', start)
    return page[group:end if end != -1 else len(page)]


def test_catalogue_lists_the_forms_for_everyone(client):
    page = client.get("/").get_data(as_text=True)
    assert "Wniosek o udostępnienie informacji publicznej" in page
    assert 'href="/forms/public-information"' in page


def test_an_anonymous_visitor_is_asked_to_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_form_page_has_a_label_for_every_input_and_no_browser_validation(citizen_client):
    page = citizen_client.get(URL).get_data(as_text=True)
    assert "<form" in page and "novalidate" in page
    for input_id in re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page):
        assert f'for="{input_id}"' in page, f"no label for {input_id}"
    radios = field_block(page, "delivery_method")
    assert "<fieldset" in radios and "<legend" in radios
    assert "Numer telefonu (opcjonalnie)" in page


def test_errors_are_shown_by_their_fields_with_a_summary_and_values_are_kept(citizen_client):
    response = citizen_client.submit(URL, {**VALID, "email": "jan.kowalski", "address-postcode": "38400",
                                           "consent": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Błąd: Wniosek o udostępnienie informacji publicznej" in page
    start = page.index('class="error-summary"')
    summary = page[start:page.index("</ul>", start)]
    assert 'href="#email"' in summary and 'href="#address-postcode"' in summary and 'href="#consent"' in summary
    email = field_block(page, "email")
    assert "Wpisz adres e-mail w poprawnym formacie" in email
    assert 'aria-describedby="email-hint email-error"' in email
    assert 'value="jan.kowalski"' in email
    assert "Wpisz kod pocztowy w formacie 00-000" in field_block(page, "address-postcode")
    assert "Zaznacz oświadczenie, aby wysłać wniosek" in field_block(page, "consent")
    assert 'value="Jan Kowalski"' in page and "rejestr umów" in page
    assert 'value="post" checked' in page


def test_a_conditional_requirement_is_shown_on_the_fields_it_needs(citizen_client):
    data = {**VALID, "address-street": "", "address-city": ""}
    page = citizen_client.submit(URL, data).get_data(as_text=True)
    assert "Wpisz ulicę i numer domu" in field_block(page, "address-street")
    assert "Wpisz miejscowość" in field_block(page, "address-city")


def test_sending_a_valid_form_gives_a_receipt_with_the_case_number(app, citizen_client):
    response = citizen_client.submit(URL, VALID)
    assert response.status_code == 303
    receipt = citizen_client.get(response.headers["Location"])
    page = receipt.get_data(as_text=True)
    year = re.search(r"OR\.1431\.1\.(\d{4})", page)
    assert receipt.status_code == 200 and year
    assert "Wniosek o udostępnienie informacji publicznej" in page and "wersja 1" in page
    assert "Wydział Organizacyjny" in page
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        data = json.loads(submission.data_json)
    assert data["address"] == {"street": "ul. Lwowska 28a", "postcode": "38-400", "city": "Krosno"}
    assert data["consent"] is True
    digest = hashlib.sha256(rfc8785.dumps(data)).hexdigest()
    assert digest == submission.data_sha256 and digest in page


def test_one_submission_stores_snapshot_submission_case_and_first_log_entry(app, citizen_client, registry):
    citizen_client.submit(URL, VALID)
    citizen_client.submit(URL, {**VALID, "full_name": "Jan Nowak"})
    with app.app_context():
        snapshot = db.session.scalar(select(DefinitionSnapshot))
        assert db.session.scalar(select(func.count()).select_from(DefinitionSnapshot)) == 1
        assert snapshot.sha256 == registry.forms["public-information"].sha256
        assert snapshot.text == registry.forms["public-information"].text
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        assert [c.seq for c in cases] == [1, 2] and {c.state for c in cases} == {"received"}
        assert cases[0].routing == {"table": "public-information", "row": 2, "note": cases[0].routing["note"]}
        events = db.session.scalars(select(CaseEvent)).all()
        assert [e.action for e in events] == ["submission.create"] * 2


def test_routing_reads_the_answers(app, citizen_client):
    response = citizen_client.submit(URL, {**VALID, "topic": "finances"})
    page = citizen_client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"FN\.1431\.1\.\d{4}", page)
    assert "Wydział Budżetu i Finansów" in page


def test_my_cases_lists_number_form_date_and_stage(citizen_client):
    citizen_client.submit(URL, VALID)
    page = citizen_client.get("/cases/").get_data(as_text=True)
    assert re.search(r"OR\.1431\.1\.\d{4}", page)
    assert "Wniosek o udostępnienie informacji publicznej" in page
    assert "Urząd przyjął Twoje pismo" in page


def test_the_citizen_sees_the_data_as_sent_under_the_form_labels(citizen_client):
    response = citizen_client.submit(URL, VALID)
    case_id = response.headers["Location"].split("/")[2]
    page = citizen_client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Jak mamy udostępnić informację?" in page and "Pocztą" in page
    assert "Kod pocztowy" in page and "38-400" in page


def test_a_clerk_cannot_send_a_citizen_form(client, make_user):
    clerk = make_user(Role.CLERK, department="OR")
    client.login(clerk.email)
    assert client.get(URL).status_code == 403
