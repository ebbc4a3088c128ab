"""Dekretacja: the head of the department gives a case to one of its clerks; a clerk may take up an unassigned one."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from eurzad.auth.models import Role
from eurzad.cases.models import Case, CaseEvent
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage

from .test_case_steps import filed_case
from .test_identity import log_out


def form_version(page: str, prefix: str) -> str:
    return re.search(rf'id="{prefix}-version" name="{prefix}-version" type="hidden" value="(\d+)"', page)[1]


def assign(client, case_id: int, clerk_id, instruction: str = "", due: str = ""):
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    return client.post(f"{url}/assign", data={
        "assign-clerk": str(clerk_id), "assign-instruction": instruction, "assign-due": due,
        "assign-version": form_version(page, "assign"), "csrf_token": client.csrf_token(url)})


def as_head(client, make_user):
    log_out(client)
    head = make_user(Role.HEAD, department="OR", full_name="Naczelnik Nowak")
    client.login(head.email)
    return head


def test_the_head_assigns_a_case_with_an_instruction_and_a_date_and_the_clerk_is_told(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    as_head(client, make_user)
    due = (date.today() + timedelta(days=10)).strftime("%d.%m.%Y")
    response = assign(client, case_id, clerk.id, "Proszę sprawdzić rejestr umów.", due)
    assert response.status_code == 303
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert re.search(r"<dt>Sprawę prowadzi</dt><dd>Ewa Urzędniczka</dd>", page)
    log = page[page.index("Metryka sprawy"):]
    assert "Naczelnik Nowak" in log and "Ewa Urzędniczka" in log and "Proszę sprawdzić rejestr umów." in log
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.assignee_id == clerk.id
        [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.receipt_id.is_(None))).all()
        assert mail.recipient == clerk.email and case.number in mail.subject and f"/clerk/cases/{case_id}" in mail.body
        [event] = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.assign")).all()
        assert event.details["due"] == (date.today() + timedelta(days=10)).isoformat()


def test_the_head_can_give_a_case_only_to_a_clerk_of_the_department_and_not_for_yesterday(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    outsider = make_user(Role.CLERK, department="DR")
    as_head(client, make_user)
    refused = assign(client, case_id, outsider.id)
    assert refused.status_code == 400 and "Wybierz urzędnika wydziału" in refused.get_data(as_text=True)
    yesterday = (date.today() - timedelta(days=1)).strftime("%d.%m.%Y")
    late = assign(client, case_id, clerk.id, due=yesterday)
    assert late.status_code == 400 and 'href="#assign-due"' in late.get_data(as_text=True)
    nonsense = assign(client, case_id, clerk.id, due="31.02.2026")
    assert nonsense.status_code == 400 and "Wpisz prawdziwą datę" in nonsense.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).assignee_id is None
        assert db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.assign")).all() == []


def test_only_the_head_of_the_department_assigns(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    token = client.csrf_token(f"/clerk/cases/{case_id}")
    data = {"assign-clerk": str(clerk.id), "assign-version": "1", "csrf_token": token}
    assert client.post(f"/clerk/cases/{case_id}/assign", data=data).status_code == 403  # a clerk
    log_out(client)
    client.login(make_user(Role.HEAD, department="DR").email)
    data["csrf_token"] = client.csrf_token("/clerk/")
    assert client.post(f"/clerk/cases/{case_id}/assign", data=data).status_code == 404  # another department's head
    with app.app_context():
        assert db.session.get(Case, case_id).assignee_id is None


def test_a_clerk_takes_up_an_unassigned_case_and_a_second_take_up_is_refused(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Przyjmij tę sprawę" in page
    data = {"take_up-version": form_version(page, "take_up"), "csrf_token": client.csrf_token(url)}
    assert client.post(f"{url}/take-up", data=data).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Przyjmij tę sprawę" not in page and re.search(r"<dt>Sprawę prowadzi</dt><dd>Ewa Urzędniczka</dd>", page)
    again = client.post(f"{url}/take-up", data={**data, "take_up-version": "2"})
    assert again.status_code == 409 and "Ktoś już prowadzi tę sprawę" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).assignee_id == clerk.id


def test_the_assignment_operation_itself_refuses_anyone_but_the_head_of_the_department(app, client, make_user):
    from eurzad.auth.models import User
    from eurzad.clerk.operations import assign as assign_operation
    from eurzad.refusals import RefusedError
    from eurzad.timeutil import utcnow
    case_id, _citizen, clerk = filed_case(client, make_user)
    other_head = make_user(Role.HEAD, department="DR")
    with app.app_context():
        case = db.session.get(Case, case_id)
        for actor in (db.session.get(User, clerk.id), db.session.get(User, other_head.id)):
            try:
                assign_operation(case, actor, clerk.id, "", None, case.version, date.today(), utcnow())
            except RefusedError as refused:
                assert refused.status == 403
            else:
                raise AssertionError(f"{actor.email} assigned a case")
        assert db.session.get(Case, case_id).assignee_id is None


def test_the_inbox_shows_the_clerks_own_cases_and_those_nobody_handles_yet(app, client, make_user):
    from .test_citizen_journey import send as send_case
    case_id, citizen, clerk = filed_case(client, make_user)
    log_out(client)
    client.login(citizen.email)
    second = send_case(client)
    log_out(client)
    client.login(clerk.email)
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    client.post(f"{url}/take-up", data={"take_up-version": form_version(page, "take_up"),
                                        "csrf_token": client.csrf_token(url)})
    with app.app_context():
        numbers = {c.id: c.number for c in db.session.scalars(select(Case))}
    mine = client.get("/clerk/?view=mine").get_data(as_text=True)
    assert numbers[case_id] in mine and numbers[second] not in mine
    assert "Moje (1)" in mine and "Nikt jeszcze nie prowadzi (1)" in mine and "Wszystkie (2)" in mine
    unassigned = client.get("/clerk/?view=unassigned").get_data(as_text=True)
    assert numbers[second] in unassigned and numbers[case_id] not in unassigned
