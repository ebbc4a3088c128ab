"""The case log is tamper-evident: whoever edits the database by hand (an answer, an event re-dated, changed,
deleted or inserted, a case renumbered, a supplement) is named by `eurzad cases verify`, case by case,
and the clerk's page of that case warns; an untouched office verifies."""
from __future__ import annotations

import hashlib
import json
import threading
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from eurzad.cases.log import record
from eurzad.cases.models import Case, CaseEvent, Submission
from eurzad.cases.operations import CHANGED_MEANWHILE, canonical_json, commit_change
from eurzad.cli import main
from eurzad.extensions import db
from eurzad.refusals import RefusedError
from eurzad.timeutil import utcnow

from .test_case_steps import filed_case, step
from .test_citizen_journey import send as send_case
from .test_forwarding import send_forward
from .test_identity import log_out
from .test_supplements import answer, requested_case

WARNING = "Metryka tej sprawy nie zgadza się z jej skrótami"


def cli(app, *args: str):
    """`eurzad …` as IT staff run it, on the test database."""
    return app.test_cli_runner().invoke(main, list(args))


def verify(app, *args: str):
    return cli(app, "cases", "verify", *args)


def sql(app, statement: str, **params) -> None:
    """A change made behind eurzad's back: plain SQL, committed."""
    with app.app_context():
        db.session.execute(text(statement), params)
        db.session.commit()


def events(app, case_id: int) -> list[SimpleNamespace]:
    """The case's log as stored: id, action, details, in order."""
    with app.app_context():
        return [SimpleNamespace(id=row.id, action=row.action, details=row.details) for row in db.session.execute(
            select(CaseEvent.id, CaseEvent.action, CaseEvent.details).where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.id))]


def number_of(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).number


def as_json(app) -> str:
    """A bound parameter as a value of the JSON column (PostgreSQL will not take text for it)."""
    with app.app_context():
        return "CAST(:value AS JSON)" if db.engine.dialect.name == "postgresql" else ":value"


@pytest.fixture()
def office(app, client, make_user):
    """Two cases a citizen filed online (to OR): the first taken up by an OR clerk, with a note; the clerk is
    logged in."""
    case_id, citizen, clerk = filed_case(client, make_user)
    log_out(client)
    client.login(citizen.email)
    other = send_case(client)
    log_out(client)
    client.login(clerk.email)
    assert step(client, case_id, "take").status_code == 303
    url = f"/clerk/cases/{case_id}"
    assert client.post(f"{url}/notes", data={"note-text": "Zadzwonić do wnioskodawcy.",
                                             "csrf_token": client.csrf_token(url)}).status_code == 303
    return SimpleNamespace(case=case_id, other=other, number=number_of(app, case_id), clerk=clerk, citizen=citizen)


def assert_names(app, *expected: str) -> None:
    """`eurzad cases verify` exits 1, printing exactly these problems."""
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == list(expected)


def test_an_untouched_office_verifies(app, office):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 cases verified, all chains intact\n"
    log = events(app, office.case)
    assert [event.action for event in log][:2] == ["submission.create", "case.view"]
    assert {"case.transition", "case.note"} <= {event.action for event in log}


def test_a_changed_answer_is_named(app, office):
    sql(app, "UPDATE submissions SET data_json = replace(data_json, '2025', '2015') "
             "WHERE id = (SELECT submission_id FROM cases WHERE id = :id)", id=office.case)
    assert_names(app, f"case {office.number}: the submitted answers do not match their digest "
                      "(submissions.data_sha256)")


def test_answers_changed_with_their_digest_no_longer_bind_the_filing(app, office):
    with app.app_context():
        submission = db.session.get(Case, office.case).submission
        forged = canonical_json(json.loads(submission.data_json) | {"full_name": "Ktoś Inny"})
        submission_id = submission.id
    sql(app, "UPDATE submissions SET data_json = :body, data_sha256 = :digest WHERE id = :id",
        body=forged.decode(), digest=hashlib.sha256(forged).hexdigest(), id=submission_id)
    assert_names(app, f"case {office.number}: the first event does not bind this case's filing (submission, "
                      "definition or filing time changed)")


