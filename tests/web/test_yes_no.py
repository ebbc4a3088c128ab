"""What a citizen sees of yes/no questions and tick boxes: three states, a consent that must be ticked, and
nothing but the page's own values accepted (decision 0032)."""
from __future__ import annotations

import json

import yaml
from sqlalchemy import select

from eurzad.cases.models import Submission
from eurzad.extensions import db

from ..test_shipped_forms import SAMPLES, post_data
from .test_citizen_journey import field_block
from .test_dates import EVENT_DATES

FAULT = yaml.safe_load((SAMPLES / "fault-report.yaml").read_text(encoding="utf-8"))["post"]
QUESTION = "Czy awaria zagraża bezpieczeństwu pieszych lub kierowców?"


def answers(post: dict) -> dict:
    return post_data(post).to_dict(flat=False)


def summary_of(client, form_id: str, post: dict) -> str:
    summary = client.answer_pages(client.start(form_id), answers(post))
    assert isinstance(summary, str), summary.get_data(as_text=True)
    return client.get(summary).get_data(as_text=True)


def row_after(page: str, label: str) -> str:
    start = page.index(label)
    return page[start:page.index("</dd>", start)]


def test_a_yes_no_question_is_asked_with_tak_and_nie(citizen_client):
    post = answers({**FAULT, "description": "Dziura."})  # too short: the page of the question comes back
    page = citizen_client.answer_pages(citizen_client.start("fault-report"), post).get_data(as_text=True)
    block = page[page.index(QUESTION) - 300:]
    assert 'type="radio" value="yes"' in block and ">Tak</label>" in block and ">Nie</label>" in block


def test_no_is_shown_as_an_answer_and_an_unanswered_question_is_not_listed(app, citizen_client):
    assert "Nie" in row_after(summary_of(citizen_client, "fault-report", FAULT), QUESTION)
    unanswered = summary_of(citizen_client, "fault-report", {k: v for k, v in FAULT.items() if k != "hazard"})
    assert QUESTION not in unanswered
    summary = citizen_client.answer_pages(citizen_client.start("fault-report"), answers(FAULT))
    assert citizen_client.submit(summary).status_code == 303
    with app.app_context():
        assert json.loads(db.session.scalar(select(Submission)).data_json)["hazard"] is False


def test_a_forged_answer_to_a_yes_no_question_is_refused_by_it(citizen_client):
    page = citizen_client.answer_pages(citizen_client.start("fault-report"),
                                       answers({**FAULT, "hazard": "true"})).get_data(as_text=True)
    assert "Wybierz „Tak” lub „Nie”" in field_block(page, "hazard")


def test_a_consent_must_be_ticked_and_an_optional_box_may_be_left(app, test_forms):
    first = test_forms.start("event")
    response = test_forms.answer_pages(first, {**EVENT_DATES, "first_aid": "no", "deposit": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Zaznacz, że posprzątasz teren po imprezie" in field_block(page, "consent")
    summary = test_forms.answer_pages(first, {**EVENT_DATES, "first_aid": "no", "consent": "y"})
    page = test_forms.get(summary).get_data(as_text=True)
    assert "Ustawimy scenę" not in page  # the optional box left unticked is no answer, not "Nie"
    assert "Zobowiązuję się posprzątać teren po imprezie" in page
    assert test_forms.submit(summary).status_code == 303
    with test_forms.application.app_context():
        stored = json.loads(db.session.scalar(select(Submission)).data_json)
    assert {key: stored[key] for key in stored if not key.endswith("_date")} == {"first_aid": False, "consent": True}


def test_a_box_takes_only_its_own_value(test_forms):
    response = test_forms.answer_pages(test_forms.start("event"), {**EVENT_DATES, "first_aid": "yes", "stage": "on"})
    assert response.status_code == 400
    assert "Sprawdź tę odpowiedź" in field_block(response.get_data(as_text=True), "stage")


def test_a_required_yes_no_question_asks_for_either_answer(test_forms):
    response = test_forms.answer_pages(test_forms.start("event"), {**EVENT_DATES, "stage": "y"})
    page = response.get_data(as_text=True)
    assert "Wybierz, czy będzie punkt pierwszej pomocy" in field_block(page, "first_aid")
    assert 'value="y" checked' in page  # the box ticked is kept while the page is put right
