"""What a definition says and what a citizen types is shown as text, never run as markup, on every page."""
from __future__ import annotations

import io

from markupsafe import escape

from eurzad.auth.models import Role

from .test_attachments import png

MARK = "<b>\"&'"
"""Characters HTML must escape; every text of tests/definitions/escaping.yaml holds them."""


def shown(texts: str) -> list[str]:
    """Texts of the escaping form (each with MARK) as they must appear in a page: escaped."""
    return [str(escape(text)) for text in texts.split("|")]


QUESTION_TEXTS = shown(
    "Formularz <b>\"&' próbny|Strona <b>\"&' pytań"
    "|Imię <b>\"&' tekst|Podpowiedź <b>\"&' tekstu|Adres <b>\"&' e-mail|Podpowiedź <b>\"&' e-maila"
    "|Telefon <b>\"&'|Podpowiedź <b>\"&' telefonu|Opis <b>\"&'|Podpowiedź <b>\"&' opisu"
    "|Data <b>\"&'|Podpowiedź <b>\"&' daty|Liczba <b>\"&'|Podpowiedź <b>\"&' liczby"
    "|Kolor <b>\"&' przyciski|Podpowiedź <b>\"&' przycisków|Czerwony <b>\"&'|Zielony <b>\"&'"
    "|Rozmiar <b>\"&' lista|Podpowiedź <b>\"&' listy|Mały <b>\"&'|Duży <b>\"&'"
    "|Zgoda <b>\"&' pole|Podpowiedź <b>\"&' pola|Dodatki <b>\"&' pola|Podpowiedź <b>\"&' pól"
    "|Kokarda <b>\"&'|Dzwonek <b>\"&'|Adres <b>\"&' grupa|Podpowiedź <b>\"&' grupy"
    "|Ulica <b>\"&'|Podpowiedź <b>\"&' ulicy|Miasto <b>\"&'"
    "|Osoby <b>\"&' powtarzane|Podpowiedź <b>\"&' osób|Osoba <b>\"&' 1|Dodaj <b>\"&' osobę"
    "|Imię <b>\"&' osoby|Podpowiedź <b>\"&' imienia")
ERROR_TEXTS = shown(
    "Błąd <b>\"&' tekstu|Błąd <b>\"&' e-maila|Błąd <b>\"&' telefonu|Błąd <b>\"&' opisu"
    "|Błąd <b>\"&' liczby|Błąd <b>\"&' przycisków|Błąd <b>\"&' listy|Błąd <b>\"&' pola|Błąd <b>\"&' pól"
    "|Błąd <b>\"&' ulicy|Błąd <b>\"&' miasta|Błąd <b>\"&' osób")
TYPED = {"name": MARK, "email": MARK, "phone": MARK, "story": MARK, "day-day": MARK, "count": MARK,
         "address-street": "", "address-city": "", "people-0-name": ""}
ANSWERS = {"name": f"Jan {MARK} Kowalski", "email": "jan@example.pl", "phone": "+48 13 474 33 00",
           "story": f"Opis {MARK} sprawy", "day-day": "31", "day-month": "12", "day-year": "2026",
           "count": "7", "colour": MARK, "size": MARK,
           "agree": "y", "extras": [MARK, "bell"], "address-street": f"ul. {MARK} 5",
           "address-city": f"Krosno {MARK}", "people-0-name": f"Anna {MARK}", "people-1-name": "Piotr"}
ANSWER_TEXTS = shown(f"Jan {MARK} Kowalski|Opis {MARK} sprawy|ul. {MARK} 5|Krosno {MARK}|Anna {MARK}")
SUMMARY_TEXTS = shown(
    "Imię <b>\"&' tekst|Czerwony <b>\"&'|Mały <b>\"&'|Kokarda <b>\"&', Dzwonek <b>\"&'|Zgoda <b>\"&' pole"
    "|Adres <b>\"&' grupa|Ulica <b>\"&'|Osoby <b>\"&' powtarzane|Osoba <b>\"&' 2|Imię <b>\"&' osoby"
    "|Skan <b>\"&' plik") + ANSWER_TEXTS + ["Tom &amp; Jerry&#39;s.png"]


