"""Fixtures shared by every test: the app on a clean database, a browser-like client, users."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.test import EnvironBuilder

from eurzad import create_app, schema
from eurzad.auth.models import IdentityCheck, Role, User
from eurzad.auth.operations import create_user
from eurzad.engine.definitions import Registry, load_registry
from eurzad.engine.messages import Translator
from eurzad.extensions import db, limiter
from eurzad.signatures import keys
from eurzad.timeutil import utcnow

from .page_checks import inline_code

# Tests never read or write the developer's instance/ folder; the office's signing key is made once per run.
os.environ["EURZAD_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="eurzad-test-instance-")
OFFICE_KEY = keys.create(Path(os.environ["EURZAD_INSTANCE_PATH"]) / "keys", "Urząd Miasta Krosna",
                         "REGON 000526071", utcnow())

ROOT = Path(__file__).resolve().parents[1]


def debian_tool(name: str) -> str:
    """The path of a Debian program a test runs (xmlsec1, pdfsig…): `make test` installs them as root; where
    one is missing the test is skipped and says so, but in CI a missing tool is a failure."""
    path = shutil.which(name)
    if path is None:
        message = f"needs {name}: sudo apt-get install xmlsec1 poppler-utils (make test does as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
PASSWORD = "correct horse battery staple"
TRANSLATIONS = ROOT / "platform" / "eurzad" / "translations"


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """EURZAD_TEST_DATABASE_URL (CI: PostgreSQL), else a fresh SQLite file."""
    return os.environ.get("EURZAD_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


test_database_url.__test__ = False  # type: ignore[attr-defined]


def make_app(url: str, **overrides) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
                       "PER_PAGE": 5, **overrides})


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a database whose schema is created anew for this test run, through the migrations as
    `eurzad init` does (decision 0038): about a second, once per run."""
    app = make_app(test_database_url(tmp_path_factory))
    limiter.enabled = True
    app.test_client_class = Browser
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        schema.upgrade(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def another_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database with other settings (say, a newer set of definitions)."""
    made: list[Flask] = []

    def make(**overrides) -> Flask:
        other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], **overrides)
        other.test_client_class = Browser
        made.append(other)
        return other
    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture()
def forms_app(another_app, tmp_path) -> Callable[..., Flask]:
    """forms_app(**settings): an app that publishes the shipped forms and the test forms of tests/definitions
    (household: a repeating group; letter: an attached file; event: dates with rules, a list of dates, yes/no,
    a consent, an amount), its files in a folder of the test's own."""
    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "form_definitions", defs)
    for path in (ROOT / "tests" / "definitions").glob("*.yaml"):
        shutil.copy(path, defs)
    return lambda **settings: another_app(**{"DEFINITIONS_DIR": str(defs), "ATTACHMENTS_DIR": str(tmp_path / "files"),
                                             **settings})


@pytest.fixture()
def test_forms(forms_app, make_user) -> Browser:
    """A citizen's client on an app with the test forms (`forms_app`)."""
    client = forms_app().test_client()
    client.user = make_user()
    client.login(client.user.email)
    return client


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that uses the app starts with empty tables."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()  # each test starts with no failed log-ins counted
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(t.name for t in db.metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())


