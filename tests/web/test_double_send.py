"""A form sent twice (a double click, two tabs, the back button) is filed once; the second send is told the
case number, and no file of the first is ever taken by the second."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from eurzad.cases.models import Attachment, Case
from eurzad.drafts.models import Draft
from eurzad.drafts.operations import AlreadySentError, Sender, send_draft
from eurzad.extensions import db, registry
from eurzad.timeutil import utcnow

from .test_anonymous import send_anonymously
from .test_attachments import png, upload
from .test_citizen_journey import FORM, VALID


def cases(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id)))


def test_a_citizen_who_sends_twice_files_one_case_and_is_told_its_number(app, citizen_client):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    token = citizen_client.csrf_token(summary)
    first = citizen_client.post(summary, data={"csrf_token": token})
    second = citizen_client.post(summary, data={"csrf_token": token})  # the same page, pressed again
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    page = citizen_client.get(second.headers["Location"]).get_data(as_text=True)
    number = re.search(r'case-number">([^<]+)<', page)[1]
    assert f"Ten formularz został już wysłany jako sprawa {number}" in page
    assert cases(app) == 1
    back = citizen_client.get(summary)  # the back button to the summary of a form already sent
    assert back.status_code == 303 and back.headers["Location"] == first.headers["Location"]


def test_an_anonymous_sender_who_sends_twice_is_told_the_number_and_where_the_link_went(app, client):
    summary, first = send_anonymously(client)
    assert first.status_code == 303
    second = client.post(summary, data={"csrf_token": client.csrf_token("/login")})
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and "Formularz został już wysłany" in page
    with app.app_context():
        assert db.session.scalar(select(Case.number)) in page
    assert not re.search(r"/track/(?!lost)", page) and cases(app) == 1  # no link, but where to ask for a new one
    assert 'href="/track/lost"' in page


def test_a_stranger_posting_to_a_sent_drafts_address_gets_404(app, citizen_client, make_user):
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    citizen_client.submit(summary)
    stranger = app.test_client()
    stranger.login(make_user().email)
    assert stranger.post(summary, data={"csrf_token": stranger.csrf_token("/")}).status_code == 404
    assert stranger.get(summary).status_code == 404
    anonymous = app.test_client()
    assert anonymous.post(summary, data={"csrf_token": anonymous.csrf_token("/login")}).status_code in (302, 404)


@pytest.mark.parametrize("form_id", ["letter", FORM])
def test_of_two_sends_racing_one_files_the_case_and_its_file_stays_with_it(test_forms, pl, form_id):
    """Both requests read the draft before either files it; the second finds the files gone with the first
    (a form with a file) or the draft filed (the unique draft id of the submission)."""
    app = test_forms.application
    if form_id == "letter":
        summary = upload(test_forms, test_forms.start("letter"), png(2, 2), "skan.png").headers["Location"]
    else:
        summary = test_forms.answer_pages(test_forms.start(FORM), VALID)
    draft_id = summary.split("/")[2]

    def sending(draft: Draft):
        definition = registry().forms[draft.form_id]
        return lambda: send_draft(draft, definition, registry().workflows, Sender(draft.user_id), "pl", pl, utcnow(),
                                  "Europe/Warsaw")

    with app.app_context():
        second_tab = sending(db.session.get(Draft, draft_id))  # both requests read the draft first
        with app.app_context():
            case, errors = sending(db.session.get(Draft, draft_id))()
            assert errors == {} and case is not None
            first_number = case.number
        with pytest.raises(AlreadySentError) as sent:
            second_tab()
        assert sent.value.case.number == first_number
    with app.app_context():
        [case] = db.session.scalars(select(Case)).all()
        assert db.session.get(Draft, draft_id) is None and case.submission.draft_id == draft_id
        for attachment in db.session.scalars(select(Attachment)):
            assert attachment.submission_id == case.submission.id and attachment.draft_id is None
