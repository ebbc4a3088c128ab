"""Repeating groups (household members): add another, remove, errors by the right item, no JavaScript."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from eurzad.cases.models import Submission
from eurzad.extensions import db


@pytest.fixture()
def household(test_forms):
    return test_forms


def test_add_another_and_remove_work_without_javascript(household):
    first = household.start("household")
    page = household.get(first).get_data(as_text=True)
    assert "Osoba 1" in page and 'name="members-0-name"' in page and "Osoba 2" not in page
    token = household.csrf_token(first)
    assert f'formaction="{first}/add/members"' in page  # the button posts the answers typed so far
    more = household.post(f"{first}/add/members", data={"members-0-name": "Anna", "members-0-income": "3000",
                                                        "csrf_token": token})
    page = more.get_data(as_text=True)
    assert more.status_code == 200 and "Osoba 2" in page and 'value="Anna"' in page
    assert f'formaction="{first}/remove/members/0"' in page
    fewer = household.post(f"{first}/remove/members/0", data={
        "members-0-name": "Anna", "members-0-income": "3000", "members-1-name": "Piotr", "members-1-income": "100",
        "csrf_token": token})
    page = fewer.get_data(as_text=True)
    assert 'value="Piotr"' in page and 'value="Anna"' not in page and "Osoba 2" not in page


def test_errors_point_at_the_right_item(household):
    first = household.start("household")
    response = household.submit(first, {"members-0-name": "Anna", "members-0-income": "3000",
                                        "members-1-name": "Piotr", "members-1-income": "dużo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#members-1-income"' in page
    block = page[page.index('id="members-1-income"') - 600:page.index('id="members-1-income"')]
    assert "Wpisz liczbę, na przykład 12,5" in block
    assert 'aria-describedby="members-1-income-error"' in page


def test_items_beyond_max_items_are_refused_never_trimmed_and_nothing_is_saved(app, household):
    first = household.start("household")
    posted = {f"members-{i}-name": f"Osoba{i}" for i in range(10)} | {f"members-{i}-income": "1" for i in range(10)}
    refused = household.submit(first, posted)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Ta strona nie pyta o: members-3-income" in page
    assert "Nic nie zostało zapisane" in page
    assert household.get(first.replace(first.split("/")[-1], "check")).status_code == 303  # still on this page
    three = {k: v for k, v in posted.items() if int(k.split("-")[1]) < 3}
    summary = household.submit(first, three).headers["Location"]
    assert household.submit(summary).status_code == 303
    with household.application.app_context():
        stored = json.loads(db.session.scalar(select(Submission)).data_json)
    assert [m["name"] for m in stored["members"]] == ["Osoba0", "Osoba1", "Osoba2"]
    assert stored["members"][0]["income"] == 1


def test_an_answer_the_page_does_not_ask_or_an_item_part_it_does_not_have_is_refused(household):
    first = household.start("household")
    for extra in ({"members-0-nickname": "Kasia"}, {"other_question": "x"}, {"members-x-name": "Ala"}):
        refused = household.submit(first, {"members-0-name": "Ala", "members-0-income": "1", **extra})
        assert refused.status_code == 400 and "Ta strona nie pyta o: " + next(iter(extra)) in refused.text


def test_a_group_left_empty_gets_its_own_message(household):
    first = household.start("household")
    page = household.submit(first, {"members-0-name": "", "members-0-income": ""}).get_data(as_text=True)
    assert "Podaj co najmniej jedną osobę" in page and 'href="#members-0-name"' in page
    assert re.search(r'id="members-error"', page)


def test_an_error_after_an_item_left_empty_is_shown_by_the_item_it_is_about(household):
    response = household.submit(household.start("household"), {
        "members-0-name": "Anna", "members-0-income": "3000", "members-1-name": "", "members-1-income": "",
        "members-2-name": "Piotr", "members-2-income": "dużo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Osoba 3" not in page  # the empty item is gone from the page
    item = page[page.index("repeat-item__legend\">Osoba 2"):]
    block = item[:item.index("</fieldset>")]
    assert 'value="Piotr"' in block and 'value="dużo"' in block and "Wpisz liczbę, na przykład 12,5" in block
    summary = page[page.index('class="error-summary"'):page.index("</ul>", page.index('class="error-summary"'))]
    assert "Osoba 2: Wpisz liczbę, na przykład 12,5" in summary  # named by its item, as the page numbers it
