"""Every shipped form, filled in Chromium like a person would, with axe checking each page for WCAG 2.1 A/AA.

The same journeys run with JavaScript off: nothing in eurzad needs it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from eurzad.cases.models import Case
from eurzad.extensions import db

from ..conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "form_definitions" / "samples"
FORM_IDS = sorted(path.stem for path in SAMPLES.glob("*.yaml"))  # every form with a golden sample
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()


def assert_accessible(page) -> None:
    """No WCAG 2.1 A or AA violation that axe can find on the page as it is now."""
    if not page.javascript:
        return  # axe runs as a script in the page
    results = AXE.run(page, options=WCAG)
    problems = [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
                for v in results.response["violations"]]
    assert problems == [], f"{page.url}: {problems}"


def log_in(page, email: str) -> None:
    page.goto("/login")
    assert_accessible(page)
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    page.click("button.button")
    assert "/cases/" in page.url


def fill(page, post: dict) -> None:
    """Answer the questions this page shows, from a sample post, as a person would: a date is typed into
    its day, month and year boxes (`date_from-day`...) like any box; items of a list are added first."""
    for group, count in _items_needed(post).items():
        last = f'[name="{group}-{count - 1}"], [name^="{group}-{count - 1}-"]'
        while page.locator(last).count() == 0 and page.locator(f'button[formaction$="/add/{group}"]').count():
            page.click(f'button[formaction$="/add/{group}"]')
    for name, value in post.items():
        inputs = page.locator(f'[name="{name}"]')
        if inputs.count() == 0:
            continue
        kind = inputs.first.get_attribute("type") or _tag(page, name)
        values = value if isinstance(value, list) else [value]
        if kind == "radio":
            page.check(f'[name="{name}"][value="{value}"]')
        elif kind == "checkbox":
            boxes = [v for v in values if v not in ("", None, False)]
            for box in page.locator(f'[name="{name}"]').all():
                box_value = box.get_attribute("value")
                if box_value in [str(v) for v in boxes] or (box_value == "y" and boxes):
                    box.check()
                else:
                    box.uncheck()
        elif kind == "select":
            inputs.first.select_option(str(value))
        elif kind != "file":
            inputs.first.fill(str(value))


def _tag(page, name: str) -> str:
    html = page.content()
    match = re.search(rf'<(select|textarea)[^>]*name="{re.escape(name)}"', html)
    return match.group(1) if match else "text"


def _items_needed(post: dict) -> dict[str, int]:
    needed: dict[str, int] = {}
    for name in post:
        match = re.match(r"^([a-z_]+)-(\d+)(-|$)", name)
        if match:
            needed[match[1]] = max(needed.get(match[1], 0), int(match[2]) + 1)
    return needed


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_golden_journey(app, page, make_user, form_id):
    sample = yaml.safe_load((SAMPLES / f"{form_id}.yaml").read_text(encoding="utf-8"))
    log_in(page, make_user().email)
    page.goto("/")
    assert_accessible(page)
    page.goto(f"/forms/{form_id}")
    assert_accessible(page)
    page.click("button.button--start")
    # The first page, sent with nothing answered, shows the error state (every form asks something first).
    page.click("button.button:not(.button--secondary)")
    assert page.title().startswith("Błąd: ") and page.locator(".error-summary").count() == 1
    assert_accessible(page)
    for _ in range(40):
        if page.url.endswith("/check"):
            break
        fill(page, sample["post"])
        assert_accessible(page)
        page.click("button.button:not(.button--secondary)")
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    assert page.url.endswith("/check")
    assert_accessible(page)
    page.click("button.button")
    assert page.url.endswith("/sent")
    number = page.locator(".case-number").inner_text()
    assert number.startswith(sample["department"] + ".")
    assert_accessible(page)
    page.click("text=Zobacz potwierdzenie")
    assert number in page.content()
    assert_accessible(page)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert json.loads(case.submission.data_json) == sample["data"]


def test_the_error_summary_links_move_to_the_field(app, page, make_user):
    log_in(page, make_user().email)
    page.goto("/forms/public-information")
    page.click("button.button--start")
    page.click("button.button")
    link = page.locator(".error-summary a").first
    assert link.inner_text() == "Opisz, jakiej informacji potrzebujesz"
    link.click()
    assert page.url.endswith("#information_requested")
    if page.javascript:
        assert page.evaluate("document.activeElement.id") == "information_requested"


def test_axe_does_find_violations(page):
    """The accessibility check is not vacuous: a page with an unlabelled input fails it."""
    if not page.javascript:
        pytest.skip("axe runs as a script")
    page.set_content('<html lang="pl"><title>x</title><body><main><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)
