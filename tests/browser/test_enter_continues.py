"""Enter in a box of a page with a repeating group means Continue (the page's default), not "Add another":
the typed answers go on to the next page, with JavaScript on and off."""
from __future__ import annotations

import yaml

from .test_golden_journeys import ROOT, fill, log_in

SAMPLE = yaml.safe_load((ROOT / "form_definitions/samples/housing-allowance.yaml").read_text(encoding="utf-8"))


def test_enter_in_a_repeating_group_continues_to_the_next_page(app, page, make_user):
    log_in(page, make_user().email)
    page.goto("/forms/housing-allowance")
    page.click("button.button--start")
    one_person = {k: v for k, v in SAMPLE["post"].items() if not k.startswith("household-1-")}
    for _ in range(20):
        if page.locator('[name="household-0-full_name"]').count():
            break
        fill(page, one_person)
        page.click("button.button:not(.button--secondary)")
    household = page.url
    fill(page, one_person)
    page.locator('[name="household-0-income"]').press("Enter")
    page.wait_for_load_state()
    assert page.url != household and "/pages/household" not in page.url  # moved on, no second person added
    assert page.locator(".error-summary").count() == 0
