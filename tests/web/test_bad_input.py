"""Bad input gets a clear message and the right status, never a 500, and nothing stored changes."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import yaml
from sqlalchemy import func, select

from eurzad.cases.models import Case, Submission
from eurzad.extensions import db

from ..conftest import PASSWORD
from .test_citizen_journey import FORM, VALID, page_path, send


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_post_without_csrf_token_is_refused_with_a_plain_page(app, citizen_client):
    first = citizen_client.start(FORM)
    response = citizen_client.post(first, data={"information_requested": VALID["information_requested"]})
    assert response.status_code == 400
    assert "Formularz wygasł albo nie został wysłany z tej strony" in response.get_data(as_text=True)
    assert "rejestr" not in citizen_client.get(first).get_data(as_text=True), "nothing was saved"


def test_sending_with_a_forged_csrf_token_is_refused(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    response = citizen_client.post(summary, data={"csrf_token": "forged"})
    assert response.status_code == 400 and count(app, Case) == 0


def test_logging_in_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    assert client.post("/login", data={"login": user.email, "password": PASSWORD}).status_code == 400


def test_an_unknown_form_is_a_404_page(client):
    response = client.get("/forms/no-such-form")
    assert response.status_code == 404 and "Nie znaleziono strony" in response.get_data(as_text=True)


def test_forged_choices_become_field_errors(citizen_client):
    response = citizen_client.answer_pages(citizen_client.start(FORM), {
        **VALID, "topic": "{'$ne': 1}", "delivery_method": "pigeon"})
    assert response.status_code == 400
    assert "Wybierz jedną z podanych odpowiedzi" in response.get_data(as_text=True)


def test_unknown_fields_are_ignored_and_not_stored(app, citizen_client):
    first = citizen_client.start(FORM)
    citizen_client.submit(first, {"information_requested": VALID["information_requested"], "is_admin": "1",
                                  "submitter_id": "1"})
    send(citizen_client, {**VALID, "address-country": "XX"})
    with app.app_context():
        stored = db.session.scalar(select(Submission)).data_json
    assert "is_admin" not in stored and "country" not in stored and "submitter_id" not in stored


def test_a_megabyte_of_text_is_a_field_error_and_nothing_is_stored(app, citizen_client):
    first = citizen_client.start(FORM)
    response = citizen_client.submit(first, {"information_requested": "x" * 1_000_000})
    assert response.status_code == 400
    assert "Wpisz najwyżej 5000 znaków" in response.get_data(as_text=True)
    assert count(app, Submission) == 0


def test_a_body_over_the_limit_gets_a_413_page(app, citizen_client):
    first = citizen_client.start(FORM)
    response = citizen_client.submit(first, {"information_requested": "x" * 13_000_000})
    assert response.status_code == 413
    assert "Wysłane dane są zbyt duże" in response.get_data(as_text=True)


def test_a_wrong_http_method_is_a_405_page(citizen_client):
    response = citizen_client.delete("/forms/public-information")
    assert response.status_code == 405
    assert "Tej strony nie można użyć w ten sposób" in response.get_data(as_text=True)


def test_a_wrong_password_says_the_same_as_an_unknown_e_mail(client, make_user):
    user = make_user()
    wrong = client.submit("/login", {"login": user.email, "password": "wrong"}).get_data(as_text=True)
    unknown = client.submit("/login", {"login": "nobody@example.pl", "password": "wrong"}).get_data(as_text=True)
    message = "Adres e-mail, numer PESEL lub hasło są nieprawidłowe"
    assert message in wrong and message in unknown


def test_log_in_does_not_redirect_to_another_site(client, make_user):
    user = make_user()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        token = client.csrf_token("/login")
        response = client.post(f"/login?next={target}",
                               data={"login": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"] == "/cases/"
        client.post("/logout", data={"csrf_token": client.csrf_token()})


def test_a_huge_number_is_a_field_error_not_a_server_error(citizen_client):
    samples = Path(__file__).parents[2] / "form_definitions" / "samples"
    sample = yaml.safe_load((samples / "road-lane-occupation.yaml").read_text(encoding="utf-8"))
    first = citizen_client.start("road-lane-occupation")
    response = citizen_client.answer_pages(first, {**sample["post"], "area-pavement": "9" * 400,
                                                   "area-verge": "1e999"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Wpisz powierzchnię równą 10 000 m² lub mniejszą" in page
    assert "Wpisz powierzchnię w metrach kwadratowych, na przykład 12,5" in page


def test_stored_data_survive_a_refused_request(app, citizen_client):
    case_id = send(citizen_client)
    citizen_client.post(page_path(citizen_client.start(FORM), "request"), data={"information_requested": "x"})
    with app.app_context():
        stored = json.loads(db.session.get(Case, case_id).submission.data_json)
    assert stored["information_requested"] == VALID["information_requested"]


def test_a_nul_character_in_a_field_is_a_plain_400_page_in_either_language(app, citizen_client):
    first = citizen_client.start(FORM)
    response = citizen_client.submit(first, {"information_requested": "rejestr\x00umów"})
    assert response.status_code == 400
    assert "Nie udało się przetworzyć żądania" in response.get_data(as_text=True)
    citizen_client.get("/?lang=en")
    response = citizen_client.submit(first, {"information_requested": "register\x00"})
    assert response.status_code == 400 and "The request could not be understood" in response.get_data(as_text=True)
    assert count(app, Submission) == 0


def test_a_nul_character_in_the_address_or_query_is_a_400_page(client):
    # The clerk's inbox ignores a bad filter and says so; a NUL is refused before it (decision 0039).
    for url in ("/forms/public%00information", "/forms/?q=a%00b", "/track/lost?x%00=1", "/clerk/?q=%00"):
        response = client.get(url)
        assert response.status_code == 400 and "Nie udało się przetworzyć żądania" in response.get_data(as_text=True)


def test_a_page_number_past_any_page_is_a_404_page(citizen_client):
    for page in ("99999999999999999999", "-1", "0", "x"):
        response = citizen_client.get(f"/cases/?page={page}")
        assert response.status_code == 404 and "Nie znaleziono strony" in response.get_data(as_text=True)


def test_an_id_past_the_databases_integers_is_a_404_page(citizen_client):
    response = citizen_client.get("/cases/" + "9" * 30)
    assert response.status_code == 404 and "Nie znaleziono strony" in response.get_data(as_text=True)


def test_json_xml_or_plain_text_sent_to_a_form_is_refused_with_a_400_page(app, citizen_client):
    first = citizen_client.start(FORM)
    token = citizen_client.csrf_token(first)
    for body, kind in ((json.dumps({"information_requested": "x", "csrf_token": token}), "application/json"),
                       ("<information_requested>x</information_requested>", "application/xml"),
                       ("information_requested=x", "text/plain")):
        response = citizen_client.post(first, data=body, content_type=kind, headers={"X-CSRFToken": token})
        assert response.status_code == 400, kind
        assert "Nie udało się przetworzyć żądania" in response.get_data(as_text=True)
    broken = "--b\r\nContent-Disposition: form-data; name=\"information_requested\"\r\n\r\nrejestr"
    response = citizen_client.post(first, data=broken, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400, "a multipart body cut short is read as no answer"
    assert "rejestr" not in citizen_client.get(first).get_data(as_text=True)


def test_log_in_ignores_a_next_address_with_a_line_break_or_a_tab(client, make_user):
    user = make_user()
    for target in ("/cases/\r\nSet-Cookie: a=b", "/\t/evil.example/", "/\n/evil.example/"):
        token = client.csrf_token("/login")
        response = client.post("/login?" + urlencode({"next": target}),
                               data={"login": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"] == "/cases/"
        client.post("/logout", data={"csrf_token": client.csrf_token()})


def test_a_definition_pasted_nested_past_any_form_is_a_400_page_naming_the_problem(client, make_user):
    from eurzad.auth.models import Role
    client.login(make_user(Role.ADMIN).email)
    for text in ("[" * 100_000, "a: &x [*x]\n"):
        response = client.submit("/admin/previews/pasted", {"text": text}, token_from="/admin/forms/")
        assert response.status_code == 400 and "nests deeper than 64 levels" in response.get_data(as_text=True)


def test_more_fields_than_any_page_has_get_the_413_page_whatever_the_encoding(citizen_client):
    first = citizen_client.start(FORM)
    token = citizen_client.csrf_token(first)
    body = "&".join(f"f{number}=x" for number in range(5000)) + "&csrf_token=" + token
    response = citizen_client.post(first, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and "Wysłane dane są zbyt duże" in response.get_data(as_text=True)
