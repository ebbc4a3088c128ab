"""What a citizen sees of numbers: amounts in złoty, every digit as filed, and a plain message by the field
for what cannot be read exactly (decision 0031)."""
from __future__ import annotations

import json

import yaml
from sqlalchemy import select

from eurzad.cases.models import Submission
from eurzad.extensions import db

from ..test_shipped_forms import SAMPLES, post_data
from .test_citizen_journey import field_block

HOUSING = yaml.safe_load((SAMPLES / "housing-allowance.yaml").read_text(encoding="utf-8"))["post"]
FAULT = yaml.safe_load((SAMPLES / "fault-report.yaml").read_text(encoding="utf-8"))["post"]


def answers(post: dict) -> dict:
    return post_data(post).to_dict(flat=False)


def readable(page: str) -> str:
    return page.replace("\u00a0", " ")


def test_the_summary_and_the_case_show_amounts_in_zloty(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start("housing-allowance"), answers(HOUSING))
    page = readable(citizen_client.get(summary).get_data(as_text=True))
    assert "Wydatki na mieszkanie w ostatnim miesiącu" in page and "980,50 zł" in page
    assert "3 250,50 zł" in page and "5 200,00 zł" in page  # each person's income
    citizen_client.get("/?lang=en")
    assert "PLN 980.50" in readable(citizen_client.get(summary).get_data(as_text=True))
    case = citizen_client.submit(summary).headers["Location"].split("/")[2]
    citizen_client.get("/?lang=pl")
    assert "980,50 zł" in readable(citizen_client.get(f"/cases/{case}").get_data(as_text=True))
    with app.app_context():
        assert json.loads(db.session.scalar(select(Submission)).data_json)["housing_costs"] == 980.5


def test_an_amount_has_zloty_beside_its_box_and_says_so_to_screen_readers(citizen_client):
    location = citizen_client.answer_pages(citizen_client.start("housing-allowance"),
                                           answers({**HOUSING, "housing_costs": "980,505"}))
    page = location.get_data(as_text=True)
    block = field_block(page, "housing_costs")
    assert '<div class="input__suffix" aria-hidden="true">zł</div>' in block
    assert '<span class="visually-hidden"> (w złotych)</span>' in block
    assert "Wpisz kwotę z najwyżej 2 miejscami po przecinku, na przykład 980,50" in block
    assert 'value="980,505"' in block  # what was typed is shown again to be put right


def test_a_coordinate_keeps_every_digit_it_was_given(citizen_client):
    post = {**FAULT, "location_method": "coordinates", "coordinates-latitude": "49,688701",
            "coordinates-longitude": "21,76512"}
    summary = citizen_client.answer_pages(citizen_client.start("fault-report"), answers(post))
    page = citizen_client.get(summary).get_data(as_text=True)
    assert "49,688701" in page and "21,76512" in page


def test_digits_of_another_script_are_refused_by_the_field_not_read_as_a_number(citizen_client):
    post = {**HOUSING, "household-1-income": "٣٢٥٠"}
    page = citizen_client.answer_pages(citizen_client.start("housing-allowance"), answers(post)).get_data(as_text=True)
    assert 'href="#household-1-income"' in page
    assert "Wpisz liczbę cyframi od 0 do 9" in field_block(page, "household-1-income")
