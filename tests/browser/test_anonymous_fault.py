"""The second half for someone without an account: a fault reported anonymously is followed through its
tracking link — the office asks for details, the sender gives them there and gets a receipt, the office
marks the fault fixed with a document, which the sender reads and downloads there (delivery recorded);
every citizen-visible step e-mailed (pointing to the link, never the data). axe on every page, JavaScript on and off."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select

from eurzad.auth.models import Role
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage

from .test_case_handling import PDF, log_in, log_out
from .test_golden_journeys import ROOT, assert_accessible, fill
from .test_seed_path import follow, press

SAMPLE = yaml.safe_load((ROOT / "form_definitions/samples/fault-report.yaml").read_text(encoding="utf-8"))
SENDER = SAMPLE["post"]["email"]


def mail_to(app, recipient: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == recipient)
                                       .order_by(OutboxMessage.id)))


def report_a_pothole(page) -> tuple[str, str]:
    """Report the sample's pothole without logging in; the case number and the tracking page's address."""
    page.goto("/forms/fault-report")
    assert_accessible(page)
    page.click("button.button--start")
    for _ in range(20):
        if page.url.endswith("/check"):
            break
        fill(page, SAMPLE["post"])
        page.click("button.button:not(.button--secondary)")
    assert_accessible(page)
    assert page.locator("#contact_email").count() == 0  # the form's own e-mail question was the contact: asked once
    press(page, "Wyślij zgłoszenie")
    assert "/track/" in page.url
    assert_accessible(page)
    return page.locator(".case-number").inner_text(), page.url.split("?")[0]


def test_an_anonymous_fault_report_followed_to_the_end_through_its_tracking_link(app, page, make_user, tmp_path):
    clerk = make_user(Role.CLERK, department="DR", full_name="Adam Drogowiec")
    number, tracking = report_a_pothole(page)
    [receipt_mail] = mail_to(app, SENDER)
    assert number in receipt_mail and tracking.split("/track/")[1] in receipt_mail
    assert "Głęboka dziura" not in receipt_mail  # a link, never the data

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    press(page, "Poproś o szczegóły")  # without the comment it needs
    assert page.title().startswith("Błąd: ")
    page.fill("#request_supplement-comment", "Prosimy podać, przy którym przystanku jest dziura.")
    page.get_by_label("Opis awarii").check()  # the answer the sender may correct
    press(page, "Poproś o szczegóły")
    assert "Zrobione: Poproś o szczegóły" in page.content()
    assert_accessible(page)
    log_out(page)
    request_mail = mail_to(app, SENDER)[-1]  # only the link's digest is kept: the mail points to the first one
    assert number in request_mail and "Czekamy na szczegóły zgłoszenia od Ciebie" in request_mail
    assert "użyj linku z wiadomości potwierdzającej" in request_mail and "przystanku" not in request_mail

    page.goto(tracking)
    content = page.content()
    assert "Czekamy na szczegóły zgłoszenia od Ciebie" in content
    assert "Prosimy podać, przy którym przystanku jest dziura." in content
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Odpowiedz na wezwanie"))
    assert_accessible(page)
    page.fill("#description", "Dziura przy przystanku Podkarpacka 01, w prawym pasie w stronę centrum.")
    photo = tmp_path / "szkic.pdf"
    photo.write_bytes(PDF)
    page.set_input_files("#supplement-documents", str(photo))
    press(page, "Wyślij odpowiedź")
    assert "Urząd otrzymał Twoje uzupełnienie" in page.content() and "szkic.pdf" in page.content()
    assert_accessible(page)

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    content = page.content()
    assert "Uzupełniona" in content and "przy przystanku Podkarpacka 01" in content
    assert page.get_by_role("button", name="Wznów po uzupełnieniu").count() == 0  # the answer brought it back
    press(page, "Skieruj do naprawy")
    page.fill("#mark_fixed-comment", "Ubytek zalano masą na gorąco; protokół w załączeniu.")
    protocol = tmp_path / "protokol.pdf"
    protocol.write_bytes(PDF)
    page.set_input_files("#mark_fixed-documents", str(protocol))
    press(page, "Oznacz jako usuniętą")
    assert "Zrobione: Oznacz jako usuniętą" in page.content()
    assert "Wnioskodawca jeszcze nie otworzył" in page.content()
    log_out(page)

    page.goto(tracking)
    content = page.content()
    assert "Awaria została usunięta" in content and "protokół w załączeniu" in content
    assert "Czekamy na szczegóły" in content or "Prosimy podać" in content  # the timeline keeps the request
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="protokol.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    mails = mail_to(app, SENDER)  # filed, details asked, repair scheduled, fixed
    assert "Awaria została usunięta" in mails[-1] and len(mails) == 4

    log_in(page, clerk.email)
    follow(page, page.get_by_role("link", name=number))
    assert "Doręczono: wnioskodawca otworzył" in page.content()


def test_a_fault_reported_without_an_e_mail_address_keeps_its_link_by_copy_or_print(app, page, live_server):
    """No address, no e-mail: the link is shown to keep. With JavaScript a button copies it; without, it is text
    to select. The slip prints the same link, with a Print button only where JavaScript runs."""
    if page.javascript:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/forms/fault-report")
    page.click("button.button--start")
    for _ in range(20):
        if page.url.endswith("/check"):
            break
        fill(page, {**SAMPLE["post"], "email": ""})
        page.click("button.button:not(.button--secondary)")
    assert page.locator("#contact_email").count() == 0
    press(page, "Wyślij zgłoszenie")
    assert "/track/" in page.url and "nie wysłaliśmy tego linku nigdzie" in page.content()
    link = page.locator("#tracking-link").inner_text()
    path = page.url.split(live_server)[1].split("?")[0]
    assert link == "http://127.0.0.1:5000" + path  # the office's public address (SITE_URL), not the browser's
    assert_accessible(page)
    copy = page.get_by_role("button", name="Kopiuj link")
    assert copy.is_visible() == page.javascript
    if page.javascript:
        copy.click()
        page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
        assert page.evaluate("navigator.clipboard.readText()") == link
        assert "Link jest skopiowany" in page.locator("[data-copy-status]").inner_text()
        assert_accessible(page)
    follow(page, page.get_by_role("link", name="Wydrukuj kartkę z linkiem"))
    assert link in page.content() and "Ctrl+P" in page.content()
    assert page.get_by_role("button", name="Drukuj").is_visible() == page.javascript
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []  # nothing was e-mailed


def test_a_lost_link_is_asked_for_again(app, page):
    number, tracking = report_a_pothole(page)
    page.goto("/track/lost")
    assert_accessible(page)
    press(page, "Wyślij nowy link")  # nothing filled in
    assert page.title().startswith("Błąd: ")
    assert_accessible(page)
    page.fill("#number", number)
    page.fill("#email", SENDER)
    press(page, "Wyślij nowy link")
    assert "Od teraz działa tylko nowy link" in page.content()
    assert_accessible(page)
    new_link = mail_to(app, SENDER)[-1].split("http://127.0.0.1:5000", 1)[1].split()[0]
    assert page.goto(tracking).status == 404
    page.goto(new_link)
    assert number in page.content()