def test_a_re_dated_filing_time_no_longer_binds_the_filing(app, office):
    sql(app, "UPDATE submissions SET submitted_at = :at WHERE id = (SELECT submission_id FROM cases WHERE id = :id)",
        at=utcnow().replace(year=2020), id=office.case)
    assert_names(app, f"case {office.number}: the first event does not bind this case's filing (submission, "
                      "definition or filing time changed)")


def test_a_re_dated_event_is_named(app, office):
    [taken] = [event for event in events(app, office.case) if event.action == "case.transition"]
    sql(app, "UPDATE case_events SET at = :at WHERE id = :id", at=utcnow().replace(year=2020), id=taken.id)
    assert_names(app, f"case {office.number}: event {taken.id} (case.transition) was changed: its content does "
                      "not match its digest")


def test_an_event_with_changed_details_is_named(app, office):
    [note] = [event for event in events(app, office.case) if event.action == "case.note"]
    sql(app, f"UPDATE case_events SET details = {as_json(app)} WHERE id = :id",
        value=json.dumps({"comment": "Wszystko w porządku."}), id=note.id)
    assert_names(app, f"case {office.number}: event {note.id} (case.note) was changed: its content does not match "
                      "its digest")


def test_an_event_deleted_from_the_middle_is_named(app, office):
    log = events(app, office.case)
    sql(app, "DELETE FROM case_events WHERE id = :id", id=log[2].id)
    assert_names(app, f"case {office.number}: the event before event {log[3].id} ({log[3].action}) is missing or "
                      f"was changed (prev digest does not match event {log[1].id})")


def test_a_deleted_filing_event_is_named(app, office):
    log = events(app, office.case)
    sql(app, "DELETE FROM case_events WHERE id = :id", id=log[0].id)
    assert_names(app, f"case {office.number}: the first event, event {log[1].id} ({log[1].action}), is not the filing "
                      "(submission.create): the filing event is missing or another was put before it")


def test_a_case_whose_log_is_deleted_is_named(app, office):
    sql(app, "DELETE FROM case_events WHERE case_id = :id", id=office.other)
    assert_names(app, f"case {number_of(app, office.other)}: its case log is empty: every event, the filing's too, "
                      "is missing")


def test_an_event_added_at_the_end_is_named(app, office):
    log = events(app, office.case)
    with app.app_context():
        head = db.session.scalar(select(CaseEvent.sha256).where(CaseEvent.id == log[-1].id))
    sql(app, "INSERT INTO case_events (case_id, at, actor_id, action, details, prev_sha256, sha256) "
             f"VALUES (:case, :at, NULL, 'case.transition', {as_json(app)}, :prev, :digest)",
        case=office.case, at=utcnow(), value=json.dumps({"step": "close", "to": "closed"}), prev=head,
        digest=hashlib.sha256(b"made up").hexdigest())
    [added] = [event for event in events(app, office.case) if event.id not in {event.id for event in log}]
    assert_names(app, f"case {office.number}: event {added.id} (case.transition) was changed: its content does not "
                      "match its digest")


def test_an_event_moved_in_from_another_case_is_named_as_inserted(app, office):
    """An event with an id between two of the case's events: here the other case's filing, moved over."""
    [moved] = events(app, office.other)
    log = events(app, office.case)
    assert log[0].id < moved.id < log[-1].id
    sql(app, "UPDATE case_events SET case_id = :case WHERE id = :id", case=office.case, id=moved.id)
    after = next(event for event in log if event.id > moved.id)
    assert_names(app, f"case {office.number}: event {moved.id} (submission.create) was inserted into the chain: "
                      f"event {after.id} ({after.action}) follows the event before it",
                 f"case {number_of(app, office.other)}: its case log is empty: every event, the filing's too, is "
                 "missing")


def test_a_forked_event_is_refused_by_the_database(app, office):
    log = events(app, office.case)
    with app.app_context():
        prev = db.session.scalar(select(CaseEvent.prev_sha256).where(CaseEvent.id == log[-1].id))
    with pytest.raises(Exception, match="(?i)unique"):
        sql(app, "INSERT INTO case_events (case_id, at, action, details, prev_sha256, sha256) "
                 f"VALUES (:case, :at, 'case.note', {as_json(app)}, :prev, :prev)",
            case=office.case, at=utcnow(), value="{}", prev=prev)


