"""An optional answer the citizen empties again is gone: from the draft, the summary and the filed case."""
from __future__ import annotations

import json

from sqlalchemy import select

from eurzad.cases.models import Submission
from eurzad.extensions import db

from .test_citizen_journey import FORM, VALID

PHONE = "+48 13 474 33 00"


def test_an_optional_answer_emptied_on_going_back_is_not_shown_and_not_filed(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), {**VALID, "phone": PHONE})
    page = citizen_client.get(summary).get_data(as_text=True)
    assert PHONE in page and "Plik PDF" in page
    contact, delivery = summary.replace("/check", "/pages/contact"), summary.replace("/check", "/pages/delivery")
    assert f'href="{contact}" class="back-link"' in page, "Back leads to the last page"

    assert f'value="{PHONE}"' in citizen_client.get(contact).get_data(as_text=True)
    emptied = citizen_client.submit(contact, {"full_name": VALID["full_name"], "email": VALID["email"], "phone": ""})
    assert emptied.headers["Location"] == summary
    citizen_client.submit(delivery, {"delivery_method": "post", "preferred_format": ""})  # "Wybierz" again
    assert 'value="+48' not in citizen_client.get(contact).get_data(as_text=True)

    page = citizen_client.get(summary).get_data(as_text=True)
    assert PHONE not in page and "Numer telefonu" not in page
    assert "Plik PDF" not in page and "W jakiej formie?" not in page
    case_id = int(citizen_client.submit(summary).headers["Location"].split("/")[2])
    case = citizen_client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert PHONE not in case and "Plik PDF" not in case and "Jan Kowalski" in case
    with app.app_context():
        filed = json.loads(db.session.scalar(select(Submission)).data_json)
    assert "phone" not in filed and "preferred_format" not in filed and filed["full_name"] == "Jan Kowalski"
