"""The eurzad engine as the yardstick's load generator sees it: one logged-in citizen, CSRF off.

The yardstick (../shared/bench/load.py) posts the public-information form without cookies, as the
hand-written baseline takes it. eurzad requires a logged-in citizen, so each worker logs the bench
citizen in once and this wrapper adds that session cookie to every request that has none. CSRF is
off, as in the baseline's load runs. Nothing here is used outside benchmarks. run.sh creates the
database and the citizen first:

    eurzad init && eurzad users create --role citizen --email bench.citizen@example.pl ...
    EURZAD_SECRET_KEY=bench EURZAD_SQLALCHEMY_DATABASE_URI=... gunicorn 'engine_wsgi:create_bench_app()'
"""
from __future__ import annotations

from eurzad import create_app

EMAIL, PASSWORD = "bench.citizen@example.pl", "bench-citizen-password"


def create_bench_app():
    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 303, "the bench citizen could not log in"
    cookie = client.get_cookie("session")
    inner = app.wsgi_app

    def with_session(environ, start_response):
        environ.setdefault("HTTP_COOKIE", f"session={cookie.value}")
        return inner(environ, start_response)

    app.wsgi_app = with_session
    return app
