"""The seed's path in a real browser: register, one visit to the front desk, activate, log in, send, see the case."""
from __future__ import annotations

import re

from eurzad.auth.models import Role

from ..conftest import PASSWORD
from .test_golden_journeys import assert_accessible, fill

REGISTRATION = {"full_name": "Zofia Wiśniewska", "pesel": "44051401359", "email": "zofia@example.pl",
                "street": "ul. Grodzka 5", "postcode": "38-400", "city": "Krosno"}
ANSWERS = {"information_requested": "Proszę o rejestr umów zawartych w 2025 roku.", "delivery_method": "email",
           "full_name": "Zofia Wiśniewska", "email": "zofia@example.pl"}
NEW_PASSWORD = "zielona herbata o poranku"


def activate(page, code: str, password: str) -> None:
    page.goto("/activate")
    page.fill("#login", "44051401359")
    page.fill("#code", code)
    page.fill("#password", password)
    page.fill("#confirm", password)
    press(page, "Aktywuj")


def press(page, text: str) -> None:
    """Press a button as a person does, and wait for the page it leads to (a loaded machine may otherwise read
    the document while the next one is still arriving: an empty page)."""
    page.get_by_role("button", name=text).first.click()
    page.wait_for_load_state()


def follow(page, link) -> None:
    """Follow a link as a person does, and wait for the page it leads to before anything reads it (a loaded
    machine may otherwise read the document while the next one is arriving: an empty page)."""
    with page.expect_navigation():
        link.click()


def send_public_information(page) -> str:
    """Fill the public-information form page by page as a person would, send it; the case number shown."""
    page.goto("/forms/public-information")
    press(page, "Rozpocznij")
    for _ in range(10):
        if page.url.endswith("/check"):
            break
        fill(page, ANSWERS)
        press(page, "Dalej")
    press(page, "Wyślij wniosek")  # the form's own send button (ui.submit)
    return page.locator(".case-number").inner_text()


def test_register_visit_the_front_desk_activate_log_in_and_send(app, page, make_user):
    page.goto("/register")
    assert_accessible(page)
    for name, value in REGISTRATION.items():
        page.fill(f"#{name}", value)
    page.check("#consent")
    press(page, "Zarejestruj się")
    code = page.locator(".case-number").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert "Przyjdź najpóźniej" in page.content()
    assert page.get_by_role("button", name="Drukuj").is_visible() == page.javascript  # a print button only with JS
    assert_accessible(page)
    page.reload()  # the code is not lost on a reload
    assert page.locator(".case-number").inner_text() == code

    clerk = make_user(Role.FRONT_DESK, department="BOI")
    page.goto("/login")
    page.fill("#login", clerk.email)
    page.fill("#password", PASSWORD)
    press(page, "Zaloguj się")
    page.fill("#q", code)
    press(page, "Szukaj")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Zofia Wiśniewska"))
    assert_accessible(page)
    page.check("#verify-document_type")  # the first choice carries the question's id
    page.fill("#verify-document_suffix", "7X1Q")
    page.check("#verify-matches")
    press(page, "Potwierdź tożsamość i wydaj kod aktywacyjny")
    activation = page.locator(".case-number").inner_text()
    assert_accessible(page)
    press(page, "Wyloguj się")

    page.goto("/activate")
    assert_accessible(page)
    activate(page, activation, NEW_PASSWORD)
    page.fill("#login", "44051401359")
    page.fill("#password", NEW_PASSWORD)
    press(page, "Zaloguj się")
    assert page.url.endswith("/cases/")

    page.goto("/forms/waste-declaration")
    assert page.get_by_role("button", name="Rozpocznij").count() == 1  # a form that needs an account
    number = send_public_information(page)
    follow(page, page.get_by_role("link", name="Przejdź do moich spraw"))
    assert number in page.content()
    assert_accessible(page)


def test_the_front_desk_gives_access_back_to_a_citizen_who_lost_it(app, page, make_user):
    """Zofia, active, forgot her password and no longer has her mailbox: the clerk finds her by e-mail, checks her
    ID card again, corrects the address and prints a new code; her old password stops working."""
    citizen = make_user(email="zofia.stara@example.pl", full_name="Zofia Wiśniewska")
    clerk = make_user(Role.FRONT_DESK, department="BOI")
    page.goto("/login")
    page.fill("#login", clerk.email)
    page.fill("#password", PASSWORD)
    press(page, "Zaloguj się")
    page.fill("#q", "ZOFIA.STARA@example.pl")
    press(page, "Szukaj")
    assert "Konto aktywne" in page.content()
    follow(page, page.get_by_role("link", name="Zofia Wiśniewska"))
    assert_accessible(page)
    press(page, "Potwierdź tożsamość i wydaj nowy kod aktywacyjny")  # nothing filled in: the errors
    assert page.title().startswith("Błąd: ")
    assert_accessible(page)
    page.check("#verify-document_type")
    page.fill("#verify-document_suffix", "7X1Q")
    page.fill("#verify-email", "zofia.nowa@example.pl")
    page.check("#verify-matches")
    press(page, "Potwierdź tożsamość i wydaj nowy kod aktywacyjny")
    code = page.locator(".case-number").inner_text()
    assert "/activate" in page.content()
    assert_accessible(page)
    press(page, "Wyloguj się")

    page.goto("/login")
    page.fill("#login", "zofia.stara@example.pl")
    page.fill("#password", PASSWORD)
    press(page, "Zaloguj się")
    assert "nieprawidłowe" in page.content()  # the old password and the old address no longer get in
    page.goto("/activate")
    page.fill("#login", "zofia.nowa@example.pl")
    page.fill("#code", code)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    press(page, "Aktywuj")
    page.fill("#login", "zofia.nowa@example.pl")
    page.fill("#password", NEW_PASSWORD)
    press(page, "Zaloguj się")
    assert page.url.endswith("/cases/") and citizen.full_name in page.content()
