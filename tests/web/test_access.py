"""Who sees a case: the citizen who sent it and the clerks of the department it was routed to. Nobody else."""
from __future__ import annotations

import re

from eurzad.auth.models import Role

from .test_citizen_journey import send as send_case


def test_the_clerk_of_the_routed_department_sees_the_case_in_the_inbox(app, client, make_user):
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    client.login(citizen.email)
    case_id = send_case(client)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(clerk.email)
    inbox = client.get("/clerk/").get_data(as_text=True)
    assert re.search(r"OR\.1431\.1\.\d{4}", inbox) and citizen.full_name in inbox
    case = client.get(f"/clerk/cases/{case_id}")
    page = case.get_data(as_text=True)
    assert case.status_code == 200
    assert "ul. Grodzka 5" in page and "Tabela kierowania public-information, wiersz 2" in page
    assert "Złożenie formularza" in page  # the case log in words (issue 8: never raw codes)


def test_the_clerk_of_another_department_gets_404(client, make_user):
    citizen, other_clerk = make_user(), make_user(Role.CLERK, department="DR")
    client.login(citizen.email)
    case_id = send_case(client)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(other_clerk.email)
    assert "OR.1431" not in client.get("/clerk/").get_data(as_text=True)
    assert client.get(f"/clerk/cases/{case_id}").status_code == 404
    assert client.get(f"/cases/{case_id}/receipt").status_code == 404


def test_another_citizen_gets_404_for_the_case_and_its_receipt(client, make_user):
    owner, stranger = make_user(), make_user()
    client.login(owner.email)
    case_id = send_case(client)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(stranger.email)
    assert client.get(f"/cases/{case_id}").status_code == 404
    assert client.get(f"/cases/{case_id}/receipt").status_code == 404
    assert "OR.1431" not in client.get("/cases/").get_data(as_text=True)


def test_a_forged_or_unknown_case_id_is_404(citizen_client):
    assert citizen_client.get("/cases/999999").status_code == 404
    assert citizen_client.get("/cases/abc").status_code == 404
    assert citizen_client.get("/cases/-1/receipt").status_code == 404


def test_a_citizen_cannot_open_the_clerk_inbox(citizen_client):
    assert citizen_client.get("/clerk/").status_code == 403


def test_pages_for_logged_in_users_send_anonymous_visitors_to_log_in(client):
    for url in ("/cases/", "/cases/1", "/cases/1/receipt", "/clerk/", "/clerk/cases/1"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


def test_the_inbox_is_newest_first_and_paginated(client, make_user):
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    client.login(citizen.email)
    for _ in range(7):
        send_case(client)
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login(clerk.email)
    first = client.get("/clerk/").get_data(as_text=True)
    numbers = re.findall(r"OR\.1431\.(\d+)\.\d{4}</a>", first)
    assert numbers == ["7", "6", "5", "4", "3"]
    assert "Strona 1 z 2" in first
    second = client.get("/clerk/?page=2").get_data(as_text=True)
    assert re.findall(r"OR\.1431\.(\d+)\.\d{4}</a>", second) == ["2", "1"]
    assert client.get("/clerk/?page=9").status_code == 404
