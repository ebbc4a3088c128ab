"""Running it: the health and readiness answers, the request id a citizen can quote, one JSON log line per request
and per error, and a connection the database dropped that the next request does not notice."""
from __future__ import annotations

import io
import json
import logging
import os

import psycopg
import pytest

from eurzad.extensions import db
from eurzad.logs import LOGGING, JsonFormatter, RequestIdFilter

from ..conftest import make_app


def test_health_answers_ok_without_a_login(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_answers_ok_when_database_definitions_and_signing_key_are_there(client):
    response = client.get("/ready")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_ready_answers_503_and_why_without_the_signing_key(another_app, tmp_path):
    response = another_app(SIGNING_KEYS_DIR=str(tmp_path / "no-keys")).test_client().get("/ready")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "no signing key"}


def test_ready_answers_503_when_the_database_cannot_be_read(tmp_path):
    database = tmp_path / "office.db"
    app = make_app(f"sqlite:///{database}")
    client = app.test_client()
    assert client.get("/ready").status_code == 200
    with app.app_context():
        db.engine.dispose()
    database.write_bytes(b"this is not a database" * 100)  # a disk gone bad, a file replaced
    response = client.get("/ready")
    assert response.status_code == 503 and response.get_json()["reason"] == "database unreachable"
    assert client.get("/health").status_code == 200  # alive all the same: no restart would help


def test_the_request_id_a_proxy_sends_is_echoed_and_a_malformed_one_replaced(client):
    assert client.get("/", headers={"X-Request-ID": "lb-7f3a9c21"}).headers["X-Request-ID"] == "lb-7f3a9c21"
    for bad in ("<script>x</script>", "short", "a" * 200, "id with spaces", "ok-id;Set-Cookie=x"):
        echoed = client.get("/", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert echoed != bad and len(echoed) == 32
    assert client.get("/").headers["X-Request-ID"] != client.get("/").headers["X-Request-ID"]


@pytest.mark.parametrize("lang, words", [("pl", "podaj ten numer"), ("en", "quote this reference")])
def test_an_error_page_shows_the_reference_to_quote(client, lang, words):
    client.get(f"/?lang={lang}")  # the visitor's choice of language
    response = client.get("/no-such-page", headers={"X-Request-ID": "case-4711-abc"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert words in page and "case-4711-abc" in page


@pytest.fixture()
def json_log():
    """The app's log lines as the production config writes them (JSON, with the request id), read back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(LOGGING["root"]["level"])
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_every_request_is_one_json_line_without_the_words_searched_or_the_tracking_secret(client, json_log):
    client.get("/?q=Kowalska&page=2", headers={"X-Request-ID": "req-00000001"})
    client.get("/track/secret-token-123", headers={"X-Request-ID": "req-00000002"})
    lines = {line["request_id"]: line for line in json_log() if line["logger"] == "eurzad.request"}
    first, second = lines["req-00000001"], lines["req-00000002"]
    assert first["method"] == "GET" and first["status"] == 200 and first["user_id"] is None
    assert first["path"] == "/?page=…&q=…" and isinstance(first["duration_ms"], float)
    assert second["path"] == "/track/…" and second["status"] == 404
    assert "Kowalska" not in str(json_log()) and "secret-token-123" not in str(json_log())


def test_a_logged_in_request_names_the_user_id(citizen_client, json_log):
    citizen_client.get("/drafts/", headers={"X-Request-ID": "req-00000003"})
    line = next(line for line in json_log() if line.get("request_id") == "req-00000003")
    assert line["user_id"] == str(citizen_client.user.id)


def test_an_unexpected_error_is_logged_with_its_request_id_and_the_500_page_shows_it(another_app, json_log):
    app = another_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("the disk is full")

    response = app.test_client().get("/boom", headers={"X-Request-ID": "req-00000500"})
    assert response.status_code == 500 and "req-00000500" in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] == "req-00000500"
    lines = [line for line in json_log() if line.get("request_id") == "req-00000500"]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert "the disk is full" in error["error"]
    assert any(line["logger"] == "eurzad.request" and line["status"] == 500 for line in lines)


@pytest.mark.skipif(not os.environ.get("EURZAD_TEST_DATABASE_URL", "").startswith("postgres"),
                    reason="PostgreSQL's pg_terminate_backend: CI runs it on PostgreSQL")
def test_a_connection_postgresql_dropped_does_not_fail_the_next_request(app, citizen_client):
    assert citizen_client.get("/drafts/").status_code == 200  # the pool now holds a used connection
    with app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    assert ended[0] >= 1
    assert citizen_client.get("/drafts/").status_code == 200


def test_over_https_a_form_is_refused_without_the_same_site_referer_the_referrer_policy_keeps(client):
    """Why the policy is same-origin and not no-referrer: browsers would then send no Referer at all."""
    token = client.csrf_token("https://localhost/login")
    data = {"login": "nobody@example.pl", "password": "wrong", "csrf_token": token}
    refused = "The form has expired or did not come from this site"
    client.get("/?lang=en")
    without = client.post("https://localhost/login", data=data)
    assert without.status_code == 400 and refused in without.get_data(as_text=True)
    with_referer = client.post("https://localhost/login", data=data, headers={"Referer": "https://localhost/login"})
    assert refused not in with_referer.get_data(as_text=True) and "Log in" in with_referer.get_data(as_text=True)
    assert client.get("https://localhost/").headers["Referrer-Policy"] == "same-origin"
