"""The clerk's inbox in a real browser: filtered through its form (JavaScript on and off), axe on each page,
and on a phone's width no sideways scrolling, the list stacked one case a block."""
from __future__ import annotations

from eurzad.auth.models import Role
from eurzad.cases.operations import file_submission
from eurzad.extensions import db, registry
from eurzad.timeutil import utcnow

from .test_case_handling import log_in
from .test_golden_journeys import assert_accessible
from .test_seed_path import follow, press

ANSWERS = {"full_name": "Jan Kowalski", "email": "jan@example.pl", "information_requested": "Rejestr umów",
           "delivery_method": "email", "consent": True}
PHONE = {"width": 360, "height": 740}


def fits(page) -> bool:
    """Whether the page is no wider than the window (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_head_filters_the_inbox_and_sees_who_holds_what_on_a_desk_and_a_phone(app, page, make_user):
    head = make_user(Role.HEAD, department="OR", full_name="Anna Naczelna")
    applicant = make_user(full_name="Jan Kowalski-Wiśniewski")
    with app.app_context():
        reg = registry()
        for _ in range(3):
            file_submission(reg.forms["public-information"], reg.workflows, ANSWERS, applicant.id, "pl", utcnow(),
                            app.config["OFFICE_TIMEZONE"])
        db.session.commit()
    log_in(page, head.email)
    page.goto("/clerk/")
    assert page.locator("tbody tr").count() == 3
    assert_accessible(page)
    page.locator("summary", has_text="Filtruj i sortuj").click()
    page.select_option("#state", "open")
    page.select_option("#sort", "deadline")
    page.fill("#q", "wiśniew")
    press(page, "Pokaż sprawy")
    assert "state=open" in page.url and "sort=deadline" in page.url
    assert page.locator("tbody tr").count() == 3 and "Otwarte (niezałatwione)" in page.content()
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Nikt jeszcze nie prowadzi (3)"))  # the tab keeps the search
    assert "q=wi" in page.url and page.locator("tbody tr").count() == 3
    page.set_viewport_size(PHONE)
    if page.javascript:
        assert fits(page)
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Kto co prowadzi: otwarte i przeterminowane sprawy każdego pracownika"))
    assert "Anna Naczelna" in page.content()
    if page.javascript:
        assert fits(page)
    assert_accessible(page)
