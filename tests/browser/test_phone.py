"""On a phone (390 px wide) no page scrolls sideways — lists of cases, drafts, staff and e-mails become one block
per row — and every radio and tick box is a target of at least 40 px."""
from __future__ import annotations

import pytest

from eurzad.auth.models import Role

from ..web.test_citizen_journey import FORM, VALID
from .test_case_handling import log_in, log_out
from .test_golden_journeys import assert_accessible

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, locale="pl-PL", base_url=live_server, is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript = True
    yield tab
    context.close()


def assert_fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 390 px"


def test_no_page_scrolls_sideways_on_a_phone(phone, client, make_user):
    citizen = make_user(full_name="Zofia Wiśniewska-Konstantynopolitańczykiewicz",
                        email="zofia.wisniewska-konstantynopolitanczykiewicz@example.pl")
    client.login(citizen.email)
    client.send_form(FORM, VALID)  # a case in My cases and an e-mail in the outbox
    client.start(FORM)  # a draft in My drafts
    log_in(phone, citizen.email)
    for path in ("/", "/cases/", "/drafts/", f"/forms/{FORM}"):
        phone.goto(path)
        assert_fits(phone)
    log_out(phone)
    for role, department, pages in ((Role.ADMIN, None, ("/admin/users/", "/admin/outbox/")),
                                    (Role.FRONT_DESK, "BOI", ("/front-desk/",)),
                                    (Role.HEAD, "OR", ("/clerk/", "/clerk/?view=all"))):
        user = make_user(role, department=department)
        log_in(phone, user.email)
        for path in pages:
            phone.goto(path)
            assert_fits(phone)
            assert_accessible(phone)
        if role == Role.HEAD:
            phone.locator("table a").first.click()  # the case page
            assert_fits(phone)
        log_out(phone)


def test_radios_and_tick_boxes_are_40_px_targets(phone, make_user):
    log_in(phone, make_user().email)
    phone.goto("/forms/fault-report")
    phone.click("button.button--start")
    boxes = phone.locator("input[type=radio]")
    assert boxes.count() >= 2
    for box in boxes.all():
        size = box.bounding_box()
        assert size["width"] >= 40 and size["height"] >= 40, size
    assert_fits(phone)
