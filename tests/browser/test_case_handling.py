"""The seed story's second half in a real browser: the head assigns a case, the clerk asks for a supplement,
the citizen answers it with a corrected answer and a file, the clerk replies with a PDF, the citizen reads
and downloads it (delivery recorded), the case is closed; axe on every page, JavaScript on and off."""
from __future__ import annotations

from pathlib import Path

from eurzad.auth.models import Role

from ..conftest import PASSWORD
from .test_golden_journeys import assert_accessible
from .test_seed_path import follow, press, send_public_information


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    press(page, "Zaloguj się")


def log_out(page) -> None:
    press(page, "Wyloguj się")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_seed_story_from_filing_to_the_delivered_reply(app, page, make_user, tmp_path):
    citizen = make_user(full_name="Zofia Wiśniewska")
    head = make_user(Role.HEAD, department="OR", full_name="Naczelnik Nowak")
    clerk = make_user(Role.CLERK, department="OR", full_name="Ewa Urzędniczka")
    log_in(page, citizen.email)
    number = send_public_information(page)
    log_out(page)

    log_in(page, head.email)
    follow(page, page.get_by_role("link", name=number))
    assert_accessible(page)
    page.select_option("#assign-clerk", label="Ewa Urzędniczka")
    page.fill("#assign-instruction", "Proszę odpowiedzieć w ciągu tygodnia.")
    press(page, "Przydziel")
    assert "Sprawę przydzielono: Ewa Urzędniczka" in page.content()
    assert_accessible(page)
    log_out(page)

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name="Moje (1)"))
    follow(page, page.get_by_role("link", name=number))
    press(page, "Przyjmij do realizacji")
    press(page, "Wezwij do uzupełnienia")  # without the comment it needs
    assert page.title().startswith("Błąd: ") and page.locator(".error-summary").count() == 1
    assert_accessible(page)
    page.fill("#request_supplement-comment", "Proszę podać numer umowy, o którą chodzi.")
    page.get_by_label("Jakiej informacji potrzebujesz?").check()  # the answer the citizen may correct
    press(page, "Wezwij do uzupełnienia")
    assert "Zrobione: Wezwij do uzupełnienia" in page.content()
    assert_accessible(page)
    log_out(page)

    log_in(page, citizen.email)
    follow(page, page.get_by_role("link", name=number))
    content = page.content()
    assert "Urząd czeka na Twoje uzupełnienie" in content and "Proszę podać numer umowy, o którą chodzi." in content
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Odpowiedz na wezwanie"))
    assert_accessible(page)
    page.fill("#information_requested", "Umowa nr 12/2025 z firmą Drogbud, wraz z aneksami.")
    page.fill("#supplement-message", "Numer umowy podaję w poprawionej odpowiedzi.")
    scan = tmp_path / "aneks.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("#supplement-documents", str(scan))
    press(page, "Wyślij odpowiedź")
    assert "Urząd otrzymał Twoje uzupełnienie" in page.content() and "aneks.pdf" in page.content()
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Wróć do sprawy").first)
    assert "Uzupełnienie zostało wysłane" in page.content() and "Odpowiedz na wezwanie" not in page.content()
    log_out(page)

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    content = page.content()
    assert "Uzupełniona" in content and "Umowa nr 12/2025 z firmą Drogbud" in content
    page.fill("#reply-comment", "W załączeniu kopia umowy nr 12/2025.")
    reply = tmp_path / "odpowiedz.pdf"
    reply.write_bytes(PDF)
    page.set_input_files("#reply-documents", str(reply))
    press(page, "Udostępnij informację")
    assert "Zrobione: Udostępnij informację" in page.content() and "Wnioskodawca jeszcze nie otworzył" in page.content()
    assert_accessible(page)
    log_out(page)

    log_in(page, citizen.email)
    follow(page, page.get_by_role("link", name=number))
    content = page.content()
    assert "Urząd udostępnił Ci informację" in content and "W załączeniu kopia umowy nr 12/2025." in content
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="odpowiedz.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    log_out(page)

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    assert "Doręczono: wnioskodawca otworzył" in page.content()
