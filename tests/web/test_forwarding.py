"""Przekazanie wg właściwości: a clerk sends a case to the competent department, which numbers it in its own
register; the old number stays taken and on record, and the citizen sees where the case went and why."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from eurzad.auth.models import Role, User
from eurzad.cases.models import Case, CaseCounter, CaseEvent, CaseNumber
from eurzad.clerk.operations import forward
from eurzad.extensions import db, registry
from eurzad.outbox.models import OutboxMessage
from eurzad.refusals import RefusedError
from eurzad.timeutil import utcnow

from .test_case_steps import step
from .test_identity import log_out

DATA = {"full_name": "Jan Kowalski", "email": "jan@example.pl", "information_requested": "Rejestr umów 2025",
        "delivery_method": "email", "consent": True}
REASON = "Sprawa dotyczy podatku od nieruchomości: właściwy jest Wydział Budżetu i Finansów."


def file(app, user_id: int, **answers) -> Case:
    """A public-information case filed now (to OR; to FN with topic=finances), committed."""
    from eurzad.cases.operations import file_submission
    with app.app_context():
        reg = registry()
        case = file_submission(reg.forms["public-information"], reg.workflows, {**DATA, **answers}, user_id, "pl",
                               utcnow(), app.config["OFFICE_TIMEZONE"])
        db.session.commit()
        return case.id


def numbers(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(Case.id, Case.number)).all())


def counters(app) -> dict[str, int]:
    with app.app_context():
        return {row.department: row.last_seq for row in db.session.scalars(select(CaseCounter))}


def registers(app) -> tuple:
    """What a forwarding changes: the numbers of the cases, the registers' counters, the e-mails queued."""
    with app.app_context():
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    return numbers(app), counters(app), mails


def send_forward(client, case_id: int, department: str, reason: str, version: str | None = None):
    url = f"/clerk/cases/{case_id}"
    if version is None:
        page = client.get(url).get_data(as_text=True)
        version = re.search(r'id="forward-version" name="forward-version" type="hidden" value="(\d+)"', page)[1]
    return client.post(f"{url}/forward", data={"forward-department": department, "forward-reason": reason,
                                               "forward-version": version, "csrf_token": client.csrf_token(url)})


@pytest.fixture()
def office(app, client, make_user):
    """Three OR cases and one FN case filed by Jan Petent; an OR clerk logged in."""
    citizen = make_user(full_name="Jan Petent")
    cases = [file(app, citizen.id) for _ in range(3)] + [file(app, citizen.id, topic="finances")]
    clerk = make_user(Role.CLERK, department="OR", full_name="Ewa Urzędniczka")
    client.login(clerk.email)
    return cases, citizen, clerk


def test_the_receiving_register_numbers_the_case_and_both_registers_stay_gap_free(app, client, make_user, office):
    (first, second, third, in_fn), citizen, clerk = office
    year = numbers(app)[second].rsplit(".", 1)[1]
    assert numbers(app)[in_fn] == f"FN.1431.1.{year}"
    client.post(f"/clerk/cases/{second}/take-up", data={"take_up-version": "1",
                                                         "csrf_token": client.csrf_token(f"/clerk/cases/{second}")})
    with app.app_context():
        due = db.session.get(Case, second).due_on
    response = send_forward(client, second, "FN", REASON)
    assert response.status_code == 303 and response.headers["Location"] == "/clerk/"
    assert (f"Sprawę OR.1431.2.{year} przekazano do: Wydział Budżetu i Finansów; jej numer to teraz FN.1431.2.{year}"
            in client.get("/clerk/").get_data(as_text=True))
    assert numbers(app) == {first: f"OR.1431.1.{year}", second: f"FN.1431.2.{year}", third: f"OR.1431.3.{year}",
                            in_fn: f"FN.1431.1.{year}"}
    with app.app_context():
        case = db.session.get(Case, second)
        assert (case.department, case.seq, case.assignee_id, case.due_on) == ("FN", 2, None, due)
        [former] = db.session.scalars(select(CaseNumber)).all()
        assert (former.case_id, former.number, former.department, former.seq) == (second, f"OR.1431.2.{year}",
                                                                                   "OR", 2)
        [event] = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.forward")).all()
        assert event.actor_id == clerk.id and event.details == {
            "from": "OR", "to": "FN", "old_number": f"OR.1431.2.{year}", "new_number": f"FN.1431.2.{year}",
            "comment": REASON}
    assert counters(app) == {"OR": 3, "FN": 2}  # OR's 2 stays taken: its register still holds 1, 2 and 3
    fourth = file(app, citizen.id)
    assert numbers(app)[fourth] == f"OR.1431.4.{year}"


