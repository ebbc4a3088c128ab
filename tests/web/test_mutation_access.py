"""Files of drafts stay with their draft, and an anonymous draft outlives a closed browser window.

Written for mutants of access.py that survived the suite (docs/testing.md).
"""
from __future__ import annotations

from sqlalchemy import select

from eurzad.cases.models import Attachment
from eurzad.extensions import db

from .test_attachments import png, upload


def draft_of(location: str) -> str:
    return location.split("/")[2]  # /drafts/<id>/pages/<page>


def test_a_citizen_cannot_download_a_file_of_another_citizens_draft_through_their_own(test_forms, make_user):
    first = test_forms.start("letter")
    assert upload(test_forms, first, png(), "moje.png", subject="").status_code == 400  # kept, the page asks again
    with test_forms.application.app_context():
        file_id = db.session.scalar(select(Attachment.id))
    mine = f"/drafts/{draft_of(first)}/files/{file_id}"
    with test_forms.get(mine) as own:
        assert own.status_code == 200 and own.data == png()
    other = test_forms.application.test_client()
    other.login(make_user().email)
    their_draft = draft_of(other.start("letter"))
    with other.get(f"/drafts/{their_draft}/files/{file_id}") as response:
        assert response.status_code == 404
    with other.get(mine) as response:
        assert response.status_code == 404


def test_an_anonymous_draft_is_held_by_a_cookie_that_outlives_the_browser_window(client):
    response = client.submit("/forms/fault-report/start", token_from="/forms/fault-report")
    assert response.status_code == 303
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Expires=" in session_cookie
    assert client.get(response.headers["Location"]).status_code == 200