def assert_escaped(page: str, texts: list[str]) -> None:
    assert "<b>" not in page, page[max(0, page.index("<b>") - 300):page.index("<b>") + 100]
    for text in texts:
        assert text in page, f"{text} is not shown"


def error_summary(page: str) -> str:
    start = page.index('class="error-summary"')
    return page[start:page.index("</ul>", start)]


def post(client, url: str, data: dict, **kwargs):
    return client.post(url, data={**data, "csrf_token": client.csrf_token(url)}, **kwargs)


def test_every_widget_shows_texts_of_the_definition_and_of_the_citizen_escaped_on_every_page(test_forms, make_user):
    first = test_forms.start("escaping")
    assert_escaped(test_forms.get(first).get_data(as_text=True), QUESTION_TEXTS)

    more = test_forms.post(f"{first}/add/people", data={**TYPED, "people-0-name": MARK,
                                                        "csrf_token": test_forms.csrf_token(first)})
    assert more.status_code == 200
    assert_escaped(more.get_data(as_text=True), QUESTION_TEXTS + shown("Osoba <b>\"&' 2"))

    refused = post(test_forms, first, TYPED)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert_escaped(page, QUESTION_TEXTS + ERROR_TEXTS)
    assert_escaped(error_summary(page), ERROR_TEXTS)
    typed = f'value="{escape(MARK)}"'
    assert page.count(typed) == 5 + 3, "five boxes give back what was typed; three choices have it as a value"
    assert "Data musi zawierać miesiąc i rok" in page  # a date of which only the day was typed
    assert f">{escape(MARK)}</textarea>" in page

    scan = post(test_forms, first, ANSWERS).headers["Location"]
    assert_escaped(test_forms.get(first).get_data(as_text=True), QUESTION_TEXTS + ANSWER_TEXTS)
    assert_escaped(test_forms.get(scan).get_data(as_text=True), shown("Skan <b>\"&' plik|Podpowiedź <b>\"&' pliku"
                                                                     "|Strona <b>\"&' pliku"))
    no_file = post(test_forms, scan, {})
    assert no_file.status_code == 400
    assert_escaped(no_file.get_data(as_text=True), shown("Błąd <b>\"&' pliku"))
    wrong = post(test_forms, scan, {"scan": (io.BytesIO(b"plain text"), "x.png")}, content_type="multipart/form-data")
    assert_escaped(wrong.get_data(as_text=True), shown("Zły <b>\"&' rodzaj pliku"))
    check = post(test_forms, scan, {"scan": (io.BytesIO(png()), "Tom & Jerry's.png")},
                 content_type="multipart/form-data").headers["Location"]
    assert_escaped(test_forms.get(scan).get_data(as_text=True), ["Tom &amp; Jerry&#39;s.png"])
    assert "Jerry's" not in test_forms.get(scan).get_data(as_text=True)

    assert_escaped(test_forms.get(check).get_data(as_text=True), SUMMARY_TEXTS + shown(
        "Strona <b>\"&' pytań|Oświadczam <b>\"&'|Dane <b>\"&' osobowe|Wyślij <b>\"&'"))
    refused = test_forms.submit(check)  # 7 is too many once a file is attached: a rule of the whole form
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert_escaped(error_summary(page), shown("Za dużo <b>\"&' przy pliku"))
    assert_escaped(page, SUMMARY_TEXTS)
    assert post(test_forms, first + "?return=check", {**ANSWERS, "count": "3"}).headers["Location"] == check
    case_id = int(test_forms.submit(check).headers["Location"].split("/")[2])
    assert_escaped(test_forms.get(f"/cases/{case_id}").get_data(as_text=True), SUMMARY_TEXTS)
    assert_escaped(test_forms.get(f"/cases/{case_id}/receipt").get_data(as_text=True), ["Tom &amp; Jerry&#39;s.png"])

    clerk = test_forms.application.test_client()
    clerk.login(make_user(Role.CLERK, department="OR").email)
    assert_escaped(clerk.get(f"/clerk/cases/{case_id}").get_data(as_text=True), SUMMARY_TEXTS)
