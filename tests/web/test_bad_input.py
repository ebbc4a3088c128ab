"""Bad input gets a clear message and the right status, never a 500, and nothing stored changes."""
from __future__ import annotations

from sqlalchemy import func, select

from eurzad.cases.models import Case, Submission
from eurzad.extensions import db

from ..conftest import PASSWORD
from .test_citizen_journey import URL, VALID


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_post_without_csrf_token_is_refused_with_a_plain_page(app, citizen_client):
    response = citizen_client.post(URL, data=VALID)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Formularz wygasł albo nie został wysłany z tej strony" in page
    assert count(app, Submission) == 0


def test_a_forged_csrf_token_is_refused(app, citizen_client):
    response = citizen_client.post(URL, data={**VALID, "csrf_token": "forged"})
    assert response.status_code == 400 and count(app, Case) == 0


def test_logging_in_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "x"})
    assert response.status_code == 400


def test_an_unknown_form_is_a_404_page(citizen_client):
    response = citizen_client.get("/forms/no-such-form")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.get_data(as_text=True)


def test_wrong_types_and_forged_choices_become_field_errors(app, citizen_client):
    response = citizen_client.submit(URL, {**VALID, "delivery_method": "pigeon", "preferred_format": ["pdf", "x"],
                                           "consent": "maybe", "topic": "{'$ne': 1}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Wybierz jedną z podanych odpowiedzi" in page
    assert count(app, Submission) == 0


def test_unknown_fields_are_ignored_and_not_stored(app, citizen_client):
    response = citizen_client.submit(URL, {**VALID, "is_admin": "1", "address-country": "XX", "submitter_id": "1"})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Submission)).data_json
    assert "is_admin" not in stored and "country" not in stored and "submitter_id" not in stored


def test_a_megabyte_of_text_is_a_field_error_and_nothing_is_stored(app, citizen_client):
    citizen_client.submit(URL, VALID)
    response = citizen_client.submit(URL, {**VALID, "information_requested": "x" * 1_000_000})
    assert response.status_code == 400
    assert "Wpisz najwyżej 5000 znaków" in response.get_data(as_text=True)
    assert count(app, Submission) == 1 and count(app, Case) == 1


def test_a_body_over_the_limit_gets_a_413_page_and_nothing_is_stored(app, citizen_client):
    response = citizen_client.submit(URL, {**VALID, "information_requested": "x" * 3_000_000})
    assert response.status_code == 413
    assert "Wysłane dane są zbyt duże" in response.get_data(as_text=True)
    assert count(app, Submission) == 0


def test_a_wrong_http_method_is_a_405_page(citizen_client):
    response = citizen_client.delete(URL)
    assert response.status_code == 405
    assert "Tej strony nie można użyć w ten sposób" in response.get_data(as_text=True)


def test_a_wrong_password_says_the_same_as_an_unknown_e_mail(client, make_user):
    user = make_user()
    wrong = client.submit("/login", {"email": user.email, "password": "wrong"}).get_data(as_text=True)
    unknown = client.submit("/login", {"email": "nobody@example.pl", "password": "wrong"}).get_data(as_text=True)
    message = "Adres e-mail lub hasło jest nieprawidłowe"
    assert message in wrong and message in unknown


def test_log_in_does_not_redirect_to_another_site(client, make_user):
    user = make_user()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        token = client.csrf_token("/login")
        response = client.post(f"/login?next={target}",
                               data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"] == "/cases/"
        client.post("/logout", data={"csrf_token": client.csrf_token()})


def test_a_huge_number_is_a_field_error_not_a_server_error(citizen_client):
    response = citizen_client.submit("/forms/road-lane-occupation", {"area-pavement": "9" * 400,
                                                                     "area-verge": "1e999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Wpisz powierzchnię równą 10 000 m² lub mniejszą" in page
    assert "Wpisz powierzchnię w metrach kwadratowych, na przykład 12,5" in page
