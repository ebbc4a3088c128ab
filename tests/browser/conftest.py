"""A real browser: Debian's chromium driven by Playwright, against the app served on a local port."""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("EURZAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium (never a downloaded one); skipped with a reason where it is missing, but in CI a
    missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        message = "browser tests need Debian's chromium: apt-get install chromium (CI installs and runs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The test app on a free local port, in a thread of this process (same database as the tests)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def page(request, chromium, live_server):
    """A fresh browser tab, with JavaScript on and, in a second run, off. Every page it shows is checked against the
    Content-Security-Policy: a violation Chromium reports in the console (an inline script or style the policy
    blocked, with JavaScript on or off) fails the test."""
    context = chromium.new_context(java_script_enabled=request.param, locale="pl-PL", base_url=live_server)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript = request.param
    violations: list[str] = []
    tab.on("console", lambda message: violations.append(f"{tab.url}: {message.text}")
           if "Content Security Policy" in message.text else None)
    yield tab
    context.close()
    assert violations == [], violations
