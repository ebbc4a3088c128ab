"""A form's own words reach the citizen: the lead on its start page, its declaration and its send button.

Written for mutants of engine/definitions.py that survived the suite (docs/testing.md).
"""
from __future__ import annotations

from ..test_shipped_forms import post_data, sample


def test_the_start_page_shows_the_forms_lead(citizen_client):
    page = citizen_client.get("/forms/waste-declaration").get_data(as_text=True)
    assert "Pierwszą deklarację złóż w ciągu 14 dni od zamieszkania pierwszego mieszkańca" in page


def test_the_summary_shows_the_forms_declaration_and_its_own_send_button(citizen_client):
    answers = post_data(sample("waste-declaration").post).to_dict(flat=False)
    summary = citizen_client.answer_pages(citizen_client.start("waste-declaration"), answers)
    page = citizen_client.get(summary).get_data(as_text=True)
    assert "Składając deklarację, oświadczasz, że podane w niej dane są prawdziwe." in page
    assert "Złóż deklarację</button>" in page
