"""A citizen whose identity the front desk confirmed sees the name and PESEL from the account in the form, as
text, in a real browser (JavaScript on and off, axe on every page); the receipt names the account holder."""
from __future__ import annotations

from .test_golden_journeys import assert_accessible, fill, log_in

ANSWERS = {"address-street": "ul. Grodzka 5", "address-postcode": "38-400", "address-city": "Krosno",
           "legal_title": "tenancy", "manager": "Spółdzielnia Mieszkaniowa Przykład w Krośnie", "floor_area": "48,5",
           "rooms_kitchen_area": "36", "household-0-full_name": "Zofia Wiśniewska", "household-0-relation": "applicant",
           "household-0-income": "3100", "disabled_members": "no", "housing_costs": "950",
           "full_name": "Katarzyna Zając", "pesel": "92030215673"}  # typed by anyone else; no box takes them here


def test_a_confirmed_citizen_sees_the_name_and_pesel_from_the_account(app, page, make_confirmed_citizen):
    citizen = make_confirmed_citizen()
    log_in(page, citizen.email)
    page.goto("/forms/housing-allowance")
    page.click("button.button--start")
    for _ in range(20):
        if "/pages/applicant" in page.url:
            break
        fill(page, ANSWERS)
        page.click("button.button:not(.button--secondary)")
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    assert page.locator('[name="full_name"], [name="pesel"]').count() == 0
    name, pesel = page.locator("#full_name"), page.locator("#pesel")
    assert name.locator(".prefilled__value").inner_text() == "Zofia Wiśniewska"
    assert pesel.locator(".prefilled__value").inner_text() == "44051401359"
    assert name.locator(".hint").inner_text() == "Z Twojego potwierdzonego konta"
    assert_accessible(page)
    page.click("button.button:not(.button--secondary)")
    assert page.locator('[name="email"]').input_value() == citizen.email  # contact details: filled in, a box
    fill(page, {"phone": ""})
    page.click("button.button:not(.button--secondary)")
    assert page.url.endswith("/check")
    assert page.get_by_text("Z Twojego potwierdzonego konta").count() == 2
    assert_accessible(page)
    page.click("button.button")
    assert page.url.endswith("/sent")
    page.click("text=Zobacz potwierdzenie")
    receipt = page.locator(".receipt").inner_text()
    assert "Zofia Wiśniewska" in receipt and "tożsamość potwierdzona w urzędzie na podstawie dokumentu" in receipt
    assert_accessible(page)
    page.goto("/account/")
    assert "Dowód osobisty o numerze kończącym się na 7X1Q" in page.content()
    assert_accessible(page)