def test_a_renumbered_case_is_named(app, office):
    forged = office.number.replace(".1.", ".9.")
    sql(app, "UPDATE cases SET number = :number WHERE id = :id", number=forged, id=office.case)
    assert_names(app, f"case {forged}: the case number {forged} is not the number it was filed under "
                      f"({office.number}) or forwarded to")


def test_a_forwarded_case_verifies_and_renumbered_after_it_is_named(app, client, office):
    assert send_forward(client, office.case, "FN", "Sprawa podatkowa: właściwy jest Wydział Finansów."
                        ).status_code == 303
    forwarded = number_of(app, office.case)
    assert forwarded.startswith("FN.") and verify(app).exit_code == 0
    result = verify(app, "--case", office.number)  # found by its number before forwarding too
    assert result.exit_code == 0 and result.stdout == f"case {forwarded}: its chain is intact\n"
    sql(app, "UPDATE cases SET number = :old WHERE id = :id", old=office.number + "-X", id=office.case)
    assert_names(app, f"case {office.number}-X: the case number {office.number}-X is not the number it was filed "
                      f"under ({office.number}) or forwarded to ({forwarded})")
    sql(app, "UPDATE cases SET number = :number WHERE id = :id", number=forwarded, id=office.case)
    sql(app, "UPDATE case_numbers SET number = :number WHERE case_id = :id", number="OR.1431.77.2026", id=office.case)
    assert_names(app, f"case {forwarded}: its earlier number OR.1431.77.2026 (case_numbers) is not one it was "
                      "forwarded from")


def supplemented(app, client, make_user) -> tuple[int, str, int, int]:
    """A case whose applicant answered a request online: (case id, number, supplement id, its event id)."""
    case_id, _citizen, _clerk = requested_case(app, client, make_user)
    sent = answer(client, f"/cases/{case_id}/supplement",
                  {"information_requested": "Rejestr umów z lat 2024–2025, tylko budowlane."})
    assert sent.status_code == 303
    with app.app_context():
        supplement_id = db.session.scalar(select(Submission.id).where(Submission.supplements_id.is_not(None)))
    [event] = [event for event in events(app, case_id) if event.action == "case.supplement"]
    assert event.details["data_sha256"] and event.details["submission"] == supplement_id
    assert verify(app).exit_code == 0
    return case_id, number_of(app, case_id), supplement_id, event.id


def test_a_changed_supplement_is_named(app, client, make_user):
    _case_id, number, supplement_id, event_id = supplemented(app, client, make_user)
    sql(app, "UPDATE submissions SET data_json = replace(data_json, 'budowlane', 'drogowe') WHERE id = :id",
        id=supplement_id)
    assert_names(app, f"case {number}: the answers of supplement {supplement_id} do not match their digest "
                      "(submissions.data_sha256)")
    with app.app_context():
        body = db.session.get(Submission, supplement_id).data_json.encode()
    sql(app, "UPDATE submissions SET data_sha256 = :digest WHERE id = :id", digest=hashlib.sha256(body).hexdigest(),
        id=supplement_id)
    assert_names(app, f"case {number}: supplement {supplement_id} is not the one event {event_id} (case.supplement) "
                      "received (its digest differs)")


def test_a_deleted_supplement_is_named(app, client, make_user):
    _case_id, number, supplement_id, event_id = supplemented(app, client, make_user)
    sql(app, "DELETE FROM attachments WHERE submission_id = :id", id=supplement_id)
    sql(app, "DELETE FROM receipts WHERE submission_id = :id", id=supplement_id)
    sql(app, "DELETE FROM submissions WHERE id = :id", id=supplement_id)
    assert_names(app, f"case {number}: event {event_id} (case.supplement) names supplement {supplement_id}, which "
                      "is missing")


def test_a_supplement_slipped_in_beside_the_filing_is_named(app, office):
    body = canonical_json({"answers": {"full_name": "Ktoś Inny"}, "message": "", "request": 1})
    sql(app, "INSERT INTO submissions (form_id, form_version, definition_sha256, data_json, data_sha256, locale, "
             "submitted_at, submitter_id, identified_by, supplements_id) "
             "SELECT form_id, form_version, definition_sha256, :body, :digest, locale, submitted_at, submitter_id, "
             "identified_by, id FROM submissions WHERE id = (SELECT submission_id FROM cases WHERE id = :id)",
        body=body.decode(), digest=hashlib.sha256(body).hexdigest(), id=office.case)
    with app.app_context():
        slipped = db.session.scalar(select(Submission.id).where(Submission.supplements_id.is_not(None)))
    assert_names(app, f"case {office.number}: supplement {slipped} is in no case.supplement event of the case log")


