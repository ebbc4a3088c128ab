"""The chain check without an app: a case log as rows, each link judged as `eurzad cases verify` judges it."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from eurzad.cases.chain import Filed, Logged, Sealed, StoredCase, first_break
from eurzad.cases.log import event_digest, filing_digest

FILED_AT = datetime(2026, 3, 14, 9, 30, 0, 123456)
DATA = '{"name":"Jan"}'
FILING = Filed(1, DATA, hashlib.sha256(DATA.encode()).hexdigest(), "d" * 64, FILED_AT)


def chain(*actions: str, ids: tuple[int, ...] = ()) -> list[Logged]:
    """A well-formed log of case 7 filed as OR.1431.1.2026: the filing, then `actions`, at ids 10, 20, 30…"""
    prev = filing_digest("OR.1431.1.2026", FILING.data_sha256, FILING.definition_sha256, FILED_AT)
    events = []
    for n, action in enumerate(("submission.create", *actions)):
        details = {"number": "OR.1431.1.2026"} if n == 0 else {"comment": f"krok {n}"}
        at = FILED_AT + timedelta(hours=n)
        digest = event_digest(7, prev, at, None, action, details)
        events.append(Logged((ids or tuple(range(10, 1000, 10)))[n], at, None, action, details, prev, digest))
        prev = digest
    return events


def case(events: list[Logged], sealed: tuple[Sealed, ...] = ()) -> StoredCase:
    return StoredCase(7, "OR.1431.1.2026", FILING, events, [], [], list(sealed))


def test_a_well_formed_log_holds():
    assert first_break(case(chain("case.view", "case.note"))) is None


def test_an_event_put_in_a_gap_between_two_is_named_as_inserted():
    events = chain("case.view", "case.note")
    forged = Logged(15, FILED_AT, None, "case.note", {}, "f" * 64, "e" * 64)
    assert first_break(case([events[0], forged, *events[1:]])) == (
        "case OR.1431.1.2026: event 15 (case.note) was inserted into the chain: event 20 (case.view) follows the "
        "event before it")


def test_details_that_are_no_longer_an_object_are_named_not_a_crash():
    events = chain("case.view")
    assert first_break(case([replace(events[0], details=["x"]), events[1]])) == (
        "case OR.1431.1.2026: event 10 (submission.create) was changed: its content does not match its digest")


def test_a_sealed_head_at_no_place_is_left_to_the_check_of_the_seals():
    events = chain("case.view")
    assert first_break(case(events, (Sealed(1, FILED_AT, "0" * 64, 0),))) is None
    assert first_break(case(events, (Sealed(1, FILED_AT, events[1].sha256, 2),))) is None
    assert first_break(case(events[:1], (Sealed(1, FILED_AT, events[1].sha256, 2),))) == (
        "case OR.1431.1.2026: events after event 10 (submission.create) were deleted: the seal of 2026-03-14 "
        "(seal 1) holds a later head")
