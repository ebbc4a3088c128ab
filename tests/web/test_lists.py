"""A list of dates asked without JavaScript: add another, remove, errors by the right date, the dates on the
summary one under another and stored as a list of ISO dates."""
from __future__ import annotations

import json
from datetime import timedelta

from babel.dates import format_date
from sqlalchemy import select

from eurzad.cases.models import Submission
from eurzad.extensions import db

from .test_citizen_journey import field_block
from .test_dates import EVENT_DATES, START, boxes, office_today


def rehearsal(index: int, day) -> dict[str, str]:
    """The three boxes of the rehearsal `index` (from 0)."""
    return boxes(f"rehearsals-{index}", day)


def rehearsals_page(client) -> str:
    """The address of the rehearsals page of a new draft of the test form `event`."""
    response = client.submit(client.start("event"), EVENT_DATES)
    assert response.status_code == 303
    return response.headers["Location"]


def test_add_another_and_remove_work_without_javascript(test_forms):
    page_url = rehearsals_page(test_forms)
    page = test_forms.get(page_url).get_data(as_text=True)
    assert "Próba 1" in page and 'name="rehearsals-0-day"' in page and "Próba 2" not in page
    assert f'formaction="{page_url}/add/rehearsals"' in page
    token = test_forms.csrf_token(page_url)
    first = rehearsal(0, START - timedelta(days=1))
    more = test_forms.post(f"{page_url}/add/rehearsals", data={**first, "csrf_token": token})
    page = more.get_data(as_text=True)
    assert more.status_code == 200 and "Próba 2" in page and 'name="rehearsals-1-month"' in page
    assert f'value="{START - timedelta(days=1):%Y}"' in page  # what was typed comes back
    fewer = test_forms.post(f"{page_url}/remove/rehearsals/0", data={
        **first, **rehearsal(1, START - timedelta(days=2)), "csrf_token": token})
    page = fewer.get_data(as_text=True)
    assert "Próba 2" not in page and f'value="{(START - timedelta(days=2)).day}"' in page


def test_the_dates_are_shown_one_under_another_and_stored_as_a_list(app, test_forms):
    days = [START - timedelta(days=2), START - timedelta(days=1)]
    summary = test_forms.answer_pages(test_forms.start("event"), {
        **EVENT_DATES, **rehearsal(0, days[0]), **rehearsal(1, days[1]), "first_aid": "yes", "consent": "y"})
    page = test_forms.get(summary).get_data(as_text=True)
    words = [format_date(day, "long", locale="pl") for day in days]
    assert f"{words[0]}\n{words[1]}" in page
    assert test_forms.submit(summary).status_code == 303
    with app.app_context():
        stored = json.loads(db.session.scalar(select(Submission)).data_json)
    assert stored["rehearsals"] == [day.isoformat() for day in days]


def test_an_error_is_shown_by_the_date_it_is_about(test_forms):
    page_url = rehearsals_page(test_forms)
    response = test_forms.submit(page_url, {**rehearsal(0, START - timedelta(days=1)),
                                            **rehearsal(1, START + timedelta(days=1))})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#rehearsals-1-day">Próba 2: Próba musi się odbyć przed pierwszym dniem imprezy</a>' in page
    assert "Próba musi się odbyć przed pierwszym dniem imprezy" in field_block(page, "rehearsals-1")
    assert "Próba musi się odbyć" not in field_block(page, "rehearsals-0")


def test_a_date_in_the_list_with_a_missing_part_says_which(test_forms):
    page_url = rehearsals_page(test_forms)
    page = test_forms.submit(page_url, {"rehearsals-0-day": "3", "rehearsals-0-month": "",
                                        "rehearsals-0-year": str(office_today().year + 1)}).get_data(as_text=True)
    assert "Data musi zawierać miesiąc" in field_block(page, "rehearsals-0")


def test_an_empty_list_is_no_answer_and_the_page_goes_on(test_forms):
    response = test_forms.submit(rehearsals_page(test_forms), {"rehearsals-0-day": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith("/safety")
