"""The office's half in a real browser: the head assigns a case, the clerk takes steps, the citizen sees them."""
from __future__ import annotations

from eurzad.auth.models import Role

from ..conftest import PASSWORD
from .test_golden_journeys import assert_accessible
from .test_seed_path import press, send_public_information


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    press(page, "Zaloguj się")


def log_out(page) -> None:
    press(page, "Wyloguj się")


def test_the_head_assigns_the_clerk_requests_a_supplement_and_the_citizen_reads_it(app, page, make_user):
    citizen = make_user(full_name="Zofia Wiśniewska")
    head = make_user(Role.HEAD, department="OR", full_name="Naczelnik Nowak")
    clerk = make_user(Role.CLERK, department="OR", full_name="Ewa Urzędniczka")
    log_in(page, citizen.email)
    number = send_public_information(page)
    log_out(page)

    log_in(page, head.email)
    page.get_by_role("link", name=number).click()
    assert_accessible(page)
    page.select_option("#assign-clerk", label="Ewa Urzędniczka")
    page.fill("#assign-instruction", "Proszę odpowiedzieć w ciągu tygodnia.")
    press(page, "Przydziel")
    assert "Sprawę przydzielono: Ewa Urzędniczka" in page.content()
    assert_accessible(page)
    log_out(page)

    log_in(page, clerk.email)
    page.get_by_role("link", name="Moje (1)").click()
    page.get_by_role("link", name=number).click()
    press(page, "Przyjmij do realizacji")
    press(page, "Wezwij do uzupełnienia")  # without the comment it needs
    assert page.title().startswith("Błąd: ") and page.locator(".error-summary").count() == 1
    assert_accessible(page)
    page.fill("#request_supplement-comment", "Proszę podać numer umowy, o którą chodzi.")
    press(page, "Wezwij do uzupełnienia")
    assert "Zrobione: Wezwij do uzupełnienia" in page.content()
    assert_accessible(page)
    log_out(page)

    log_in(page, citizen.email)
    page.get_by_role("link", name=number).click()
    content = page.content()
    assert "Urząd czeka na Twoje uzupełnienie" in content and "Proszę podać numer umowy, o którą chodzi." in content
    assert_accessible(page)
