"""A request to supplement (art. 64 §2 KPA): the clerk names what is missing and by when, the citizen answers
online with corrected answers and files, the answer is filed beside the original with its own receipt."""
from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date, timedelta

import rfc8785
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from eurzad.auth.models import Role
from eurzad.cases.models import Case, CaseEvent, Submission
from eurzad.engine.deadlines import is_working_day
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.timeutil import local, utcnow

from .test_case_steps import filed_case, step
from .test_citizen_journey import VALID
from .test_identity import log_out

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def today() -> date:
    return local(utcnow(), "Europe/Warsaw").date()


def request(client, case_id: int, comment: str = "Proszę doprecyzować, o które umowy chodzi.",
            due: str | None = None, questions: tuple[str, ...] = ("information_requested",)):
    """The clerk takes the case up and asks the citizen to supplement it."""
    if state_of_case(case_id) == "received":
        assert step(client, case_id, "take").status_code == 303
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="request_supplement-version" type="hidden" value="(\d+)"', page)[1]
    offered = re.search(r'name="request_supplement-due" type="text" value="([^"]*)"', page)[1]
    return client.post(f"{url}/steps/request_supplement", data={
        "request_supplement-comment": comment, "request_supplement-version": version,
        "request_supplement-due": due or offered, "request_supplement-questions": list(questions),
        "csrf_token": client.csrf_token(url)})


def state_of_case(case_id: int) -> str:
    return db.session.get(Case, case_id).state


def answer(client, url: str, fields: dict, files: dict | None = None, token_from: str | None = None):
    """Post the answer page as a browser does (multipart, with the CSRF token of the page)."""
    data = {"csrf_token": client.csrf_token(token_from or url), **fields,
            **{name: (io.BytesIO(content), filename) for name, (content, filename) in (files or {}).items()}}
    builder = EnvironBuilder(path=url, method="POST", data=data)
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:  # Werkzeug spools a body over 500 KB to a temporary file that it leaves open
        environ["wsgi.input"].close()
        builder.close()


def download(client, url: str) -> bytes:
    """A file as the browser receives it (the response closed, as a browser closes it)."""
    response = client.get(url)
    try:
        assert response.status_code == 200, response.status_code
        return response.get_data()
    finally:
        response.close()


def requested_case(app, client, make_user, **kwargs):
    """A case the clerk took up and asked to supplement; the citizen is logged in."""
    case_id, citizen, clerk = filed_case(client, make_user)
    url = f"/clerk/cases/{case_id}"
    assert client.post(f"{url}/take-up", data={"take_up-version": "1", "csrf_token": client.csrf_token(url)}
                       ).status_code == 303
    with app.app_context():
        assert request(client, case_id, **kwargs).status_code == 303
    log_out(client)
    client.login(citizen.email)
    return case_id, citizen, clerk


def test_the_date_must_give_at_least_seven_days_and_nothing_changes_without_it(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    with app.app_context():
        too_soon = (today() + timedelta(days=6)).strftime("%d.%m.%Y")
        refused = request(client, case_id, due=too_soon)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and 'href="#request_supplement-due"' in page
        assert "co najmniej 7 dni" in page
        assert state_of_case(case_id) == "in_progress"
        assert db.session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.action == "case.transition", CaseEvent.details["step"].as_string() == "request_supplement")) == 0
        refused = request(client, case_id, questions=("no_such_question",))
        assert refused.status_code == 400 and 'href="#request_supplement-questions"' in refused.get_data(as_text=True)
        assert state_of_case(case_id) == "in_progress"


def test_a_date_on_a_saturday_moves_to_the_next_working_day(app, client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    saturday = today() + timedelta(days=8)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    expected = saturday
    while not is_working_day(expected):
        expected += timedelta(days=1)
    with app.app_context():
        assert request(client, case_id, due=saturday.strftime("%d.%m.%Y")).status_code == 303
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.transition")
                                   .order_by(CaseEvent.id.desc())).first()
        assert event.details["due"] == expected.isoformat() and event.details["questions"] == ["information_requested"]