def test_the_citizen_sees_where_the_case_went_and_why_and_is_e_mailed_without_the_reason(
        app, client, make_user, office):
    (_first, second, _third, _fn), citizen, _clerk = office
    year = numbers(app)[second].rsplit(".", 1)[1]
    assert send_forward(client, second, "FN", REASON).status_code == 303
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.recipient == citizen.email and f"OR.1431.2.{year}" in mail.subject
    assert f"FN.1431.2.{year}" in mail.body and "Wydział Budżetu i Finansów" in mail.body
    assert f"/cases/{second}" in mail.body and "podatku" not in mail.body
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{second}").get_data(as_text=True)
    assert f"Sprawa FN.1431.2.{year}" in mine and f"OR.1431.2.{year}" in mine
    timeline = mine[mine.index("Co się wydarzyło"):]
    assert ("Przekazano do wydziału właściwego do załatwienia sprawy: Wydział Budżetu i Finansów (poprzedni "
            f"numer sprawy: OR.1431.2.{year})") in timeline and REASON in timeline
    assert f"FN.1431.2.{year}" in client.get("/cases/").get_data(as_text=True)


def test_the_case_leaves_the_old_departments_clerks_and_reaches_the_new_ones(app, client, make_user, office):
    (_first, second, _third, _fn), _citizen, clerk = office
    fn_clerk = make_user(Role.CLERK, department="FN")
    log_out(client)
    client.login(fn_clerk.email)
    assert client.get(f"/clerk/cases/{second}").status_code == 404  # before: not FN's case
    log_out(client)
    client.login(clerk.email)
    assert send_forward(client, second, "FN", REASON).status_code == 303
    assert client.get(f"/clerk/cases/{second}").status_code == 404  # after: no longer OR's
    log_out(client)
    client.login(fn_clerk.email)
    page = client.get(f"/clerk/cases/{second}").get_data(as_text=True)
    year = numbers(app)[second].rsplit(".", 1)[1]
    assert f"OR.1431.2.{year}" in page  # among the earlier numbers, and in the log:
    log = page[page.index("Metryka sprawy"):]
    assert ("Przekazano do innego wydziału: Wydział Budżetu i Finansów, numer "
            f"OR.1431.2.{year} → FN.1431.2.{year}") in log and "Ewa Urzędniczka" in log and REASON in log
    assert f"FN.1431.2.{year}" in client.get("/clerk/").get_data(as_text=True)


REFUSALS = {
    "to its own department": ({"department": "OR"}, 400, 'href="#forward-department"'),
    "to a department the office does not have": ({"department": "XX"}, 400, "Wybierz inny wydział urzędu"),
    "without a reason": ({"reason": "  \n "}, 400, 'href="#forward-reason"'),
    "from a stale page": ({"version": "0"}, 409, "Sprawa w międzyczasie się zmieniła"),
}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
def test_a_refused_forwarding_changes_nothing(app, client, make_user, office, refusal):
    (_first, second, _third, _fn), _citizen, _clerk = office
    changes, status, says = REFUSALS[refusal]
    before = registers(app)
    arguments = {"department": "FN", "reason": REASON, **changes}
    response = send_forward(client, second, arguments["department"], arguments["reason"], changes.get("version"))
    assert response.status_code == status and says in response.get_data(as_text=True)
    assert_nothing_changed(app, second, before)


