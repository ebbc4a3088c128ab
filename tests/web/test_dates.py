"""What a citizen sees of dates: day, month and year boxes, a message by the field that names the part that is
wrong, the definition's date rules enforced, and the date in words on the summary (decision 0029)."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import yaml
from babel.dates import format_date
from sqlalchemy import select

from eurzad.auth.models import Role
from eurzad.cases.models import Case, Submission
from eurzad.config import defaults
from eurzad.drafts.models import Draft
from eurzad.extensions import db
from eurzad.timeutil import local, utcnow

from ..test_shipped_forms import SAMPLES, post_data
from .test_citizen_journey import field_block
from .test_identity import log_out
from .test_supplements import answer, request

ROAD = post_data(yaml.safe_load((SAMPLES / "road-lane-occupation.yaml").read_text(encoding="utf-8"))["post"]
                 ).to_dict(flat=False)


def office_today() -> date:
    """Today as the office counts it (the date rules' today)."""
    return local(utcnow(), defaults(Path())["OFFICE_TIMEZONE"]).date()


def boxes(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


START = office_today() + timedelta(days=10)
EVENT_DATES = boxes("start_date", START) | boxes("end_date", START + timedelta(days=2))
"""Dates of the test form `event` (tests/definitions/event.yaml) that keep its rules, whatever today is."""


def road_with(**changes: str) -> dict:
    return {**ROAD, **changes}


def test_the_dates_page_asks_day_month_and_year_in_that_order(citizen_client):
    page = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"),
                                       road_with(**{"date_to-month": ""})).get_data(as_text=True)
    block = field_block(page, "date_from")
    assert re.findall(r'<input [^>]*name="([^"]+)"', block) == ["date_from-day", "date_from-month", "date_from-year"]
    assert re.findall(r'<label [^>]*>([^<]+)</label>', block) == ["Dzień", "Miesiąc", "Rok"]
    assert 'type="date"' not in page


def test_a_missing_month_is_named_by_the_field_and_linked_from_the_summary(citizen_client):
    response = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"),
                                           road_with(**{"date_to-month": ""}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#date_to-day">Data musi zawierać miesiąc</a>' in page
    block = field_block(page, "date_to")
    assert "Data musi zawierać miesiąc" in block
    assert re.findall(r'class="input [^"]*input--error[^"]*"[^>]*name="([^"]+)"', block) == ["date_to-month"]
    assert 'value="14"' in block and 'value="2099"' in block  # the parts typed are kept


def test_31_june_is_refused_as_no_real_date(citizen_client):
    page = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"),
                                       road_with(**{"date_from-day": "31"})).get_data(as_text=True)
    assert "Data musi istnieć w kalendarzu" in field_block(page, "date_from")


def test_an_end_before_the_start_is_refused_naming_the_start(citizen_client):
    page = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"),
                                       road_with(**{"date_to-month": "5"})).get_data(as_text=True)
    assert "Data nie może być wcześniejsza niż 1 czerwca 2099" in field_block(page, "date_to")


def test_a_start_in_the_past_is_refused_in_the_pages_language(citizen_client):
    yesterday = office_today() - timedelta(days=1)
    post = road_with(**boxes("date_from", yesterday), **boxes("date_to", yesterday))
    page = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"), post).get_data(as_text=True)
    assert "Data nie może być wcześniejsza niż dzisiaj" in field_block(page, "date_from")
    citizen_client.get("/?lang=en")
    page = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"), post).get_data(as_text=True)
    assert "The date must be today or in the future" in field_block(page, "date_from")


def test_the_summary_shows_the_dates_in_words_and_the_case_stores_them_in_iso(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"), ROAD)
    page = citizen_client.get(summary).get_data(as_text=True)
    assert "1 czerwca 2099" in page and "14 czerwca 2099" in page
    assert citizen_client.submit(summary).status_code == 303
    with app.app_context():
        stored = json.loads(db.session.scalar(select(Submission)).data_json)
    assert (stored["date_from"], stored["date_to"]) == ("2099-06-01", "2099-06-14")


def test_a_date_too_soon_names_the_first_day_allowed_and_a_date_far_enough_is_kept(test_forms):
    first = test_forms.start("event")
    soon = office_today() + timedelta(days=6)
    page = test_forms.submit(first, boxes("start_date", soon) | boxes("end_date", soon)).get_data(as_text=True)
    earliest = format_date(office_today() + timedelta(days=7), "long", locale="pl")
    assert f"Data nie może być wcześniejsza niż {earliest} – co najmniej 7 dni od dzisiaj" in \
        field_block(page, "start_date")
    summary = test_forms.answer_pages(first, {**EVENT_DATES, "first_aid": "yes", "consent": "y"})
    page = test_forms.get(summary).get_data(as_text=True)
    assert format_date(START, "long", locale="pl") in page
    assert format_date(START + timedelta(days=2), "long", locale="pl") in page


def test_the_definitions_own_message_for_a_rule_is_shown(test_forms):
    early = boxes("end_date", START - timedelta(days=1))
    page = test_forms.submit(test_forms.start("event"), boxes("start_date", START) | early).get_data(as_text=True)
    assert "Ostatni dzień nie może być przed pierwszym" in field_block(page, "end_date")


def test_a_date_that_became_past_before_sending_is_refused_at_sending_by_its_page(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start("road-lane-occupation"), ROAD)
    yesterday = (office_today() - timedelta(days=1)).isoformat()
    with app.app_context():  # as if the page had been answered yesterday, with that day's date
        draft = db.session.get(Draft, summary.split("/")[2])
        draft.data = {**draft.data, "date_from": yesterday, "date_to": yesterday}
        db.session.commit()
    response = citizen_client.submit(summary)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<a href="[^"]*/pages/dates\?return=check">Data nie może być wcześniejsza niż dzisiaj</a>', page)


def test_a_corrected_date_keeps_the_rules_of_the_form(app, client, make_user):
    citizen, clerk = make_user(), make_user(Role.CLERK, department="DR")
    client.login(citizen.email)
    assert client.send_form("road-lane-occupation", ROAD).status_code == 303
    log_out(client)
    client.login(clerk.email)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
        url = f"/clerk/cases/{case_id}"
        assert client.post(f"{url}/take-up", data={"take_up-version": "1", "csrf_token": client.csrf_token(url)}
                           ).status_code == 303
        assert request(client, case_id, comment="Proszę podać inny pierwszy dzień.",
                       questions=("date_from",)).status_code == 303
    log_out(client)
    client.login(citizen.email)
    supplement = f"/cases/{case_id}/supplement"
    assert 'name="date_from-day"' in client.get(supplement).get_data(as_text=True)
    refused = answer(client, supplement, boxes("date_from", office_today() - timedelta(days=1)))
    assert refused.status_code == 400
    assert "Data nie może być wcześniejsza niż dzisiaj" in field_block(refused.get_data(as_text=True), "date_from")
    assert answer(client, supplement, boxes("date_from", date(2099, 6, 2))).status_code == 303