def test_the_citizen_corrects_the_named_answer_attaches_a_file_and_gets_a_receipt(app, client, make_user):
    case_id, _citizen, clerk = requested_case(app, client, make_user)
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Urząd wzywa Cię do uzupełnienia wniosku" in mine and "Proszę doprecyzować" in mine
    assert f'href="/cases/{case_id}/supplement"' in mine
    url = f"/cases/{case_id}/supplement"
    form = client.get(url).get_data(as_text=True)
    assert VALID["information_requested"] in form  # the answer as it stands, to correct
    assert 'name="full_name"' not in form  # a question the request did not name cannot be changed here
    with app.app_context():
        original = db.session.get(Case, case_id).submission.data_json

        # A correction the definition refuses: the error by the question, nothing filed.
        refused = answer(client, url, {"information_requested": "krótko"})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and 'href="#information_requested"' in page
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1

        # A question the request did not name is ignored even when posted.
        sent = answer(client, url, {"information_requested": "Rejestr umów z lat 2024–2025, tylko budowlane.",
                                    "full_name": "Ktoś Inny", "supplement-message": "Dołączam pełnomocnictwo."},
                      {"supplement-documents": (PDF, "pełnomocnictwo.pdf")})
        assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
        receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        number = case.number
        [supplement] = case.supplements
        assert "Urząd otrzymał Twoje uzupełnienie" in receipt and case.number in receipt
        assert supplement.data_sha256 in receipt and "pełnomocnictwo.pdf" in receipt
        body = json.loads(supplement.data_json)
        assert body["answers"] == {"information_requested": "Rejestr umów z lat 2024–2025, tylko budowlane."}
        assert body["message"] == "Dołączam pełnomocnictwo."
        assert supplement.data_sha256 == hashlib.sha256(rfc8785.dumps(body)).hexdigest()
        assert case.submission.data_json == original  # the filing itself stays as filed
        assert case.state == "in_progress" and case.due_on is not None  # back to the clerk; the clock runs
        assert supplement.attachments[0].sha256 == hashlib.sha256(PDF).hexdigest()

    with app.app_context():  # the clerk who handles the case is told, with a link and never the data
        told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == clerk.email)).all()
    assert [number in mail.subject for mail in told][-1:] == [True]
    assert f"/clerk/cases/{case_id}" in told[-1].body and "Drogbud" not in told[-1].body
    mine = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Urząd wzywa Cię" not in mine and "Uzupełnienie zostało wysłane" in mine
    assert "Rejestr umów z lat 2024–2025" in mine
    log_out(client)
    client.login(clerk.email)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Uzupełniona: wnioskodawca odpowiedział na wezwanie" in page
    assert "Rejestr umów z lat 2024–2025" in page and "Dołączam pełnomocnictwo." in page
    assert VALID["information_requested"] in page  # the data as filed, beside the supplement
    [file_id] = re.findall(rf'/cases/{case_id}/files/(\d+)">pełnomocnictwo.pdf', page)
    assert download(client, f"/cases/{case_id}/files/{file_id}") == PDF


def test_an_answered_request_cannot_be_answered_again(app, client, make_user):
    case_id, _citizen, _clerk = requested_case(app, client, make_user)
    url = f"/cases/{case_id}/supplement"
    kept = {"information_requested": VALID["information_requested"]}  # as the page offers it
    assert answer(client, url, {**kept, "supplement-message": "Odpowiedź."}).status_code == 303
    again = answer(client, url, {**kept, "supplement-message": "Jeszcze raz."},  # from a page left open
                   token_from=f"/cases/{case_id}")
    assert again.status_code == 409 and "już odpowiedziano" in again.get_data(as_text=True)
    assert client.get(url).status_code == 303  # nothing to answer: back to the case
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 2


