"""A withdrawn form: gone from the catalogue, its start page answers 410 with the office's note, a draft begun
before is told and may still be sent, and the cases filed with it stay readable."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eurzad.drafts.models import Draft
from eurzad.extensions import db

from .test_citizen_journey import FORM, VALID, send

ROOT = Path(__file__).resolve().parents[2]
NOTE = {"pl": "Wnioski o informację publiczną składaj teraz przez ePUAP.",
        "en": "Send requests for public information through ePUAP now."}


@pytest.fixture()
def withdrawn(another_app, tmp_path):
    """A function making an app whose public information form is withdrawn (since 2020) in its version 3."""
    def make(since: str = "2020-01-01"):
        defs = tmp_path / "defs"
        shutil.copytree(ROOT / "form_definitions", defs, dirs_exist_ok=True)
        path = defs / "public-information.yaml"
        text = path.read_text(encoding="utf-8").replace("version: 2", "version: 3")
        path.write_text(text + f'withdrawn:\n  since: "{since}"\n  note: {{pl: {NOTE["pl"]}, en: {NOTE["en"]}}}\n',
                        encoding="utf-8")
        return another_app(DEFINITIONS_DIR=str(defs))
    return make


def test_a_withdrawn_form_is_not_in_the_catalogue(withdrawn):
    client = withdrawn().test_client()
    catalogue = client.get("/").get_data(as_text=True)
    assert f"/forms/{FORM}" not in catalogue and "/forms/tree-removal" in catalogue
    assert f"/forms/{FORM}" not in client.get("/?q=informacja+publiczna").get_data(as_text=True)


def test_its_start_page_answers_410_with_the_offices_note_in_both_languages(withdrawn):
    client = withdrawn().test_client()
    response = client.get(f"/forms/{FORM}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Ten formularz został wycofany" in page and "Urząd wycofał go 1 stycznia 2020" in page
    assert NOTE["pl"] in page and "Start now" not in page and "Rozpocznij" not in page
    english = client.get(f"/forms/{FORM}?lang=en", follow_redirects=True)  # the language is set, then the page
    assert english.status_code == 410
    assert "This form has been withdrawn" in english.get_data(as_text=True)
    assert NOTE["en"] in english.get_data(as_text=True)


def test_no_new_draft_can_be_started(withdrawn, make_user):
    app = withdrawn()
    client = app.test_client()
    client.login(make_user().email)
    refused = client.submit(f"/forms/{FORM}/start", token_from="/")
    assert refused.status_code == 410 and NOTE["pl"] in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_a_draft_begun_before_is_told_on_its_pages_and_can_still_be_sent(client, make_user, withdrawn):
    citizen = make_user()
    client.login(citizen.email)
    first = client.start(FORM)
    assert "wycofał" not in client.get(first).get_data(as_text=True)
    later = withdrawn().test_client()
    later.login(citizen.email)
    page = later.get(first).get_data(as_text=True)
    assert "Urząd wycofał ten formularz 1 stycznia 2020: nie można go już rozpocząć." in page and NOTE["pl"] in page
    summary = later.answer_pages(first, VALID)
    assert NOTE["pl"] in later.get(summary).get_data(as_text=True)
    assert later.submit(summary).status_code == 303


def test_a_case_filed_before_stays_readable(client, make_user, withdrawn):
    citizen = make_user()
    client.login(citizen.email)
    case_id = send(client)
    later = withdrawn().test_client()
    later.login(citizen.email)
    case = later.get(f"/cases/{case_id}")
    assert case.status_code == 200
    page = case.get_data(as_text=True)
    assert "Wniosek o udostępnienie informacji publicznej" in page and VALID["information_requested"] in page


def test_a_withdrawal_written_for_a_day_to_come_changes_nothing_yet(withdrawn):
    client = withdrawn(since="2999-01-01").test_client()
    assert f"/forms/{FORM}" in client.get("/").get_data(as_text=True)
    start = client.get(f"/forms/{FORM}")
    assert start.status_code == 200 and NOTE["pl"] not in start.get_data(as_text=True)
