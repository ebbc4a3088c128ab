"""The confirmed identity fills the form (decision 0028): a citizen whose identity the front desk confirmed sees
the name and PESEL from the account as text and cannot file under anyone else's; contact details are filled in
once and can be changed; an account without a confirmed identity, and a visitor, type theirs."""
from __future__ import annotations

import json
import re
import shutil

import yaml
from sqlalchemy import select

from eurzad.cases.models import Case
from eurzad.drafts.models import Draft
from eurzad.extensions import db

from ..conftest import HOME, ROOT

HOUSING = yaml.safe_load((ROOT / "form_definitions/samples/housing-allowance.yaml").read_text(encoding="utf-8"))["post"]
OTHER_NAME, OTHER_PESEL = "Katarzyna Zając", "92030215673"  # the sample's: someone else's identity
PUBLIC_INFORMATION = {"information_requested": "Proszę o rejestr umów zawartych przez urząd w 2025 roku.",
                      "topic": "other", "delivery_method": "email"}


def reach(client, form_id: str, page_id: str, answers: dict) -> str:
    """Start a form and answer its pages, as a person pressing Continue, up to the page `page_id`; its address."""
    location = client.start(form_id)
    for _ in range(30):
        if location.endswith(f"/pages/{page_id}"):
            return location
        page = client.get(location).get_data(as_text=True)
        names = set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token"}
        response = client.submit(location, {k: v for k, v in answers.items() if k in names})
        assert response.status_code == 303, re.findall(r'error-message">.*?</span> (.*?)</p>', response.get_data(True))
        location = response.headers["Location"]
    raise AssertionError(f"never reached {page_id}")


def filed(app) -> tuple[Case, dict]:
    with app.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id.desc()))
        db.session.expunge(case.submission)
        return case, json.loads(case.submission.data_json)