def test_verify_one_case_by_its_number(app, office):
    sql(app, "UPDATE submissions SET data_json = replace(data_json, '2025', '2015') "
             "WHERE id = (SELECT submission_id FROM cases WHERE id = :id)", id=office.other)
    broken, intact = verify(app, "--case", number_of(app, office.other)), verify(app, "--case", office.number)
    assert broken.exit_code == 1 and "submitted answers do not match" in broken.stdout
    assert intact.exit_code == 0 and intact.stdout == f"case {office.number}: its chain is intact\n"
    assert verify(app, "--case", "OR.1431.999.2000").exit_code == 2


def test_the_clerks_page_warns_on_the_broken_case_only(app, client, office):
    assert WARNING not in client.get(f"/clerk/cases/{office.case}").get_data(as_text=True)
    [note] = [event for event in events(app, office.case) if event.action == "case.note"]
    sql(app, "UPDATE case_events SET actor_id = NULL WHERE id = :id", id=note.id)
    page = client.get(f"/clerk/cases/{office.case}").get_data(as_text=True)
    warning = page[page.index('role="alert"'):].split("</div>")[0]
    assert WARNING in warning and "informatyk" in warning and office.number in warning
    assert WARNING not in client.get(f"/clerk/cases/{office.other}").get_data(as_text=True)


def test_an_event_that_takes_the_place_of_another_meanwhile_is_refused_as_a_change_meanwhile(app, office):
    with app.app_context():
        case = db.session.get(Case, office.case)
        event = record(case, "case.note", office.clerk.id, utcnow(), comment="Moja notatka.")
        # Another append to the same place of the chain, written first as far as this transaction can tell.
        with db.session.no_autoflush:
            db.session.execute(text("INSERT INTO case_events (case_id, at, action, details, prev_sha256, sha256) "
                                     f"VALUES (:case, :at, 'case.note', {as_json(app)}, :prev, :digest)"),
                               {"case": office.case, "at": utcnow(), "value": "{}", "prev": event.prev_sha256,
                                "digest": "0" * 64})
        with pytest.raises(RefusedError) as refused:
            commit_change()
        assert refused.value.message == CHANGED_MEANWHILE
    assert verify(app).exit_code == 0


def test_two_appends_at_once_follow_each_other_in_the_chain(app, office):
    held, failures = threading.Event(), []

    def note(comment: str, hold: bool) -> None:
        try:
            with app.app_context():
                record(db.session.get(Case, office.case), "case.note", office.clerk.id, utcnow(), comment=comment)
                if hold:  # the first keeps its transaction open while the second appends
                    held.set()
                    time.sleep(0.5)
                commit_change()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever stopped an append
            failures.append(exc)

    first = threading.Thread(target=note, args=("pierwsza", True))
    first.start()
    assert held.wait(10)
    note("druga", False)
    first.join()
    assert failures == []
    assert [event.details["comment"] for event in events(app, office.case)[-2:]] == ["pierwsza", "druga"]
    assert verify(app).exit_code == 0


def test_a_changed_or_deleted_receipt_is_named(app, office):
    with app.app_context():
        receipt_id = db.session.scalar(text("SELECT id FROM receipts WHERE case_id = :id"), {"id": office.case})
    sql(app, "UPDATE receipts SET content_json = replace(content_json, 'OR.1431', 'OR.1432') WHERE id = :id",
        id=receipt_id)
    assert_names(app, f"case {office.number}: the receipt {receipt_id} that event 1 (submission.create) binds was "
                      "changed (receipts.content_json)")
    sql(app, "DELETE FROM outbox_messages WHERE receipt_id = :id", id=receipt_id)
    sql(app, "DELETE FROM receipts WHERE id = :id", id=receipt_id)
    assert_names(app, f"case {office.number}: the receipt {receipt_id} that event 1 (submission.create) binds is "
                      "missing")
