"""A filed case shows its attached files by name and its computed fee, to the citizen and to the clerk.

Written for mutants of cases/operations.py that survived the suite (docs/testing.md).
"""
from __future__ import annotations

from eurzad.auth.models import Role

from ..test_shipped_forms import post_data, sample
from .test_attachments import png, upload


def test_the_case_page_names_an_attached_file_and_its_size(test_forms):
    first = test_forms.start("letter")
    summary = upload(test_forms, first, png(), "skan pisma.png").headers["Location"]
    case_id = test_forms.submit(summary).headers["Location"].split("/")[2]
    page = test_forms.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "skan pisma.png (1 kB)" in page


def test_the_case_page_shows_the_computed_fee_to_the_citizen_and_to_the_clerk(citizen_client, make_user):
    answers = post_data(sample("waste-declaration").post).to_dict(flat=False)
    case_id = citizen_client.send_form("waste-declaration", answers).headers["Location"].split("/")[2]
    page = citizen_client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Miesięczna opłata za odpady" in page and "132,00 zł" in page
    citizen_client.post("/logout", data={"csrf_token": citizen_client.csrf_token()})
    department = sample("waste-declaration").department
    citizen_client.login(make_user(Role.CLERK, department=department).email)
    assert "132,00 zł" in citizen_client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
