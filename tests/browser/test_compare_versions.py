"""An administrator compares a stored version of a form with the one published now, in Chromium, JavaScript on
and off: the breaking change is flagged with why, a harmless one is listed; axe on the pages."""
from __future__ import annotations

from pathlib import Path

import yaml

from eurzad.auth.models import Role
from eurzad.cases.models import DefinitionSnapshot
from eurzad.extensions import db
from eurzad.timeutil import utcnow

from .test_golden_journeys import assert_accessible
from .test_preview import log_in_as_administrator
from .test_seed_path import press

ROOT = Path(__file__).resolve().parents[2]
FIELD = "full_name: {type: string, minLength: 2, maxLength: %d}"


def test_an_administrator_compares_a_stored_version_with_the_published_one(app, page, make_user):
    published = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
    version = yaml.safe_load(published)["version"]
    older = published.replace(f"version: {version}", "version: 1", 1).replace(FIELD % 200, FIELD % 300)
    assert older.count(FIELD % 300) == 1, "the question the test changes is gone from the shipped form"
    with app.app_context():
        db.session.add(DefinitionSnapshot(sha256="d" * 64, form_id="public-information", version=1, text=older,
                                          created_at=utcnow()))
        db.session.commit()
    log_in_as_administrator(page, make_user(Role.ADMIN).email)
    page.goto("/admin/forms/public-information")
    assert page.locator("#old").input_value() == "d" * 64 and page.locator("#new").input_value() == "current"
    press(page, "Porównaj")
    assert page.locator("h1").inner_text() == "Porównanie wersji"
    changes = page.locator("ul.diff li")
    texts = [changes.nth(i).inner_text() for i in range(changes.count())]
    assert any("full_name" in text and "300 → 200" in text and "BREAKING" in text for text in texts), texts
    assert "może zepsuć" in page.locator(".warning-text").inner_text()
    assert_accessible(page)
