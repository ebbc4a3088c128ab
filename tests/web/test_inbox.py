"""The clerk's inbox: views with their counts, filters, search by number (old ones too) and name, order, pages,
the flags a clerk works by, the head's table of who holds what; any address gives a page, never an error."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import update

from eurzad.auth.models import Role, User
from eurzad.cases.log import record
from eurzad.cases.models import Case
from eurzad.cases.operations import file_submission
from eurzad.clerk import inbox
from eurzad.clerk.operations import forward
from eurzad.engine.deadlines import is_working_day
from eurzad.extensions import db, registry
from eurzad.timeutil import local, utcnow

ROAD = "road-lane-occupation"  # to DR, standard workflow
FAULT = "fault-report"  # a pothole: to DR, fault workflow
PUBLIC = "public-information"  # to OR
ANSWERS = {ROAD: {}, FAULT: {"category": "pothole"},
           PUBLIC: {"full_name": "Jan Kowalski", "email": "jan@example.pl", "information_requested": "Rejestr umów",
                    "delivery_method": "email", "consent": True}}


@pytest.fixture()
def office(app, client, make_user):
    """A DR clerk logged in (`office.clerk`), another DR clerk, a DR head, and `office.file(...)` to file cases."""

    class Office:
        clerk = make_user(Role.CLERK, department="DR", full_name="Ewa Drogowa")
        other = make_user(Role.CLERK, department="DR", full_name="Piotr Mostowy")
        head = make_user(Role.HEAD, department="DR", full_name="Anna Naczelna")
        applicant = make_user(full_name="Łucja Żak-Nowak")

        @staticmethod
        def file(form: str = ROAD, applicant: User | None = None, **changes) -> tuple[int, str]:
            """A case filed now (then its columns changed: received, due_on, state, assignee_id); (id, number)."""
            with app.app_context():
                reg = registry()
                sender = (applicant or Office.applicant).id
                case = file_submission(reg.forms[form], reg.workflows, ANSWERS[form], sender, "pl", utcnow(),
                                       app.config["OFFICE_TIMEZONE"])
                db.session.commit()
                if "received" in changes:
                    changes["created_at"] = datetime.combine(changes.pop("received"), time(11))
                if changes:
                    db.session.execute(update(Case).where(Case.id == case.id).values(**changes))
                    db.session.commit()
                return case.id, case.number

    client.login(Office.clerk.email)
    return Office


def inbox_page(client, query: str = "") -> str:
    response = client.get(f"/clerk/?{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def listed(page: str) -> list[str]:
    """The case numbers of the list, in its order."""
    return re.findall(r'<a href="/clerk/cases/\d+">([^<]+)</a>', page)


def today(app) -> date:
    return local(utcnow(), app.config["OFFICE_TIMEZONE"]).date()


def working_days_later(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def test_a_case_of_another_department_never_appears(app, client, office):
    _own, own = office.file()
    _elsewhere, elsewhere = office.file(PUBLIC, due_on=date(2020, 1, 2))
    for view in ("", "view=mine", "view=unassigned", "view=overdue", f"q={elsewhere}", "state=open",
                 "q=%C5%BCak"):
        assert elsewhere not in listed(inbox_page(client, view)), view
    assert listed(inbox_page(client)) == [own] and "Wszystkie (1)" in inbox_page(client)


def test_the_filters_by_state_form_clerk_and_received_date_narrow_the_list(app, client, office):
    _a, road_old = office.file(received=date(2026, 3, 2))
    _b, road_taken = office.file(received=date(2026, 3, 20), state="in_progress", assignee_id=office.other.id)
    _c, fault = office.file(FAULT, received=date(2026, 4, 1))
    _d, closed = office.file(received=date(2026, 4, 2), state="closed", due_on=None)
    everything = {road_old, road_taken, fault, closed}
    assert set(listed(inbox_page(client))) == everything
    assert listed(inbox_page(client, "state=in_progress")) == [road_taken]
    assert set(listed(inbox_page(client, "state=open"))) == everything - {closed}
    assert listed(inbox_page(client, f"form={FAULT}")) == [fault]
    assert set(listed(inbox_page(client, f"form={ROAD}"))) == everything - {fault}
    assert listed(inbox_page(client, f"assignee={office.other.id}")) == [road_taken]
    assert set(listed(inbox_page(client, "assignee=none"))) == everything - {road_taken}
    assert set(listed(inbox_page(client, "from=20.03.2026"))) == {road_taken, fault, closed}
    assert set(listed(inbox_page(client, "to=2026-03-20"))) == {road_old, road_taken}  # the whole last day
    assert listed(inbox_page(client, "from=2026-03-03&to=31.03.2026")) == [road_taken]
    both = inbox_page(client, f"form={ROAD}&state=open&from=01.03.2026")
    assert set(listed(both)) == {road_old, road_taken}
    assert 'value="01.03.2026"' in both and f'<option value="{ROAD}" selected>' in both  # the form shows them


def test_a_search_finds_a_case_by_its_number_its_old_number_if_forwarded_and_the_applicants_name(app, client,
                                                                                              office, make_user):
    _own, own = office.file()
    case_id, old = office.file(PUBLIC, applicant=make_user(full_name="Jan Kowalski"))
    with app.app_context():
        case, clerk = db.session.get(Case, case_id), make_user(Role.CLERK, department="OR")
        forward(case, db.session.get(User, clerk.id), "DR", "Drogi: właściwy jest Wydział Drogownictwa.",
                case.version, registry().workflows, utcnow(), app.config["OFFICE_TIMEZONE"])
        new = case.number
    assert new != old and new.startswith("DR.")
    assert listed(inbox_page(client, f"q={old}")) == [new]
    assert listed(inbox_page(client, f"q={old.lower()}")) == [new]  # the letters' case does not matter
    assert listed(inbox_page(client, f"q=+{new}+")) == [new]
    assert listed(inbox_page(client, "q=DR.1.1.1999")) == []
    assert listed(inbox_page(client, "q=kowal")) == [new]  # a word of the name starts so
    assert listed(inbox_page(client, "q=jan+kow")) == [new]
    assert listed(inbox_page(client, "q=owalski")) == []  # not inside a word
    assert listed(inbox_page(client, "q=%C5%BCak")) == [own]  # "żak" finds "Żak-Nowak" (Polish capitals)
    assert listed(inbox_page(client, "q=nowak")) == [own]
    assert listed(inbox_page(client, "q=%25")) == []  # a LIKE wildcard is a character like any other


def test_by_deadline_the_earliest_comes_first_and_mine_is_sorted_so_by_default(app, client, office):
    mine = {"assignee_id": office.clerk.id}
    _a, later = office.file(due_on=date(2027, 6, 1), received=date(2026, 1, 5), **mine)
    _b, paused = office.file(due_on=None, state="awaiting_citizen", received=date(2026, 1, 6), **mine)
    _c, earliest = office.file(due_on=date(2026, 2, 2), received=date(2026, 1, 4), **mine)
    _d, middle = office.file(due_on=date(2027, 1, 4), received=date(2026, 1, 7), **mine)
    assert listed(inbox_page(client, "view=mine")) == [earliest, middle, later, paused]
    assert listed(inbox_page(client, "sort=deadline")) == [earliest, middle, later, paused]
    assert listed(inbox_page(client)) == [middle, paused, later, earliest]  # all: newest first
    assert listed(inbox_page(client, "view=mine&sort=oldest")) == [earliest, later, paused, middle]
    assert "wstrzymany: urząd czeka na wnioskodawcę" in inbox_page(client, "view=mine")


def test_each_view_counts_its_cases_under_the_same_filters_up_to_a_cap(app, client, office, monkeypatch):
    office.file(assignee_id=office.clerk.id)
    office.file(assignee_id=office.clerk.id, due_on=date(2020, 1, 2), state="in_progress")
    office.file(assignee_id=office.other.id, state="in_progress")
    office.file()
    office.file(FAULT)
    page = inbox_page(client)
    assert "Wszystkie (5)" in page and "Moje (2)" in page and "Nikt jeszcze nie prowadzi (2)" in page
    assert "Po terminie (1)" in page and "5 spraw" in page
    page = inbox_page(client, "state=in_progress")
    assert "Wszystkie (2)" in page and "Moje (1)" in page and "Nikt jeszcze nie prowadzi (0)" in page
    monkeypatch.setattr(inbox, "COUNT_CAP", 3)
    page = inbox_page(client)
    assert "Wszystkie (3+)" in page and "Moje (2)" in page and "Ponad 3 spraw" in page


def test_pages_and_view_tabs_keep_the_filters(app, client, office):
    numbers = [office.file(received=date(2026, 5, day))[1] for day in range(1, 8)]  # PER_PAGE is 5 in tests
    office.file(FAULT, received=date(2026, 5, 9))
    first = inbox_page(client, f"form={ROAD}&from=01.05.2026")
    assert listed(first) == numbers[::-1][:5] and "Strona 1 z 2" in first
    following = re.search(r'href="([^"]+)" rel="next"', first)[1].replace("&amp;", "&")
    assert f"form={ROAD}" in following and "from=2026-05-01" in following and "page=2" in following
    second = client.get(following).get_data(as_text=True)
    assert listed(second) == numbers[::-1][5:] and "Strona 2 z 2" in second
    back = re.search(r'href="([^"]+)" rel="prev"', second)[1].replace("&amp;", "&")
    assert listed(client.get(back).get_data(as_text=True)) == numbers[::-1][:5]
    mine_tab = re.search(r'href="([^"]*view=mine[^"]*)"', second)[1].replace("&amp;", "&")
    assert f"form={ROAD}" in mine_tab and "page=" not in mine_tab
    assert client.get("/clerk/?page=3&form=" + ROAD).status_code == 404  # a page past the last
    exactly_one_page = inbox_page(client, f"form={ROAD}&from=03.05.2026")
    assert len(listed(exactly_one_page)) == 5 and 'rel="next"' not in exactly_one_page


def test_the_inbox_flags_overdue_and_due_within_three_working_days(app, client, office):
    now = today(app)
    _a, late = office.file(due_on=now - timedelta(days=1))
    _b, soon = office.file(due_on=working_days_later(now, 3))
    _c, later = office.file(due_on=working_days_later(now, 4))
    _d, due_today = office.file(due_on=now)
    page = inbox_page(client, "sort=deadline")
    rows = dict(zip(listed(page), page.split("<tr>")[2:], strict=True))
    assert "po terminie</strong>" in rows[late] and "termin mija" not in rows[late]
    assert "termin mija</strong>" in rows[soon] and "po terminie" not in rows[soon]
    assert "termin mija</strong>" in rows[due_today] and "po terminie" not in rows[due_today]  # the last day
    assert "</strong>" not in rows[later].split('data-label="Termin"')[1].split("</td>")[0]
    assert listed(inbox_page(client, "view=overdue")) == [late]


def test_a_supplemented_case_is_tagged_and_a_delayed_one_shows_its_new_date(app, client, office):
    answered, _number = office.file(state="in_progress")
    resumed, _other = office.file(state="in_progress")
    delayed, _third = office.file(due_on=date(2027, 3, 16))
    with app.app_context():
        for case_id, actions in ((answered, ["case.transition", "case.supplement", "case.view"]),
                                 (resumed, ["case.supplement", "case.transition"]), (delayed, ["case.delay"])):
            for action in actions:
                record(db.session.get(Case, case_id), action, None, utcnow())
        db.session.commit()
    page = inbox_page(client)
    rows = {int(case_id): row for case_id, row in re.findall(r'<a href="/clerk/cases/(\d+)">(.*?)</tr>', page, re.S)}
    assert "Uzupełniona" in rows[answered] and "Uzupełniona" not in rows[resumed]
    assert "nowy termin, po zawiadomieniu o zwłoce" in rows[delayed] and "16 marca 2027" in rows[delayed]
    assert "nowy termin" not in rows[answered]


def test_the_head_sees_who_holds_what_and_a_clerk_does_not(app, client, office):
    from .test_identity import log_out
    office.file(assignee_id=office.clerk.id)
    office.file(assignee_id=office.clerk.id, due_on=date(2020, 1, 2))
    office.file(assignee_id=office.clerk.id, state="closed", due_on=None)
    office.file(assignee_id=office.other.id)
    office.file(due_on=date(2020, 1, 2))
    assert client.get("/clerk/workload").status_code == 403
    assert "Kto co prowadzi" not in inbox_page(client)
    log_out(client)
    client.login(office.head.email)
    assert 'href="/clerk/workload"' in inbox_page(client)
    page = client.get("/clerk/workload").get_data(as_text=True)
    rows = {re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip(): row for row in page.split('<th scope="row">')[1:]}
    ewa = rows["Ewa Drogowa"]
    assert re.search(rf'href="/clerk/\?[^"]*assignee={office.clerk.id}[^"]*state=open">2</a>', ewa)  # not the closed
    assert re.search(r'href="/clerk/\?[^"]*view=overdue[^"]*">1</a>', ewa)
    assert ">1</a>" in rows["Piotr Mostowy"] and ">0<" in rows["Piotr Mostowy"].split("Po terminie")[1]
    assert ">1</a>" in rows["Nikt jeszcze nie prowadzi"]
    followed = re.search(r'href="(/clerk/\?[^"]*state=open)"', ewa)[1].replace("&amp;", "&")
    assert len(listed(inbox_page(client, followed.split("?")[1]))) == 2


@pytest.mark.parametrize("query", ["view=xyz", "from=notadate", "to=31.02.2026", "page=-1", "page=abc",
                                   "page=99999999999999999999", "state=%3Cscript%3Ealert(1)%3C/script%3E",
                                   "form=nope", "assignee=abc", "assignee=-5", "sort=up", "q=" + "x" * 500,
                                   "from=2026-05-05&to=2026-05-01", "page=%C2%B2", "from=01.01.0001",
                                   "to=9999-12-31"])
def test_a_bad_address_gives_the_inbox_with_the_value_ignored_never_an_error(app, client, office, query):
    _id, number = office.file(received=date(2026, 5, 3))
    page = inbox_page(client, query)
    assert number in listed(page), query
    assert "<script>alert" not in page
    assert 'class="notice" role="status"' in page, query


def test_the_list_is_a_table_that_stacks_on_a_phone(app, client, office):
    office.file()
    page = inbox_page(client)
    assert '<table class="table table--stack">' in page
    assert 'data-label="Wnioskodawca"' in page and 'data-label="Termin"' in page
    assert '<label class="label" for="q">' in page and '<label class="label" for="state">' in page
    assert '<form method="get" action="/clerk/"' in page


def test_filters_read_from_the_address_are_checked_against_the_choices():
    choices = inbox.Choices({"received", "closed"}, {ROAD}, {7})
    filters = inbox.read_filters({"view": "mine", "state": "closed", "form": ROAD, "assignee": "7",
                                  "from": "02.03.2026", "to": "2026-03-01", "q": "  Jan   Kowal ", "page": "3"},
                                 choices)
    assert (filters.view, filters.state, filters.form, filters.assignee, filters.query, filters.page) == (
        "mine", "closed", ROAD, "7", "Jan Kowal", 3)
    assert (filters.received_from, filters.received_to) == (date(2026, 3, 1), date(2026, 3, 2))  # swapped
    assert filters.order == "deadline" and len(filters.ignored) == 1
    assert filters.args(page=1) == {"view": "mine", "state": "closed", "form": ROAD, "assignee": "7",
                                    "from": "2026-03-01", "to": "2026-03-02", "q": "Jan Kowal"}
    assert inbox.read_filters({"assignee": "8", "state": "open", "page": "0"}, choices).assignee == ""
    assert inbox.read_filters({}, choices) == inbox.Filters() and inbox.Filters().order == "newest"
