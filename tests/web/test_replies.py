"""The office replies with documents: PDFs checked by content, read and downloaded by the citizen on the case
page, delivered (in the case log, shown to the clerk) the first time the citizen opens it; or sent by post."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from eurzad.auth.models import Role
from eurzad.cases.models import Attachment, Case, CaseEvent
from eurzad.extensions import db

from .test_case_steps import filed_case, state_of, step
from .test_identity import log_out
from .test_supplements import PDF, download


def reply(client, case_id: int, comment: str = "W załączeniu rejestr umów.", files: tuple = ((PDF, "odpowiedz.pdf"),),
          delivery: str = "online"):
    """The clerk replies and closes the case, with the files chosen, as a browser posts it."""
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="reply-version" type="hidden" value="(\d+)"', page)[1]
    data = {"csrf_token": client.csrf_token(url), "reply-comment": comment, "reply-version": version,
            "reply-delivery": delivery, "reply-documents": [(io.BytesIO(content), name) for content, name in files]}
    builder = EnvironBuilder(path=f"{url}/steps/reply", method="POST", data=data)
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:  # Werkzeug spools a body over 500 KB to a temporary file that it leaves open
        environ["wsgi.input"].close()
        builder.close()


def replied_case(app, client, make_user, **kwargs):
    case_id, citizen, clerk = filed_case(client, make_user)
    assert step(client, case_id, "take").status_code == 303
    response = reply(client, case_id, **kwargs)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return case_id, citizen, clerk


def deliveries(app) -> list[CaseEvent]:
    with app.app_context():
        return db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.delivery")).all()


def test_the_citizen_reads_the_reply_downloads_it_and_the_first_opening_is_the_delivery(app, client, make_user):
    case_id, citizen, clerk = replied_case(app, client, make_user)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "odpowiedz.pdf" in page and "Wnioskodawca jeszcze nie otworzył" in page
    assert state_of(app, case_id) == "provided" and deliveries(app) == []
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Urząd udostępnił Ci informację" in mine and "W załączeniu rejestr umów." in mine
    [url] = re.findall(rf'href="(/cases/{case_id}/files/\d+)">odpowiedz.pdf', mine)
    assert download(client, url) == PDF
    client.get(f"/cases/{case_id}")  # opened again: still one delivery, at the first opening
    [delivery] = deliveries(app)
    assert delivery.actor_id == citizen.id
    log_out(client)
    client.login(clerk.email)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Doręczono: wnioskodawca otworzył" in page and "Wnioskodawca jeszcze nie otworzył" not in page


def test_a_file_that_is_not_a_pdf_is_refused_by_its_field_and_nothing_changes(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    assert step(client, case_id, "take").status_code == 303
    refused = reply(client, case_id, files=((b"MZ\x90\x00" + b"\x00" * 64, "decyzja.pdf"),))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'href="#reply-documents"' in page and "PDF" in page
    assert state_of(app, case_id) == "in_progress"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    from .test_attachments import png
    refused = reply(client, case_id, files=((png(), "decyzja.png"),))  # a real image, but not a PDF
    assert refused.status_code == 400 and 'href="#reply-documents"' in refused.get_data(as_text=True)
    oversized = PDF + b"%" * (10 * 1024 * 1024)  # a real PDF, over 10 MB
    refused = reply(client, case_id, files=((oversized, "decyzja.pdf"),))
    assert refused.status_code == 400 and 'href="#reply-documents"' in refused.get_data(as_text=True)
    refused = reply(client, case_id, comment="")  # the reply needs its text
    assert refused.status_code == 400 and 'href="#reply-comment"' in refused.get_data(as_text=True)
    assert state_of(app, case_id) == "in_progress"


def test_a_decision_sent_by_post_is_recorded_and_opening_the_page_is_no_delivery(app, client, make_user):
    case_id, citizen, _clerk = replied_case(app, client, make_user, files=(), delivery="post")
    log_out(client)
    client.login(citizen.email)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Wysłano pocztą" in mine
    assert deliveries(app) == []


def test_only_the_citizen_and_the_department_get_the_document(app, client, make_user):
    from .test_citizen_journey import send as send_case
    case_id, citizen, _clerk = replied_case(app, client, make_user)
    with app.app_context():
        [document] = db.session.scalars(select(Attachment)).all()
        other_case_url = f"/cases/{case_id}/files/{document.id}"
    log_out(client)
    client.login(citizen.email)
    second = send_case(client)  # the citizen's own other case does not lend its document
    assert client.get(f"/cases/{second}/files/{document.id}").status_code == 404
    log_out(client)
    client.login(make_user().email)
    assert client.get(other_case_url).status_code == 404
    log_out(client)
    client.login(make_user(Role.CLERK, department="FN").email)
    assert client.get(other_case_url).status_code == 404


def test_an_anonymous_sender_gets_the_reply_through_the_tracking_link(app, client, make_user):
    from eurzad.outbox.models import OutboxMessage

    from .test_anonymous import send_anonymously
    send_anonymously(client)
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        link = re.search(r"(/track/\S+)", mail.body).group(1)
        case_id = db.session.scalar(select(Case.id))
    client.login(make_user(Role.CLERK, department="OR").email)
    assert step(client, case_id, "take").status_code == 303
    assert reply(client, case_id).status_code == 303
    log_out(client)
    tracked = client.get(link).get_data(as_text=True)
    assert "W załączeniu rejestr umów." in tracked
    [url] = re.findall(rf'href="({link}/files/\d+)">odpowiedz.pdf', tracked)
    assert download(client, url) == PDF
    [delivery] = deliveries(app)
    assert delivery.actor_id is None
    with app.app_context():
        mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(mails) == 3 and all(message.recipient == "jan@example.pl" for message in mails)  # link, take, reply
