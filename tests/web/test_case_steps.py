"""A clerk moves a case along its workflow from the case page; the citizen sees each visible step."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from eurzad.auth.models import Role, User
from eurzad.cases.models import Case, CaseEvent
from eurzad.clerk.operations import StepInput, take_step
from eurzad.extensions import db, registry
from eurzad.outbox.models import OutboxMessage
from eurzad.refusals import RefusedError
from eurzad.timeutil import utcnow

from .test_citizen_journey import send as send_case
from .test_identity import log_out

ROOT = Path(__file__).resolve().parents[2]


def filed_case(client, make_user):
    """A citizen sends the public-information form (routed to OR); then an OR clerk is logged in."""
    citizen, clerk = make_user(full_name="Jan Petent"), make_user(Role.CLERK, department="OR",
                                                                   full_name="Ewa Urzędniczka")
    client.login(citizen.email)
    case_id = send_case(client)
    log_out(client)
    client.login(clerk.email)
    return case_id, citizen, clerk


def step(client, case_id: int, action: str, comment: str = "", version: str | None = None):
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    if version is None:
        version = re.search(rf'id="{action}-version" name="{action}-version" type="hidden" value="(\d+)"', page)[1]
    due = re.search(rf'name="{action}-due" type="text" value="([^"]*)"', page)  # a request's date, as offered
    return client.post(f"{url}/steps/{action}", data={f"{action}-comment": comment, f"{action}-version": version,
                                                      "csrf_token": client.csrf_token(url),
                                                      **({f"{action}-due": due[1]} if due else {})})


def state_of(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).state


def test_the_clerk_takes_the_case_and_the_citizen_sees_the_stage_and_the_step(app, client, make_user):
    case_id, citizen, _clerk = filed_case(client, make_user)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Co możesz teraz zrobić" in page and "Przyjmij do realizacji" in page
    assert "Odpowiedz i zakończ" not in page  # not offered from "received"
    assert step(client, case_id, "take").status_code == 303
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "W toku" in page and "Ewa Urzędniczka" in page and "Przyjmij do realizacji → W toku" in page
    assert "Zrobione: Przyjmij do realizacji" in page and "/steps/take" not in page  # done, and no button again
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Urzędnik zajmuje się Twoją sprawą" in mine and "Formularz został wysłany" in mine
    with app.app_context():
        [event] = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.transition")).all()
        assert event.details == {"step": "take", "from": "received", "to": "in_progress", "comment": None}


def test_a_step_that_needs_a_comment_is_refused_by_the_field_without_one(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    step(client, case_id, "take")
    refused = step(client, case_id, "request_supplement", "   ")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'href="#request_supplement-comment"' in page
    assert "Wpisz komentarz, którego wymaga ten krok" in page
    assert state_of(app, case_id) == "in_progress"


def test_the_citizen_reads_the_comment_of_a_visible_step_and_is_told_by_e_mail_without_it(app, client, make_user):
    case_id, citizen, _clerk = filed_case(client, make_user)
    step(client, case_id, "take")
    assert step(client, case_id, "request_supplement", "Proszę dołączyć <b>pełnomocnictwo</b>.").status_code == 303
    assert state_of(app, case_id) == "awaiting_citizen"
    with app.app_context():
        # Every step the citizen sees is e-mailed: taking the case up, then the request.
        taken, mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.receipt_id.is_(None))
                                         .order_by(OutboxMessage.id)).all()
        number = db.session.get(Case, case_id).number
    assert taken.recipient == mail.recipient == citizen.email and number in mail.subject
    assert f"/cases/{case_id}" in mail.body and "pełnomocnictwo" not in mail.body
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Urząd czeka na Twoje uzupełnienie" in mine
    assert "termin jest wstrzymany, dopóki nie odpowiesz urzędowi" in mine
    assert "Proszę dołączyć &lt;b&gt;pełnomocnictwo&lt;/b&gt;." in mine


def test_a_step_the_workflow_does_not_offer_now_is_refused_and_changes_nothing(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    for action in ("reply", "no_such_step"):
        refused = step(client, case_id, action, "Odpowiedź.", version="1")
        assert refused.status_code == 409
        assert "Tego kroku nie można wykonać w obecnym stanie sprawy" in refused.get_data(as_text=True)
    assert state_of(app, case_id) == "received"


def test_a_step_from_a_stale_page_is_refused_and_the_page_shows_the_case_as_it_is(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    assert step(client, case_id, "take", version="1").status_code == 303
    stale = step(client, case_id, "take", version="1")  # a second tab, opened before the first step
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Sprawa w międzyczasie się zmieniła" in page and "W toku" in page
    with app.app_context():
        assert len(db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.transition")).all()) == 1


def test_of_two_clerks_acting_on_one_case_at_the_same_moment_exactly_one_succeeds(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    other = make_user(Role.CLERK, department="OR")
    with app.app_context():
        first_case, first_clerk = db.session.get(Case, case_id), db.session.get(User, clerk.id)
        assert first_case.version == 1 and first_case.submission.data_json  # both pages drawn from version 1
        with app.app_context():  # the other clerk's request, in its own session and transaction
            take_step(db.session.get(Case, case_id), "take", db.session.get(User, other.id), StepInput(), 1,
                      registry().workflows, utcnow())
        try:
            take_step(first_case, "take", first_clerk, StepInput(), 1, registry().workflows, utcnow())
        except RefusedError as refused:
            assert "changed meanwhile" in refused.message
        else:
            raise AssertionError("both clerks' steps were taken")
    with app.app_context():
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.transition")).all()
        assert [e.actor_id for e in events] == [other.id] and db.session.get(Case, case_id).version == 2


def test_a_clerk_of_another_department_and_a_citizen_cannot_take_a_step(app, client, make_user):
    case_id, citizen, _clerk = filed_case(client, make_user)
    log_out(client)
    client.login(make_user(Role.CLERK, department="DR").email)
    token = client.csrf_token("/clerk/")
    outsider = client.post(f"/clerk/cases/{case_id}/steps/take", data={"take-version": "1", "csrf_token": token})
    assert outsider.status_code == 404
    log_out(client)
    client.login(citizen.email)
    token = client.csrf_token("/cases/")
    assert client.post(f"/clerk/cases/{case_id}/steps/take",
                       data={"take-version": "1", "csrf_token": token}).status_code == 403
    assert state_of(app, case_id) == "received"


def test_a_step_the_workflow_hides_from_the_citizen_is_only_in_the_clerks_log(another_app, make_user, tmp_path):
    shipped = (ROOT / "workflows.yaml").read_text(encoding="utf-8")
    at = shipped.index("  public_information:")  # the workflow of the form filed_case sends
    workflows = shipped[:at] + shipped[at:].replace(
        "        to: in_progress\n        roles: [clerk, head]\n",
        "        to: in_progress\n        roles: [clerk, head]\n        citizen_visible: false\n", 1)
    (tmp_path / "workflows.yaml").write_text(workflows, encoding="utf-8")
    client = another_app(WORKFLOWS_FILE=str(tmp_path / "workflows.yaml")).test_client()
    case_id, citizen, _clerk = filed_case(client, make_user)
    assert step(client, case_id, "take", "Notatka dla wydziału.").status_code == 303
    assert "Notatka dla wydziału." in client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Notatka dla wydziału." not in mine and "Formularz został wysłany" in mine
    timeline = mine[mine.index("Co się wydarzyło"):]
    assert "Urzędnik zajmuje się Twoją sprawą" not in timeline  # the stage above still says where it stands


def test_internal_notes_and_every_opening_by_staff_are_in_the_case_log_and_never_shown_to_the_citizen(
        app, client, make_user):
    case_id, citizen, clerk = filed_case(client, make_user)
    url = f"/clerk/cases/{case_id}"
    empty = client.post(f"{url}/notes", data={"note-text": "  ", "csrf_token": client.csrf_token(url)})
    assert empty.status_code == 400 and "Wpisz notatkę" in empty.get_data(as_text=True)
    added = client.post(f"{url}/notes", data={"note-text": "Sprawdzić w rejestrze.",
                                              "csrf_token": client.csrf_token(url)})
    assert added.status_code == 303
    log = client.get(url).get_data(as_text=True).split("Metryka sprawy")[1]
    assert "Notatka wewnętrzna" in log and "Sprawdzić w rejestrze." in log and "Otwarto sprawę" in log
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.id))]
        assert actions.count("case.view") >= 3 and actions.count("case.note") == 1
        assert db.session.get(Case, case_id).version == 1  # reading and notes do not make the clerk's forms stale
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Sprawdzić w rejestrze." not in mine and "Otwarto sprawę" not in mine
