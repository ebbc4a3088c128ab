"""Where a case goes (the first matching routing row) and the form's own error messages, in the page's language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from eurzad.auth.models import Role

from .test_citizen_journey import FORM, VALID

ROOT = Path(__file__).resolve().parents[2]

# Not in tests/definitions: its routing table is not in the shipped workflows.yaml, which test_forms loads.
STREET_ISSUE = """
id: street-issue
version: 1
title: {pl: Zgłoszenie problemu na ulicy, en: Report of a problem in the street}
service:
  department: BOI
  jrwa: "0150"
  legal_basis: {pl: Kodeks postępowania administracyjnego, en: Code of Administrative Procedure}
  fee: {pl: Bezpłatnie, en: Free of charge}
  deadline: {days: 14}
workflow: standard
routing: street-issue
schema:
  type: object
  additionalProperties: false
  required: [place, problem, description]
  properties:
    place: {type: string, oneOf: [{const: road}, {const: park}]}
    problem: {type: string, enum: [lamp, pothole, litter]}
    description: {type: string, minLength: 10, maxLength: 500}
ui:
  pages:
    - id: problem
      title: {pl: Problem, en: The problem}
      fields: [place, problem, description]
  fields:
    place:
      label: {pl: Gdzie, en: Where}
      options: {road: {pl: Na jezdni, en: On the road}, park: {pl: W parku, en: In a park}}
      errors:
        enum: {pl: Wybierz jezdnię albo park, en: Choose the road or a park}
    problem:
      label: {pl: Co się stało, en: What happened}
      options:
        lamp: {pl: Nie świeci latarnia, en: A street lamp is out}
        pothole: {pl: Dziura, en: A pothole}
        litter: {pl: Śmieci, en: Litter}
    description:
      label: {pl: Opis, en: Description}
      errors:
        minLength: {pl: Opisz problem w co najmniej 10 znakach, en: Describe the problem in at least 10 characters}
"""
# Two rows can match one answer: a lamp out on the road is both "a lamp" (row 1) and "on the road" (row 2).
ROUTING = """
  street-issue:
    - when: {field: problem, equals: lamp}
      department: GK
      jrwa: "7011"
    - when: {field: place, equals: road}
      department: DR
      jrwa: "7230"
    - department: BOI
"""


@pytest.fixture()
def street_issue(another_app, make_user, tmp_path):
    """A citizen's client on an app whose only form, street-issue, is routed by a table of three rows."""
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "street-issue.yaml").write_text(STREET_ISSUE, encoding="utf-8")
    workflows = tmp_path / "workflows.yaml"
    shipped = (ROOT / "workflows.yaml").read_text(encoding="utf-8")
    assert shipped.rstrip().endswith("Customer Service Office}"), "routing is no longer the last key of the file"
    workflows.write_text(shipped.rstrip() + "\n" + ROUTING, encoding="utf-8")
    client = another_app(DEFINITIONS_DIR=str(defs), WORKFLOWS_FILE=str(workflows)).test_client()
    client.login(make_user().email)
    return client


def case_number(client, answers: dict) -> tuple[str, str]:
    """Send the street-issue form; the case number and department the confirmation shows."""
    sent = client.send_form("street-issue", {"description": "Przy ul. Lwowskiej 28a", **answers})
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    number = re.search(r'case-number">([^<]+)<', page).group(1)
    department = re.search(r"Twoja sprawa trafiła do: ([^<]+)\.</p>", page).group(1)
    return number, department


def test_answers_matching_two_routing_rows_go_to_the_upper_rows_department(street_issue):
    number, department = case_number(street_issue, {"place": "road", "problem": "lamp"})
    assert re.fullmatch(r"GK\.7011\.1\.\d{4}", number)
    assert department == "Wydział Gospodarki Komunalnej, Ochrony Środowiska i Gospodarki Lokalami"


def test_each_row_takes_what_the_rows_above_it_left_and_the_last_row_takes_the_rest(street_issue):
    assert re.fullmatch(r"DR\.7230\.1\.\d{4}", case_number(street_issue, {"place": "road", "problem": "pothole"})[0])
    assert re.fullmatch(r"GK\.7011\.1\.\d{4}", case_number(street_issue, {"place": "park", "problem": "lamp"})[0])
    assert re.fullmatch(r"BOI\.0150\.1\.\d{4}", case_number(street_issue, {"place": "park", "problem": "litter"})[0])


def test_the_clerk_sees_which_row_sent_the_case_and_another_department_does_not_see_it(street_issue, make_user):
    case_number(street_issue, {"place": "road", "problem": "lamp"})
    roads, services = street_issue.application.test_client(), street_issue.application.test_client()
    roads.login(make_user(Role.CLERK, department="DR").email)
    services.login(make_user(Role.CLERK, department="GK").email)
    assert "GK.7011.1." not in roads.get("/clerk/").get_data(as_text=True)
    inbox = services.get("/clerk/").get_data(as_text=True)
    case_url = re.search(r'href="(/clerk/cases/\d+)"', inbox).group(1)
    assert "Tabela kierowania street-issue, wiersz 1" in services.get(case_url).get_data(as_text=True)


def messages_on(page: str) -> list[str]:
    return re.findall(r'class="error-message"><span class="visually-hidden">[^<]*</span> ([^<]*)</p>', page)


def test_the_forms_own_messages_are_polish_on_a_polish_page_and_english_on_an_english_one(citizen_client):
    mistakes = {**VALID, "full_name": "", "phone": "13-47"}
    polish = citizen_client.answer_pages(citizen_client.start(FORM), mistakes).get_data(as_text=True)
    assert messages_on(polish) == ["Wpisz imię i nazwisko", "Wpisz numer telefonu, na przykład +48 13 474 33 00"]
    citizen_client.get("/?lang=en")
    english = citizen_client.answer_pages(citizen_client.start(FORM), mistakes).get_data(as_text=True)
    assert messages_on(english) == ["Enter your full name", "Enter a phone number, like +48 13 474 33 00"]


def test_a_choice_out_of_the_list_gets_the_forms_enum_message_in_the_pages_language(street_issue):
    first = street_issue.start("street-issue")
    forged = {"place": "moon", "problem": "lamp", "description": "za krótki"}
    polish = street_issue.submit(first, forged).get_data(as_text=True)
    assert messages_on(polish) == ["Wybierz jezdnię albo park", "Opisz problem w co najmniej 10 znakach"]
    street_issue.get("/?lang=en")
    english = street_issue.submit(first, forged).get_data(as_text=True)
    assert messages_on(english) == ["Choose the road or a park", "Describe the problem in at least 10 characters"]
