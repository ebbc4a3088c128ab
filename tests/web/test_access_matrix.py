"""Every route declares who may use it, and each role gets what the declaration says: the access matrix. Every
answer carries the security headers (a CSP without inline code, nosniff, no referrer, no-store).

A route added without a declaration (role_required or public) fails the first test.
"""
from __future__ import annotations

import pytest

from eurzad.access import DRAFT_HOLDER, PUBLIC
from eurzad.auth.models import Role

ROLES = [None, *Role]  # None: a visitor who has not logged in
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}
"""Every response of every route, whoever asks: personal pages never stay in a browser's cache."""
SAMPLE_ARGS = {"form_id": "waste-declaration",  # a form that needs an account
               "draft_id": "no-such-draft", "page_id": "request", "token": "no-such-token", "form": "xml"}


def routes(app):
    """Every route (log-out last: it ends the session the others need)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint == "auth.logout"):
        if rule.endpoint == "static":
            continue
        args = {name: SAMPLE_ARGS.get(name, 999999) for name in rule.arguments}
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule, app.view_functions[rule.endpoint], args, method


def test_every_route_declares_who_may_use_it(app):
    undeclared = [rule.rule for rule, view, _args, _method in routes(app) if not hasattr(view, "access")]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
def test_each_role_gets_what_each_route_declares(app, client, make_user, role):
    if role is not None:
        department = "OR" if role in (Role.CLERK, Role.HEAD) else None
        client.login(make_user(role, department=department).email)
    token = client.csrf_token("/login")
    wrong = []
    for rule, view, args, method in routes(app):
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **args)
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        status = response.status_code
        to_login = status == 302 and response.headers["Location"].startswith("/login")
        if view.access == PUBLIC:
            expected_ok = status not in (403, 500) and not to_login
        elif view.access == DRAFT_HOLDER:
            expected_ok = status == 404  # no such draft: only its holder could see it, and nobody holds it
        elif role is None:
            expected_ok = to_login
        elif role.value in view.access:
            expected_ok = status not in (403, 500) and not to_login
        else:
            expected_ok = status == 403
        if not expected_ok:
            wrong.append(f"{method} {url}: {status}")
        missing = {name: response.headers.get(name) for name, value in SECURITY_HEADERS.items()
                   if response.headers.get(name) != value}
        if missing:
            wrong.append(f"{method} {url}: headers {missing}")
    assert wrong == [], wrong


def test_static_files_stay_cacheable_and_carry_the_security_headers(client):
    with client.get("/static/eurzad.css") as response:
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
