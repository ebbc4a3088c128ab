"""Flask-Limiter checks only the pages that carry a limit (issue 11, item 7: the check cost every page ~7 %), yet
every limit still holds: a page's own (log-in: tests/web/test_identity.py; lost link: test_lost_link.py) and one
an operator sets for every page in the settings, which is checked here in a process of its own (the limiter's
app-wide limits would stay with the suite's shared limiter)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

COUNT_ANSWERS = """
from eurzad import create_app
app = create_app({"%(setting)s": "3 per minute"})
client = app.test_client()
print(" ".join(str(client.get(path).status_code) for path in %(paths)r))
"""


@pytest.mark.parametrize(("setting", "paths", "statuses"), [
    ("RATELIMIT_DEFAULT", ["/", "/forms/fault-report", "/", "/", "/"], "200 200 200 200 429"),  # page by page
    ("RATELIMIT_APPLICATION", ["/", "/forms/fault-report", "/", "/login", "/"], "200 200 200 429 429"),  # all pages
])
def test_a_limit_the_operator_sets_for_every_page_holds_on_pages_without_their_own(tmp_path, setting, paths,
                                                                                     statuses):
    env = {**os.environ, "EURZAD_INSTANCE_PATH": str(tmp_path), "EURZAD_SECRET_KEY": "test",
           "EURZAD_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"}
    answered = subprocess.run([sys.executable, "-c", COUNT_ANSWERS % {"setting": setting, "paths": paths}], env=env,
                              capture_output=True, text=True, check=True, timeout=120).stdout.split()
    assert answered == statuses.split()


def test_a_page_without_a_limit_is_never_refused(client):
    assert {client.get("/").status_code for _ in range(40)} == {200}
