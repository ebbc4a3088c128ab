"""The eurzad engine as the yardstick's load generator sees it: one logged-in citizen, CSRF off.

The yardstick (../shared/bench/load.py) GETs and POSTs /forms/public-information without cookies, as
the hand-written one-page baseline takes it. eurzad asks a form page by page, from a draft, for a
logged-in citizen. So each worker logs the bench citizen in, starts a draft of `public-information-one`
(the shipped form with all its questions on one page, made by run.sh), and this wrapper sends the
yardstick's requests to that draft's page with the citizen's session cookie. CSRF is off, as in the
baseline's load runs. Nothing here is used outside benchmarks.

What each scenario then measures (see README.md for the difference from the baseline):
  get_form        render the page of 10 questions (the draft's answers filled in)
  submit_invalid  read, walk, validate, re-render with the errors (400)
  submit          read, walk, validate, save the answers in the draft (303); not the filing of a case

    EURZAD_SECRET_KEY=bench EURZAD_DEFINITIONS_DIR=... gunicorn 'engine_wsgi:create_bench_app()'
"""
from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlencode

from eurzad import create_app

EMAIL, PASSWORD = "bench.citizen@example.pl", "bench-citizen-password"
FORM = "public-information-one"


def without_consent(environ) -> None:
    """The yardstick's posts carry `consent`, which the one-page form does not ask; since decision 0034 a page
    refuses a name it does not ask, so the box is taken out of the body (as a browser showing that page would
    never send it)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    fields = parse_qsl(environ["wsgi.input"].read(length).decode("utf-8"), keep_blank_values=True)
    body = urlencode([(name, value) for name, value in fields if name != "consent"]).encode("utf-8")
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))


def create_bench_app():
    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    assert client.post("/login", data={"login": EMAIL, "password": PASSWORD}).status_code == 303
    page = client.post(f"/forms/{FORM}/start").headers["Location"]
    cookie = client.get_cookie("session").value
    inner = app.wsgi_app

    def to_the_draft(environ, start_response):
        if environ.get("PATH_INFO") == "/forms/public-information":
            environ["PATH_INFO"] = page
            if environ.get("REQUEST_METHOD") == "POST":
                without_consent(environ)
        environ.setdefault("HTTP_COOKIE", f"session={cookie}")
        return inner(environ, start_response)

    app.wsgi_app = to_the_draft
    return app