def assert_nothing_changed(app, case_id: int, before) -> None:
    assert registers(app) == before
    with app.app_context():
        assert db.session.get(Case, case_id).department == "OR"
        assert db.session.scalar(select(func.count()).select_from(CaseNumber)) == 0
        assert db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.forward")).all() == []


def test_a_closed_case_cannot_be_forwarded(app, client, make_user, office):
    (_first, second, _third, _fn), _citizen, _clerk = office
    step(client, second, "take")
    assert step(client, second, "reply", "Informacja w załączeniu.").status_code == 303
    page = client.get(f"/clerk/cases/{second}").get_data(as_text=True)
    assert "/forward" not in page  # no form for it
    before = registers(app)
    with app.app_context():
        version = str(db.session.get(Case, second).version)
    refused = send_forward(client, second, "FN", REASON, version)
    assert refused.status_code == 409 and "Ta sprawa jest zakończona" in refused.get_data(as_text=True)
    assert_nothing_changed(app, second, before)


def test_only_the_clerks_and_head_of_the_cases_department_forward_it(app, make_user, office):
    (_first, second, _third, _fn), _citizen, _clerk = office
    outsider = make_user(Role.CLERK, department="FN")
    with app.app_context():
        with pytest.raises(RefusedError) as refused:
            forward(db.session.get(Case, second), db.session.get(User, outsider.id), "FN", REASON, 1,
                    registry().workflows, utcnow())
        assert refused.value.status == 403
        db.session.rollback()
    assert numbers(app)[second].startswith("OR.")


def test_of_two_clerks_forwarding_one_case_at_the_same_moment_one_wins_and_no_number_is_lost(
        app, make_user, office):
    (_first, second, _third, _fn), _citizen, clerk = office
    other = make_user(Role.CLERK, department="OR")
    with app.app_context():
        first_case, first_clerk = db.session.get(Case, second), db.session.get(User, clerk.id)
        assert first_case.version == 1 and first_case.submission.submitter  # both pages drawn from version 1
        with app.app_context():  # the other clerk's request, in its own session and transaction
            forward(db.session.get(Case, second), db.session.get(User, other.id), "FN", REASON, 1,
                    registry().workflows, utcnow())
        with pytest.raises(RefusedError, match="changed meanwhile"):
            forward(first_case, first_clerk, "DR", "Drogi.", 1, registry().workflows, utcnow())
    with app.app_context():
        case = db.session.get(Case, second)
        assert (case.department, case.version) == ("FN", 2)
        assert [n.number.split(".")[0] for n in db.session.scalars(select(CaseNumber))] == ["OR"]
        assert [e.actor_id for e in db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.forward"))
                ] == [other.id]
    assert "DR" not in counters(app)  # the loser's number went back to the DR register


def test_a_case_filed_last_year_is_numbered_in_this_years_register_of_the_new_department(app, make_user):
    from datetime import datetime

    from eurzad.cases.operations import file_submission
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    with app.app_context():
        reg = registry()
        case = file_submission(reg.forms["public-information"], reg.workflows, DATA, citizen.id, "pl",
                               datetime(2025, 12, 31, 22, 0), "Europe/Warsaw")
        db.session.commit()
        forward(case, db.session.get(User, clerk.id), "FN", REASON, 1, reg.workflows, datetime(2026, 1, 5, 9, 0))
        assert (case.number, case.former_numbers[0].number) == ("FN.1431.1.2026", "OR.1431.1.2025")
        assert {(c.department, c.year): c.last_seq for c in db.session.scalars(select(CaseCounter))} == {
            ("OR", 2025): 1, ("FN", 2026): 1}


def test_forwarding_with_a_reason_of_spaces_alone_is_refused_next_to_the_field(app, client, office):
    (first, *_rest), _citizen, _clerk = office
    before = registers(app)
    response = send_forward(client, first, "FN", " \r\n ")
    assert response.status_code == 400 and 'href="#forward-reason"' in response.get_data(as_text=True)
    assert registers(app) == before
