"""Two app servers (gunicorn, instance folders of their own) on one PostgreSQL and one Redis serve one office: a
citizen's journey alternates between them, a file taken by one is downloaded through the other, one log-in limit
counts attempts on both, and two workers drain the outbox with no message sent twice (decision 0041)."""
from __future__ import annotations

import hashlib
import http.cookiejar
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eurzad.auth.models import Role
from eurzad.cases.models import Attachment, Case
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.outbox.operations import queue
from eurzad.timeutil import utcnow

from ..conftest import PASSWORD
from .test_attachments import png
from .test_outbox_workers import start_worker, stop, subjects, wait_for
from .test_shared_limits import redis_url

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def instance(folder: Path, settings: dict) -> Path:
    """An instance folder as `eurzad init` and an operator leave it: eurzad.cfg and a copy of the office's keys."""
    folder.mkdir()
    (folder / "eurzad.cfg").write_text("".join(f"{name} = {value!r}\n" for name, value in settings.items()),
                                       encoding="utf-8")
    shutil.copytree(Path(os.environ["EURZAD_INSTANCE_PATH"]) / "keys", folder / "keys")
    return folder


class Host:
    """One app server: `gunicorn -w 2` on its own port and instance folder."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.log = (folder / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}", "eurzad:create_app()"],
            env={**os.environ, "EURZAD_INSTANCE_PATH": str(folder)}, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.folder / "gunicorn.log").read_text()
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{self.url} did not answer: " + (self.folder / "gunicorn.log").read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 303 is a response the test reads, as the client fixture's
        return None


class Visitor:
    """A browser: one cookie jar for the office's address, whichever app server the load balancer picks."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirects())

    def open(self, host: Host, path: str, body: bytes | None = None, content_type: str | None = None):
        request = urllib.request.Request(host.url + path, data=body,
                                         headers={"Content-Type": content_type} if content_type else {})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as refused:  # 3xx (not followed), 4xx: read like any answer
            response = refused
        with response:
            return response.status, response.headers, response.read()

    def page(self, host: Host, path: str) -> str:
        status, _headers, body = self.open(host, path)
        assert status == 200, (host.url, path, status)
        return body.decode()

    def submit(self, host: Host, path: str, data: dict, token_page: str | None = None, files: dict | None = None):
        """POST the form at `path` to `host` with the CSRF token of the page it is on (`token_page`, default:
        `path`), as that host served it; return (status, Location or body)."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.page(host, token_page or path)).group(1)
        fields = {**data, "csrf_token": token, **(files or {})}
        if files:
            boundary, body = encode_multipart(fields)
            status, headers, answer = self.open(host, path, body, f"multipart/form-data; boundary={boundary}")
        else:
            status, headers, answer = self.open(host, path, urllib.parse.urlencode(fields).encode(),
                                                "application/x-www-form-urlencoded")
        return status, headers.get("Location", "") or answer.decode()


@pytest.fixture()
def two_hosts(app, forms_app, tmp_path):
    url = os.environ.get("EURZAD_TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql:", "postgres:")):
        pytest.skip("two app servers share one PostgreSQL: set EURZAD_TEST_DATABASE_URL to a PostgreSQL database "
                    "(CI's PostgreSQL leg does)")
    limits = redis_url()
    import redis
    redis.Redis.from_url(limits).flushdb()  # the tests' own Redis database: no count left from another test
    settings = {"SECRET_KEY": "one key for every host", "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_STORAGE_URI": limits, "ATTACHMENT_STORE": "database",
                "DEFINITIONS_DIR": forms_app().config["DEFINITIONS_DIR"],
                "SESSION_COOKIE_SECURE": False}  # the test talks plain HTTP to 127.0.0.1:<port>
    hosts = [Host(instance(tmp_path / name, settings)) for name in ("a", "b")]
    try:
        for host in hosts:
            host.wait_ready()
        yield hosts
    finally:
        for host in hosts:
            host.stop()


def test_a_citizen_and_a_clerk_are_served_by_either_of_two_app_servers(app, two_hosts, make_user, smtp_server):
    a, b = two_hosts
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    visitor = Visitor()
    assert visitor.submit(a, "/login", {"login": citizen.email, "password": PASSWORD})[0] == 303
    status, first = visitor.submit(b, "/forms/letter/start", {}, token_page="/forms/letter")
    assert status == 303, first
    first = urllib.parse.urlsplit(first).path
    scan = png(8, 8)
    status, summary = visitor.submit(b, first, {"subject": "Skarga na hałas"},
                                     files={"scan": FileStorage(io.BytesIO(scan), "skan.png")})
    assert status == 303, summary
    status, sent = visitor.submit(a, urllib.parse.urlsplit(summary).path, {})
    assert status == 303, sent
    case_id = re.search(r"/cases/(\d+)", sent).group(1)
    receipt = visitor.page(b, f"/cases/{case_id}/receipt")
    with app.app_context():
        case = db.session.get(Case, int(case_id))
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.submission_id == case.submission_id))
        assert case.number in receipt and hashlib.sha256(scan).hexdigest() in receipt

    desk = Visitor()
    assert desk.submit(a, "/login", {"login": clerk.email, "password": PASSWORD})[0] == 303
    status, headers, body = desk.open(a, f"/cases/{case_id}/files/{file_id}")
    assert status == 200 and body == scan and headers["Content-Type"] == "image/png"

    attacker = Visitor()  # the citizen's own log-in on A was the first of the 5 a minute this account gets
    for host in (b, a, b, a):
        assert attacker.submit(host, "/login", {"login": citizen.email, "password": "not it"})[0] == 400
    status, page = attacker.submit(b, "/login", {"login": citizen.email, "password": PASSWORD})
    assert status == 429 and "Zbyt wiele prób" in page

    with app.app_context():
        for number in range(30):
            queue(f"osoba{number}@example.pl", f"Wiadomość {number}", "Treść.", utcnow())
        db.session.commit()
        expected = Counter(db.session.scalars(select(OutboxMessage.subject)))
    smtp_server.delay = 0.05
    workers = [start_worker(app.config["SQLALCHEMY_DATABASE_URI"], smtp_server.port, INSTANCE_PATH=str(host.folder))
               for host in two_hosts]
    try:
        wait_for(smtp_server, sum(expected.values()))
    finally:
        outputs = [stop(worker) for worker in workers]
    assert subjects(smtp_server) == expected, outputs
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0