def test_a_confirmed_citizen_sees_the_name_from_the_account_as_text_not_as_a_box(client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    page_url = reach(client, "public-information", "contact", PUBLIC_INFORMATION)
    page = client.get(page_url).get_data(as_text=True)
    assert 'name="full_name"' not in page
    shown = page[page.index('id="full_name"'):]
    assert re.search(r'<p class="prefilled__value">Zofia Wiśniewska</p><p class="hint">Z Twojego potwierdzonego konta',
                     shown)
    english = client.get(page_url + "?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Zofia Wiśniewska" in english and "From your verified account" in english


def test_contact_details_are_filled_in_from_the_account_and_can_be_changed(app, client, make_confirmed_citizen):
    citizen = make_confirmed_citizen()
    client.login(citizen.email)
    page_url = reach(client, "public-information", "contact", PUBLIC_INFORMATION)
    page = client.get(page_url).get_data(as_text=True)
    assert re.search(rf'type="email" value="{re.escape(citizen.email)}"', page)
    assert 'type="tel" value="+48 600 100 200"' in page
    assert client.submit(page_url, {"email": "inny.adres@example.pl", "phone": ""}).status_code == 303
    client.submit(page_url.replace("/pages/contact", "/check"))
    _case, data = filed(app)
    assert data["email"] == "inny.adres@example.pl" and "phone" not in data
    assert data["full_name"] == "Zofia Wiśniewska"


def test_a_forged_post_with_another_name_and_pesel_still_files_the_accounts(app, client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    page_url = reach(client, "housing-allowance", "applicant", HOUSING)
    page = client.get(page_url).get_data(as_text=True)
    assert 'name="pesel"' not in page and "44051401359" in page
    forged = client.submit(page_url, {"full_name": OTHER_NAME, "pesel": OTHER_PESEL})
    assert forged.status_code == 303
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert (draft.data["full_name"], draft.data["pesel"]) == ("Zofia Wiśniewska", "44051401359")
    summary = client.answer_pages(forged.headers["Location"], HOUSING)
    check = client.get(summary).get_data(as_text=True)
    assert OTHER_PESEL not in check and "44051401359" in check
    applicant_rows = check[check.index("Twoje dane"):check.index("Jak możemy się z Tobą skontaktować")]
    assert applicant_rows.count("Z Twojego potwierdzonego konta") == 2 and ">Zmień<" not in applicant_rows
    sent = client.submit(summary, {"full_name": OTHER_NAME, "pesel": OTHER_PESEL})
    assert sent.status_code == 303
    case, data = filed(app)
    assert (data["full_name"], data["pesel"]) == ("Zofia Wiśniewska", "44051401359")
    receipt = client.get(f"/cases/{case.id}/receipt").get_data(as_text=True)
    assert "Zofia Wiśniewska" in receipt and OTHER_NAME not in receipt
    assert "tożsamość potwierdzona w urzędzie na podstawie dokumentu" in receipt


def test_a_draft_typed_before_the_form_marked_the_identity_is_filed_with_the_accounts(
        app, another_app, make_confirmed_citizen, tmp_path):
    """The published form gains `prefill` while a confirmed citizen's draft holds another PESEL: what is filed
    is set from the account at sending, not taken from the draft."""
    citizen = make_confirmed_citizen()
    older = tmp_path / "older"
    shutil.copytree(ROOT / "form_definitions", older)
    path = older / "housing-allowance.yaml"
    path.write_text(re.sub(r"\n +prefill: account\.\w+", "", path.read_text(encoding="utf-8"))
                    .replace("version: 2", "version: 1"), encoding="utf-8")
    before = another_app(DEFINITIONS_DIR=str(older)).test_client()
    before.login(citizen.email)
    page_url = reach(before, "housing-allowance", "applicant", HOUSING)
    assert 'name="pesel"' in before.get(page_url).get_data(as_text=True)  # an ordinary question in that version
    summary = before.answer_pages(page_url, {**HOUSING, "full_name": OTHER_NAME, "pesel": OTHER_PESEL})

    now = app.test_client()  # the same database, with the shipped forms (prefill on name and PESEL)
    now.login(citizen.email)
    check = now.get(summary).get_data(as_text=True)
    assert OTHER_PESEL not in check and "44051401359" in check
    assert now.submit(summary).status_code == 303
    _case, data = filed(app)
    assert (data["full_name"], data["pesel"]) == ("Zofia Wiśniewska", "44051401359")


def test_an_account_without_a_confirmed_identity_types_its_name_and_the_receipt_says_so(app, citizen_client):
    page_url = reach(citizen_client, "housing-allowance", "applicant", HOUSING)
    page = citizen_client.get(page_url).get_data(as_text=True)
    assert 'name="full_name"' in page and 'name="pesel"' in page and "Z Twojego potwierdzonego konta" not in page
    summary = citizen_client.answer_pages(page_url, HOUSING)
    assert citizen_client.submit(summary).status_code == 303
    case, data = filed(app)
    assert (data["full_name"], data["pesel"]) == (OTHER_NAME, OTHER_PESEL)
    assert case.submission.identified_by == "account_unverified"
    receipt = citizen_client.get(f"/cases/{case.id}/receipt").get_data(as_text=True)
    assert "tożsamość nie została potwierdzona w urzędzie" in receipt
    assert "tożsamość potwierdzona w urzędzie na podstawie dokumentu" not in receipt


def test_a_visitor_without_an_account_gets_nothing_filled_in(client, make_confirmed_citizen):
    make_confirmed_citizen()  # an account exists, but nobody is logged in
    page_url = reach(client, "public-information", "contact", PUBLIC_INFORMATION)
    page = client.get(page_url).get_data(as_text=True)
    assert re.search(r'name="full_name"[^>]*>', page) and 'value="Zofia' not in page
    assert 'type="email" value=""' in page


def test_the_home_address_is_filled_in_once_and_can_be_changed(app, client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    page_url = reach(client, "public-information", "address", {**PUBLIC_INFORMATION, "delivery_method": "post"})
    page = client.get(page_url).get_data(as_text=True)
    assert all(f'value="{value}"' in page for value in HOME.values())
    summary = client.answer_pages(page_url, {"address-street": "ul. Inna 1", "address-postcode": "38-400",
                                             "address-city": "Krosno", "email": "zofia@example.pl"})
    assert client.submit(summary).status_code == 303
    _case, data = filed(app)
    assert data["address"] == {"street": "ul. Inna 1", "postcode": "38-400", "city": "Krosno"}


def test_a_supplement_cannot_correct_the_confirmed_identity(app, client, make_confirmed_citizen, make_user):
    from eurzad.auth.models import Role

    from .test_identity import log_out
    from .test_supplements import answer, request

    citizen, clerk = make_confirmed_citizen(), make_user(Role.CLERK, department="PS")
    client.login(citizen.email)
    client.send_form("housing-allowance", HOUSING)
    case, _data = filed(app)
    log_out(client)
    client.login(clerk.email)
    with app.app_context():
        assert request(client, case.id, questions=("pesel", "housing_costs")).status_code == 303
    log_out(client)
    client.login(citizen.email)
    url = f"/cases/{case.id}/supplement"
    form = client.get(url).get_data(as_text=True)
    assert 'name="pesel"' not in form and "Z Twojego potwierdzonego konta" in form
    assert answer(client, url, {"pesel": OTHER_PESEL, "housing_costs": "990"}).status_code == 303
    with app.app_context():
        [supplement] = db.session.get(Case, case.id).supplements
        assert json.loads(supplement.data_json)["answers"] == {"housing_costs": 990}


def test_the_clerk_sees_how_the_applicant_was_identified(app, client, make_confirmed_citizen, make_user):
    from eurzad.auth.models import Role

    from .test_identity import log_out

    client.login(make_confirmed_citizen().email)
    client.send_form("housing-allowance", HOUSING)
    case, _data = filed(app)
    log_out(client)
    client.login(make_user(Role.CLERK, department="PS").email)
    page = client.get(f"/clerk/cases/{case.id}").get_data(as_text=True)
    assert "Zofia Wiśniewska" in page and "tożsamość potwierdzona w urzędzie na podstawie dokumentu" in page



def test_a_page_whose_one_question_is_the_confirmed_name_has_it_as_its_heading(client, make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    sample = ROOT / "form_definitions/samples/road-lane-occupation.yaml"
    road = yaml.safe_load(sample.read_text(encoding="utf-8"))["post"]
    page = client.get(reach(client, "road-lane-occupation", "name", road)).get_data(as_text=True)
    assert re.search(r'<div class="label label--l"><h1 class="heading-in-label">Imię i nazwisko</h1></div>', page)
    assert '<p class="prefilled__value">Zofia Wiśniewska</p>' in page and page.count("<h1") == 1


def test_a_confirmed_citizens_new_draft_starts_with_the_identity_and_an_unconfirmed_ones_without(
        app, client, make_confirmed_citizen, make_user):
    for user, name in ((make_confirmed_citizen(), "Zofia Wiśniewska"), (make_user(), None)):
        client.login(user.email)
        draft_id = client.start("public-information").split("/")[2]
        with app.app_context():
            assert db.session.get(Draft, draft_id).data.get("full_name") == name