class Browser(FlaskClient):
    """A test client that behaves like a browser: it sends the CSRF token the page gave it. Every HTML page it
    receives is read for inline scripts and styles, which the Content-Security-Policy would block."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not response.direct_passthrough:
            found = inline_code(response.get_data(as_text=True))
            assert found == [], f"{response.request.path}: inline code the CSP blocks: {found}"
        return response

    def csrf_token(self, url: str = "/") -> str:
        page = self.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        """POST the form at `url` as a browser would after opening the page."""
        token = self.csrf_token(token_from or url)
        return self.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def submit_files(self, url: str, data: dict, token_from: str | None = None):
        """POST the form at `url` with files, as a browser does (multipart/form-data)."""
        builder = EnvironBuilder(path=url, method="POST",
                                 data={**data, "csrf_token": self.csrf_token(token_from or url)})
        environ = builder.get_environ()
        try:
            return self.open(environ)
        finally:  # Werkzeug spools a body over 500 KB to a temporary file that it leaves open
            environ["wsgi.input"].close()
            builder.close()

    def start(self, form_id: str) -> str:
        """Press "Start now" on a form's start page; return the address of its first page."""
        response = self.submit(f"/forms/{form_id}/start", token_from=f"/forms/{form_id}")
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return response.headers["Location"]

    def answer_pages(self, location: str, answers: dict, limit: int = 60):
        """Answer each page the form leads to with the answers it asks for, as a person pressing
        Continue; stop at the summary (returns its address) or at a page refused (returns the response)."""
        for _ in range(limit):
            if location.endswith("/check"):
                return location
            page = self.get(location).get_data(as_text=True)
            names = set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token"}
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            # Items of a repeating group or a list beyond the first, as if "add another" had been pressed for them.
            names |= {k for k in answers if re.sub(r"^(\w+)-\d+(?=-|$)", r"\1-0", k) in names}
            response = self.post(location, data={**{k: v for k, v in answers.items() if k in names},
                                                 "csrf_token": token})
            if response.status_code != 303:
                return response
            location = response.headers["Location"]
        raise AssertionError("the form never reached its summary")

    def send_form(self, form_id: str, answers: dict):
        """Fill a whole form and send it from the summary; returns the response to sending."""
        reached = self.answer_pages(self.start(form_id), answers)
        assert isinstance(reached, str), re.findall(r'class="error-message">(.*?)</p>', reached.get_data(as_text=True))
        return self.submit(reached)

    def login(self, email: str, password: str = PASSWORD):
        response = self.submit("/login", {"login": email, "password": password})
        assert response.status_code == 303, f"log-in as {email} failed"
        return response


@pytest.fixture()
def client(app: Flask) -> Browser:
    return app.test_client()


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., User]:
    """Create a user: make_user(), make_user(Role.CLERK, department="DR")."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.CITIZEN, department: str | None = None, email: str | None = None,
             full_name: str | None = None) -> User:
        number = next(counter)
        with app.app_context():
            user = create_user(email or f"{role.value}{number}@example.pl", full_name or f"Test {role.value} {number}",
                               PASSWORD, role, department)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user
    return make


HOME = {"street": "ul. Grodzka 5", "postcode": "38-400", "city": "Krosno"}


@pytest.fixture()
def make_confirmed_citizen(app: Flask, make_user) -> Callable[..., User]:
    """A citizen whose identity the front desk confirmed with an ID document, as registration and one visit
    leave it: name, PESEL, e-mail, phone and home address, and the check on record (decision 0028)."""
    counter = iter(range(1, 10_000))

    def make(full_name: str = "Zofia Wiśniewska", pesel: str = "44051401359", email: str | None = None,
             phone: str | None = "+48 600 100 200") -> User:
        desk = make_user(Role.FRONT_DESK, department="BOI")
        with app.app_context():
            user = create_user(email or f"confirmed{next(counter)}@example.pl", full_name, PASSWORD, Role.CITIZEN,
                               pesel=pesel, phone=phone, address=dict(HOME))
            db.session.flush()
            db.session.add(IdentityCheck(user_id=user.id, outcome="verified", document_type="id_card",
                                         document_suffix="7X1Q", checked_by=desk.id, checked_at=utcnow()))
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user
    return make


@pytest.fixture()
def citizen_client(client: Browser, make_user) -> Browser:
    """A client logged in as a fresh citizen (the user is `client.user`)."""
    client.user = make_user(Role.CITIZEN)
    client.login(client.user.email)
    return client


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The shipped definitions, loaded without an app."""
    return load_registry(ROOT / "form_definitions", ROOT / "workflows.yaml")


@pytest.fixture(scope="session")
def pl() -> Translator:
    return Translator("pl", Translations.load(str(TRANSLATIONS), ["pl"]))


@pytest.fixture(scope="session")
def en() -> Translator:
    return Translator("en", Translations.load(str(TRANSLATIONS), ["en"]))


@pytest.fixture()
def smtp_server():
    """A real SMTP server on a free local port (aiosmtpd); `.messages` holds what it received."""
    import asyncio
    import socket

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []
            self.delay = 0.0  # seconds each message takes to be accepted, as a busy server's would

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            await asyncio.sleep(self.delay)
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()
