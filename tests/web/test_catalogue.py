"""The catalogue as a citizen finds it: groups, a search that forgives case and Polish letters, forms that need
no account marked, every department a routed form may go to; the step counter that never jumps."""
from __future__ import annotations

import re

from eurzad.engine.catalogue import folded

from .test_citizen_journey import FORM, VALID


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="heading-s"><a href="/forms/[^"]+">([^<]+)</a>', page)


SHIPPED_TITLES = {"Zgłoszenie awarii", "Wniosek o przyznanie dodatku mieszkaniowego",
                  "Wniosek o udostępnienie informacji publicznej", "Wniosek o zezwolenie na zajęcie pasa drogowego",
                  "Zgłoszenie zamiaru usunięcia drzewa",
                  "Deklaracja o wysokości opłaty za gospodarowanie odpadami komunalnymi"}


def found_only(page: str, title: str) -> bool:
    """The form found, and none of the other shipped forms (a form an office adds may match too)."""
    found = set(titles(page))
    return title in found and not (SHIPPED_TITLES - {title}) & found


def groups(page: str) -> list[str]:
    return re.findall(r'<h2 class="heading-m">([^<]+)</h2>', page)


def test_the_catalogue_lists_forms_in_the_offices_groups_in_their_order(client):
    page = client.get("/").get_data(as_text=True)
    assert groups(page)[:6] == ["Zgłoszenia i awarie", "Podatki i opłaty", "Mieszkania i pomoc społeczna",
                            "Środowisko i zieleń", "Drogi i transport", "Informacja publiczna"]
    reports = page[page.index("Zgłoszenia i awarie"):page.index("Podatki i opłaty")]
    assert "Zgłoszenie awarii" in titles(reports) and "bez konta" in reports
    english = client.get("/?lang=en", follow_redirects=True).get_data(as_text=True)
    assert groups(english)[0] == "Reports and faults" and "no account needed" in english


def test_a_search_finds_forms_by_title_description_or_keywords_whatever_the_case_and_polish_letters(client):
    found = client.get("/?q=LATARNIA").get_data(as_text=True)
    assert found_only(found, "Zgłoszenie awarii") and "formularz pasuje do „LATARNIA”" in found
    assert found_only(client.get("/?q=drzewo").text, "Zgłoszenie zamiaru usunięcia drzewa")
    assert found_only(client.get("/?q=usuniecia drzewa").text,  # typed without Polish letters
                      "Zgłoszenie zamiaru usunięcia drzewa")
    assert found_only(client.get("/?q=pothole").text, "Zgłoszenie awarii")  # the English keywords
    nothing = client.get("/?q=paszport").get_data(as_text=True)
    assert titles(nothing) == [] and "Żaden formularz nie pasuje" in nothing and "Pokaż wszystkie formularze" in nothing
    assert client.get("/?q=" + "x" * 5000).status_code == 200


def test_folding_ignores_case_and_polish_letters():
    assert folded("ŁAWKA Źródło żółć") == "lawka zrodlo zolc"


def test_a_routed_form_names_every_department_it_may_go_to(client):
    start = client.get("/forms/fault-report").get_data(as_text=True)
    handled = re.search(r"Sprawę prowadzi</dt><dd[^>]*>([^<]+)<", start)[1]
    assert handled.startswith("zależnie od Twoich odpowiedzi:")
    for name in ("Wydział Gospodarki Komunalnej", "Wydział Drogownictwa", "Biuro Obsługi Interesantów"):
        assert name in handled
    single = client.get("/forms/tree-removal").get_data(as_text=True)
    assert re.search(r"Sprawę prowadzi</dt><dd[^>]*>Wydział Ochrony Środowiska<", single)


def test_every_page_has_a_link_to_the_forms(client, citizen_client):
    assert '<a href="/">Formularze</a>' in citizen_client.get("/cases/").get_data(as_text=True)


def test_the_step_counter_counts_the_pages_shown_out_of_at_most_all_and_never_jumps(citizen_client):
    location = citizen_client.start(FORM)
    seen = []
    answers = {**VALID, "delivery_method": "email"}  # the address page is not asked
    for _ in range(10):
        if location.endswith("/check"):
            break
        page = citizen_client.get(location).get_data(as_text=True)
        seen.append(re.search(r"Krok (\d+) z najwyżej (\d+)", page).groups())
        location = _continue(citizen_client, location, answers)
    assert seen == [("1", "5"), ("2", "5"), ("3", "5"), ("4", "5")]
    start = citizen_client.get(f"/forms/{FORM}").get_data(as_text=True)
    assert "Formularz ma najwyżej 5 stron" in start


def _continue(client, location: str, answers: dict) -> str:
    page = client.get(location).get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token"}
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = client.post(location, data={**{k: v for k, v in answers.items() if k in names}, "csrf_token": token})
    assert response.status_code == 303
    return response.headers["Location"]