def test_an_empty_answer_is_refused_by_its_field(app, client, make_user):
    case_id, _citizen, _clerk = requested_case(app, client, make_user)
    url = f"/cases/{case_id}/supplement"
    refused = answer(client, url, {"information_requested": VALID["information_requested"]})
    assert refused.status_code == 400 and 'href="#supplement-message"' in refused.get_data(as_text=True)
    disguised = answer(client, url, {"information_requested": VALID["information_requested"],
                                     "supplement-message": "Plik."},
                       {"supplement-documents": (b"MZ\x90\x00 not a pdf", "skan.pdf")})
    assert disguised.status_code == 400 and 'href="#supplement-documents"' in disguised.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
        assert state_of_case(case_id) == "awaiting_citizen"


def test_another_citizen_and_another_department_get_404(app, client, make_user):
    case_id, _citizen, _clerk = requested_case(app, client, make_user)
    log_out(client)
    client.login(make_user().email)
    assert client.get(f"/cases/{case_id}/supplement").status_code == 404
    assert answer(client, f"/cases/{case_id}/supplement", {"supplement-message": "x"},
                  token_from="/cases/").status_code == 404
    log_out(client)
    client.login(make_user(Role.CLERK, department="FN").email)
    assert client.get(f"/clerk/cases/{case_id}").status_code == 404


def test_leaving_unconsidered_is_offered_only_once_the_date_has_passed(app, client, make_user):
    case_id, _citizen, clerk = requested_case(app, client, make_user)
    log_out(client)
    client.login(clerk.email)
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Pozostaw bez rozpoznania" not in page and "Czeka na uzupełnienie od wnioskodawcy do" in page
    with app.app_context():
        version = str(db.session.get(Case, case_id).version)
    forged = step(client, case_id, "leave_unconsidered", "Brak uzupełnienia.", version=version)
    assert forged.status_code == 409  # not offered before the date: refused, nothing changes
    with app.app_context():
        assert state_of_case(case_id) == "awaiting_citizen"
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "case.transition")
                                   .order_by(CaseEvent.id.desc())).first()
        event.details = {**event.details, "due": (today() - timedelta(days=1)).isoformat()}
        db.session.commit()
    page = client.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "Termin minął bez odpowiedzi" in page
    assert step(client, case_id, "leave_unconsidered", "Wniosek nie został uzupełniony.").status_code == 303
    with app.app_context():
        assert state_of_case(case_id) == "left_unconsidered"


def test_an_anonymous_sender_answers_through_the_tracking_link(app, client, make_user):
    from eurzad.outbox.models import OutboxMessage

    from .test_anonymous import send_anonymously
    send_anonymously(client)
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        link = re.search(r"(/track/\S+)", mail.body).group(1)
        case_id = db.session.scalar(select(Case.id))
    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    client.login(make_user(Role.CLERK, department="OR").email)
    with app.app_context():
        assert request(client, case_id).status_code == 303
    log_out(client)
    tracked = client.get(link).get_data(as_text=True)
    assert "Urząd wzywa Cię do uzupełnienia wniosku" in tracked and f'href="{link}/supplement"' in tracked
    sent = answer(client, f"{link}/supplement", {"information_requested": VALID["information_requested"],
                                                 "supplement-message": "Chodzi o umowy budowlane."},
                  {"supplement-documents": (PDF, "skan.pdf")})
    assert sent.status_code == 303 and sent.headers["Location"].startswith(f"{link}/supplements/")
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Urząd otrzymał Twoje uzupełnienie" in receipt and "skan.pdf" in receipt
    [file_url] = re.findall(rf'href="({link}/files/\d+)"', receipt)
    assert download(client, file_url) == PDF
    assert client.get("/track/AAAAAAAAAAAAAAAAAAAAAA/supplement").status_code == 404
    with app.app_context():
        assert state_of_case(case_id) == "in_progress"
