"""The clerk unfolds "why did it come here" on a case page in Chromium, with JavaScript on and off: the browser's
own details element shows every routing row and the winning one, and axe finds nothing on the page."""
from __future__ import annotations

from eurzad.auth.models import Role

from .test_case_handling import log_in, log_out
from .test_golden_journeys import assert_accessible
from .test_seed_path import follow, send_public_information


def test_the_clerk_unfolds_the_routing_rows_of_a_case(app, page, make_user):
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    log_in(page, citizen.email)
    number = send_public_information(page)  # no topic answered: not the finances row, the catch-all
    log_out(page)
    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    rows = page.locator("#why-here .routing-rows__row")
    assert rows.count() == 2 and not rows.first.is_visible()
    page.get_by_text("Dlaczego sprawa trafiła tutaj").click()
    assert rows.first.is_visible() and rows.nth(1).is_visible()
    assert "„Czego dotyczy informacja?” nie ma odpowiedzi, a warunek wymaga \"finances\"" in rows.first.inner_text()
    assert "spełnia warunek: ten wiersz wygrywa" in rows.nth(1).inner_text()
    assert_accessible(page)
