"""The office's clock stops while it waits for the citizen (KPA art. 35 §5), and the inbox flags what is late."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import update

from eurzad.auth.models import User
from eurzad.cases.files import file_store
from eurzad.cases.models import Case, Submission
from eurzad.cases.operations import definition_of
from eurzad.clerk.operations import StepInput, take_step
from eurzad.engine.deadlines import paused_due_date, working_days_between
from eurzad.engine.texts import long_date
from eurzad.extensions import db, registry

from .test_case_steps import filed_case


def at(day: str) -> datetime:
    """Noon in Krosno on that day, as a stored UTC time (winter: UTC+1)."""
    return datetime.fromisoformat(f"{day}T11:00:00")


def test_a_pause_moves_the_deadline_by_the_days_the_office_waited_and_the_end_off_a_holiday():
    # 14 days from 2 November 2026 end on Monday 16 November; 9 days of waiting make it Wednesday 25.
    assert paused_due_date(date(2026, 11, 2), 14, None, 0) == date(2026, 11, 16)
    assert paused_due_date(date(2026, 11, 2), 14, None, 9) == date(2026, 11, 25)
    # ...and 26 days of waiting would end on Saturday 12 December: the limit ends on Monday 14.
    assert paused_due_date(date(2026, 11, 2), 14, None, 26) == date(2026, 12, 14)
    assert paused_due_date(date(2026, 1, 31), None, 1, 2) == date(2026, 3, 2)  # 28 Feb + 2 = 2 Mar, a Monday


def test_working_days_skip_weekends_and_holidays():
    assert working_days_between(date(2026, 11, 6), date(2026, 11, 12)) == 3  # Mon 9, Tue 10, Thu 12 (11th: holiday)
    assert working_days_between(date(2026, 11, 12), date(2026, 11, 6)) == -3
    assert working_days_between(date(2026, 11, 6), date(2026, 11, 6)) == 0


def test_the_deadline_is_paused_while_the_office_waits_and_moves_by_the_days_it_waited(app, client, make_user):
    case_id, _citizen, clerk = filed_case(client, make_user)
    with app.app_context():
        db.session.execute(update(Submission).values(submitted_at=at("2026-11-02")))
        db.session.commit()
        case = db.session.get(Case, case_id)
        actor, workflows = db.session.get(User, clerk.id), registry().workflows
        definition = definition_of(case.submission, registry())

        def step(action: str, day: str, comment: str = "", due: date | None = None) -> None:
            take_step(case, action, actor, StepInput(comment, due), case.version, workflows, at(day), None,
                      definition, "Europe/Warsaw")

        step("take", "2026-11-03")
        assert case.due_on == date(2026, 11, 16)
        step("request_supplement", "2026-11-05", "Proszę podać numer umowy.", date(2026, 11, 12))
        assert case.due_on is None  # paused: nothing is due from the office while it waits
        step("resume", "2026-11-14")
        assert case.due_on == date(2026, 11, 25)  # 16 November + 9 days waited
        step("reply", "2026-11-20", "Odpowiedź.")
        assert case.due_on is None  # closed: nothing is due


def test_the_inbox_flags_an_overdue_case_and_lists_it_under_overdue(app, client, make_user):
    from .test_case_steps import log_out, send_case
    case_id, citizen, clerk = filed_case(client, make_user)
    log_out(client)
    client.login(citizen.email)
    on_time = send_case(client)  # a second case, due in the future
    log_out(client)
    client.login(clerk.email)
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case_id).values(due_on=date(2020, 1, 2)))
        db.session.commit()
        number, other = db.session.get(Case, case_id).number, db.session.get(Case, on_time).number
    overdue = client.get("/clerk/?view=overdue").get_data(as_text=True)
    assert number in overdue and "Po terminie (1)" in overdue and "po terminie</strong>" in overdue
    assert other not in overdue and other in client.get("/clerk/").get_data(as_text=True)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Termin" in page


def test_a_delay_notice_sets_the_new_date_tells_the_citizen_why_and_keeps_it_after_a_pause(app, client, make_user):
    from sqlalchemy import select

    from eurzad.outbox.models import OutboxMessage

    from .test_case_steps import log_out, step
    case_id, citizen, _clerk = filed_case(client, make_user)
    url = f"/clerk/cases/{case_id}"
    with app.app_context():
        due = db.session.get(Case, case_id).due_on
    later = date(due.year + 1, 3, 16)  # a Tuesday

    def notice(reason: str, new_date: str):
        page = client.get(url).get_data(as_text=True)
        version = re.search(r'id="delay-version" name="delay-version" type="hidden" value="(\d+)"', page)[1]
        return client.post(f"{url}/delay", data={"delay-reason": reason, "delay-due": new_date,
                                                 "delay-version": version, "csrf_token": client.csrf_token(url)})

    no_reason = notice(" ", later.strftime("%d.%m.%Y"))
    assert no_reason.status_code == 400 and 'href="#delay-reason"' in no_reason.get_data(as_text=True)
    earlier = notice("Potrzebna opinia.", due.strftime("%d.%m.%Y"))
    assert earlier.status_code == 400 and "Wpisz nowy termin, późniejszy niż obecny" in earlier.get_data(as_text=True)
    assert notice("Potrzebna opinia rzeczoznawcy.", later.strftime("%d.%m.%Y")).status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).due_on == later
        [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.receipt_id.is_(None))).all()
        assert mail.recipient == citizen.email and "ponaglenie" in mail.body and "rzeczoznawcy" not in mail.body
    assert long_date(later, "pl") in client.get("/clerk/").get_data(as_text=True)
    step(client, case_id, "take")
    with app.app_context():
        assert db.session.get(Case, case_id).due_on == later  # a step keeps the notified date
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Potrzebna opinia rzeczoznawcy." in mine and "Urząd nie może załatwić sprawy w terminie" in mine


def test_the_applicants_answer_ends_the_pause_on_the_day_it_comes(app, client, make_user, pl):
    from eurzad.cases.supplements import answer_request, open_request
    case_id, _citizen, clerk = filed_case(client, make_user)
    with app.app_context():
        db.session.execute(update(Submission).values(submitted_at=at("2026-11-02")))
        db.session.commit()
        case = db.session.get(Case, case_id)
        actor, workflows = db.session.get(User, clerk.id), registry().workflows
        definition = definition_of(case.submission, registry())
        take_step(case, "take", actor, StepInput(), case.version, workflows, at("2026-11-03"), None, definition)
        take_step(case, "request_supplement", actor, StepInput("Proszę podać numer umowy.", date(2026, 11, 12)),
                  case.version, workflows, at("2026-11-05"), None, definition)
        assert case.due_on is None
        sent, errors = answer_request(case, open_request(case, workflows), definition, {}, {}, [], "Umowa 12/2025.",
                                      None, "pl", file_store(app.config), pl, at("2026-11-09"), workflows,
                                      "Europe/Warsaw")
        assert errors == {} and sent is not None
        # 16 November + the 4 days waited (5 → 9 November): Friday 20 November; the clerk did nothing yet.
        assert case.state == "in_progress" and case.due_on == date(2026, 11, 20)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Termin był wstrzymany przez 4 dni, gdy urząd czekał na wnioskodawcę" in page
