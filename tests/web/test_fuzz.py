"""No request gets a server error: every route of the app, as a visitor, a citizen, a clerk, the front desk and an
administrator, by GET and POST, with hostile addresses, query strings and bodies (issue 11, decision 0039).

First a sweep that sends each route the classic attacks once per role; then `hypothesis` draws a bounded number
of random requests (FUZZ_EXAMPLES, 1,500 by default: under a minute on SQLite). Whatever draws a 5xx is kept
and shown, with the request that drew it.
"""
from __future__ import annotations

import json
import os
import re
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eurzad.auth.models import Role
from eurzad.auth.operations import register
from eurzad.extensions import db
from eurzad.timeutil import days_later, utcnow

from .test_access_matrix import SAMPLE_ARGS
from .test_citizen_journey import FORM, send

ROLES = [None, Role.CITIZEN, Role.CLERK, Role.FRONT_DESK, Role.ADMIN]
HUGE = "99999999999999999999"
HOSTILE = ["\x00", "a\x00b", HUGE, "-1", "0", "1e999", "NaN", "'; --", '"><script>alert(1)</script>',
           "//evil.example/", "\\\\evil.example", "/\r\nSet-Cookie: x=1", "/\t/evil.example", "a[b][c][d][e]",
           "%00", "../../etc/passwd", "ł" * 3000, "", " ", "{}", "[]", "9" * 400, "2026-02-30", "true",
           "x" * 300 + "[" * 200, "\u202e\ufeff", "2147483648", "-9223372036854775809"]
QUERY_NAMES = ["page", "q", "next", "lang", "return", "sent", "inline", "id", "old", "new", "state", "department",
               "form", "sort", "status", "assigned", "overdue", "a[b][c]", "\x00"]
FIELD_NAMES = ["csrf_token", "login", "password", "email", "full_name", "pesel", "reason", "comment", "text",
               "information_requested", "address-street", "address-postcode", "delivery_method", "roles",
               "department", "verify-document_type", "verify-document_suffix", "verify-email", "verify-state",
               "reject-reason", "reopen-reason", "number", "days", "action", "clerk", "note", "a[b][c][d]",
               "household-0-name", "household-99999999999999999999-name", "\x00"]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str))


def routes(app):
    """(rule, methods) of every route but log-out (it would end the session the fuzzing needs) and static files."""
    return [(rule, sorted(rule.methods & {"GET", "POST"})) for rule in app.url_map.iter_rules()
            if rule.endpoint not in ("static", "auth.logout")]


def address(rule, args: dict[str, str]) -> str:
    """The rule's path with each argument replaced by the given value (percent-encoded as a browser would)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(args[m.group(1)], safe=""), rule.rule)


class Clients:
    """One logged-in client per role, the real objects a route may be asked about, and what went wrong."""

    def __init__(self, app, client_factory, make_user):
        self.app = app
        self.clients = {}
        self.tokens = {}
        for role in ROLES:
            client = client_factory()
            if role is not None:
                department = {Role.CLERK: "OR", Role.FRONT_DESK: "BOI"}.get(role)
                client.login(make_user(role, department=department).email)
            self.clients[role] = client
            self.tokens[role] = client.csrf_token("/login")
        citizen = self.clients[Role.CITIZEN]
        self.case_id = str(send(citizen))
        self.drafts = {Role.CITIZEN: citizen.start(FORM).split("/")[2],
                       None: self.clients[None].start("public-information").split("/")[2]}
        with app.app_context():
            now = utcnow()
            pending = register("Anna Nowak", "44051401359", "anna.nowak@example.pl", None,
                               {"street": "ul. Lwowska 1", "postcode": "38-400", "city": "Krosno"}, now,
                               days_later(now, 30, "Europe/Warsaw"), lambda user: ("Rejestracja", "Kod"))
            self.user_id = str(pending.id)
            db.session.remove()
        self.failures: list[str] = []

    def real_args(self, rule, role) -> dict[str, str]:
        real = {"case_id": self.case_id, "user_id": self.user_id, "draft_id": self.drafts.get(role, "no-such-draft")}
        return {name: real.get(name, str(SAMPLE_ARGS.get(name, 1))) for name in rule.arguments}

    def send(self, role, method: str, url: str, **kwargs) -> int:
        try:  # TESTING lets an error through as it was raised: it is what a visitor would get a 500 for
            status = self.clients[role].open(url, method=method, **kwargs).status_code
        except Exception as error:  # noqa: BLE001 - any of them is the finding
            status = 500
            problem = f"{type(error).__name__}: {error}"[:300]
        else:
            problem = str(status)
        if status >= 500:
            self.failures.append(f"{role and role.value} {method} {url[:200]!r} {str(kwargs)[:200]}: {problem}")
        return status


def body_kinds(token: str, value: str):
    """The bodies a form route is sent: its own fields with the value, and what no browser form sends."""
    yield {"data": {"csrf_token": token, **{name: value for name in FIELD_NAMES[1:]}}}
    yield {"data": json.dumps({"csrf_token": token, "a": [[[[[[[[[[value]]]]]]]]]]}),
           "content_type": "application/json", "headers": {"X-CSRFToken": token}}
    yield {"data": f"<a>{value}</a>", "content_type": "application/xml"}
    yield {"data": value, "content_type": "text/plain"}
    yield {"data": b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + value.encode() + b"\r\n--x",
           "content_type": "multipart/form-data; boundary=x"}
    yield {"data": {"csrf_token": token, **{f"f{number}": value for number in range(600)}}}


def test_every_route_answers_the_classic_attacks_without_a_server_error(app, make_user):
    fuzz = Clients(app, app.test_client, make_user)
    for rule, methods in routes(app):
        for role in ROLES:
            token = fuzz.tokens[role]
            for value in ("a\x00b", HUGE, "/\r\n//evil.example"):
                args = {**fuzz.real_args(rule, role), **{name: value for name in rule.arguments
                                                         if name not in ("form",)}}
                query = "?" + urlencode({name: value for name in QUERY_NAMES})
                for method in methods:
                    fuzz.send(role, method, address(rule, args) + query)
            if "POST" in methods:
                url = address(rule, fuzz.real_args(rule, role))
                for body in body_kinds(token, "a\x00b"):
                    fuzz.send(role, "POST", url, **body)
    assert fuzz.failures == []


def test_random_requests_to_every_route_never_get_a_server_error(app, make_user):
    fuzz = Clients(app, app.test_client, make_user)
    table = routes(app)

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1500)), deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_request(data):
        rule, methods = data.draw(st.sampled_from(table), "route")
        role = data.draw(st.sampled_from(ROLES), "role")
        method = data.draw(st.sampled_from(methods), "method")
        args = {name: data.draw(st.one_of(st.just(real), values), name)
                for name, real in fuzz.real_args(rule, role).items()}
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4), "query")
        url = address(rule, args) + ("?" + urlencode(query) if query else "")
        body = {}
        if method == "POST":
            names = st.one_of(st.sampled_from(FIELD_NAMES[1:]), st.text(min_size=1, max_size=30))
            fields = data.draw(st.dictionaries(names, values, max_size=8), "fields")
            body = {"data": {"csrf_token": fuzz.tokens[role], **fields}}
        fuzz.send(role, method, url, **body)

    one_request()
    assert fuzz.failures == []
