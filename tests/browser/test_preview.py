"""An administrator previews a pasted, unpublished form in Chromium, in Polish and in English: the banner, an
error by its question and in the summary, the check page, "send" and the sample receipt, axe on every page; with
JavaScript on and off. Nothing is filed."""
from __future__ import annotations

from sqlalchemy import func, select

from eurzad.auth.models import Role
from eurzad.cases.models import Case, CaseCounter, Submission
from eurzad.drafts.models import Draft
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.receipts.models import Receipt

from ..conftest import PASSWORD
from ..web.test_previews import PASTED
from .test_golden_journeys import assert_accessible
from .test_seed_path import press


def log_in_as_administrator(page, email: str) -> None:
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    page.click("button.button")
    page.goto("/admin/forms/")
    assert page.locator("h1").inner_text() == "Definicje formularzy"
    assert_accessible(page)


def continue_(page, label: str) -> None:
    press(page, label)


def assert_error_by_question_and_in_summary(page, title: str, field_id: str, message: str) -> None:
    """The page in its error state: the title, the summary linking to the question, the same message by it."""
    assert page.title().startswith(title), page.title()
    assert page.locator(".error-summary").count() == 1
    link = page.locator(".error-summary a")
    assert link.inner_text() == message and link.get_attribute("href") == f"#{field_id}"
    assert message in page.locator(f"#{field_id}-error").inner_text()
    assert_accessible(page)


def test_an_unpublished_pasted_form_is_previewed_in_both_languages_and_files_nothing(app, page, make_user):
    log_in_as_administrator(page, make_user(Role.ADMIN).email)
    page.click("text=Podgląd formularza")
    assert_accessible(page)
    page.fill("#text", PASTED)
    page.locator('form[action$="/pasted"] button').click()

    banner = page.get_by_role("region", name="Podgląd — nic nie zostanie wysłane")
    assert banner.count() == 1 and "Wklejona definicja" in banner.inner_text()
    assert page.locator("h1").inner_text() == "Rejestracja psa" and "Informacje o usłudze" in page.content()
    assert_accessible(page)
    page.click("a.button--start")

    continue_(page, "Dalej")  # nothing typed
    assert_error_by_question_and_in_summary(page, "Błąd: Imię psa", "dog_name", "Wpisz imię psa")

    page.click('a[hreflang="en"]')  # the header's language switch, on the same page
    assert page.get_by_role("region", name="Preview — nothing will be sent").count() == 1
    continue_(page, "Continue")
    assert_error_by_question_and_in_summary(page, "Error: The dog's name", "dog_name", "Enter the dog's name")
    assert page.locator(".error-summary h2").inner_text() == "There is a problem"

    page.fill("#dog_name", "Burek")
    continue_(page, "Continue")
    page.check('[name="chipped"][value="yes"]')  # chipped, and the number left out: its required_if holds
    continue_(page, "Continue")
    assert page.title().startswith("Error: ") and page.locator(".error-summary a").get_attribute("href") == \
        "#chip_number"
    assert_accessible(page)
    page.fill("#chip_number", "616093900000123")
    continue_(page, "Continue")

    assert page.url.endswith("/check") and "616093900000123" in page.content()
    assert_accessible(page)
    page.click('a[hreflang="pl"]')
    assert page.locator("h1").inner_text() == "Sprawdź odpowiedzi przed wysłaniem"
    page.click("form button.button")
    assert page.url.endswith("/sent") and page.locator("h1").inner_text() == "Podgląd zakończony"
    assert "GK.6220.N." in page.content()
    assert_accessible(page)
    page.click("text=Zobacz stronę potwierdzenia, którą otrzymałby nadawca")
    assert "GK.6220.N." in page.locator(".case-number").inner_text()
    assert_accessible(page)
    with app.app_context():
        for model in (Case, Submission, Receipt, OutboxMessage, Draft, CaseCounter):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__tablename__
