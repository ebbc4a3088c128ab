"""The confirmation tells the citizen by which day the office should deal with the case (14 days, KPA art. 57)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import yaml
from sqlalchemy import update

from eurzad.cases.models import Case, Submission
from eurzad.engine.deadlines import before_date
from eurzad.engine.texts import long_date
from eurzad.extensions import db

from ..conftest import ROOT
from .test_citizen_journey import send


def confirmation_filed_at(app, client, case_id: int, moment_utc: datetime) -> str:
    """The confirmation page of a case as if it had been filed at that moment (UTC)."""
    with app.app_context():
        db.session.execute(update(Submission).values(submitted_at=moment_utc))
        db.session.commit()
    return client.get(f"/cases/{case_id}/sent").get_data(as_text=True)


def test_a_request_filed_two_weeks_before_a_holiday_is_due_the_working_day_after_it(app, citizen_client):
    case_id = send(citizen_client)
    page = confirmation_filed_at(app, citizen_client, case_id, datetime(2026, 10, 28, 9, 0))
    assert "Urząd powinien załatwić sprawę do 12 listopada 2026" in page  # 11 November is a holiday
    page = confirmation_filed_at(app, citizen_client, case_id, datetime(2026, 12, 11, 9, 0))
    assert "Urząd powinien załatwić sprawę do 28 grudnia 2026" in page  # Christmas, then a weekend
    page = confirmation_filed_at(app, citizen_client, case_id, datetime(2026, 3, 3, 9, 0))
    assert "Urząd powinien załatwić sprawę do 17 marca 2026" in page


def test_the_deadline_counts_from_the_office_day_of_filing_not_the_utc_day(app, citizen_client):
    case_id = send(citizen_client)
    # 23:30 UTC on 27 October is already 28 October in Krosno: due 12 November, not 10 November.
    page = confirmation_filed_at(app, citizen_client, case_id, datetime(2026, 10, 27, 23, 30))
    assert "Urząd powinien załatwić sprawę do 12 listopada 2026" in page


def test_the_deadline_is_written_in_english_on_an_english_page(app, citizen_client):
    case_id = send(citizen_client)
    citizen_client.get("/?lang=en")
    page = confirmation_filed_at(app, citizen_client, case_id, datetime(2026, 3, 7, 9, 0))
    assert "The office should deal with it by 23 March 2026" in page  # 21 March is a Saturday


def test_a_service_without_undue_delay_says_so_and_is_dated_by_the_one_month_outer_limit(another_app, make_user,
                                                                                       tmp_path):
    from eurzad.cases.operations import file_submission
    from eurzad.extensions import registry
    defs = tmp_path / "defs"
    defs.mkdir()
    text = (ROOT / "tests" / "definitions" / "letter.yaml").read_text(encoding="utf-8")
    assert "deadline: {months: 1}" in text
    (defs / "letter.yaml").write_text(text.replace("deadline: {months: 1}", "deadline: {without_undue_delay: true}"),
                                      encoding="utf-8")
    app = another_app(DEFINITIONS_DIR=str(defs))
    start = app.test_client().get("/forms/letter").get_data(as_text=True)
    assert "Bez zbędnej zwłoki, najpóźniej w ciągu miesiąca" in start
    with app.app_context():
        definition = registry().forms["letter"]
        case = file_submission(definition, registry().workflows, {"subject": "Hałas"}, make_user().id, "pl",
                               datetime(2026, 1, 30, 10, 0), "Europe/Warsaw")
        # A month from 30 January ends on the month's last day, Saturday 28 February: Monday 2 March.
        assert case.due_on.isoformat() == "2026-03-02"
        db.session.rollback()


def test_a_road_lane_permit_is_due_before_the_occupation_starts_and_the_card_says_so(app, citizen_client):
    start = citizen_client.get("/forms/road-lane-occupation").get_data(as_text=True)
    assert "1 miesiąc, ale najpóźniej 1 dzień przed datą podaną w pytaniu „Zajęcie od”" in start
    sample = yaml.safe_load((ROOT / "form_definitions/samples/road-lane-occupation.yaml").read_text(encoding="utf-8"))
    start, end = date.today() + timedelta(days=20), date.today() + timedelta(days=25)  # never in the past
    post = {**sample["post"], **{f"date_from-{part}": str(getattr(start, part)) for part in ("day", "month", "year")},
            **{f"date_to-{part}": str(getattr(end, part)) for part in ("day", "month", "year")}}
    response = citizen_client.send_form("road-lane-occupation", post)
    case_id = int(response.headers["Location"].split("/")[2])
    page = citizen_client.get(f"/cases/{case_id}/sent").get_data(as_text=True)
    due = before_date(start, 1)  # the working day before the start, well within the month
    assert f"Urząd powinien załatwić sprawę do {long_date(due, 'pl')}" in page
    with app.app_context():
        assert db.session.get(Case, case_id).due_on is not None
