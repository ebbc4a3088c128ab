"""Checking the case log's hash chains (issue 10): per case, the first link that does not hold, in words
for IT staff; cases are read in batches, so every case of a large office is checked in little memory."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..receipts.models import Receipt
from .log import event_digest, filing_digest
from .models import Case, CaseEvent, CaseNumber, ChainSeal, ChainSealHead, Submission

BATCH = 500
"""Cases read and checked at a time."""
FILING_UNBOUND = "the first event does not bind this case's filing (submission, definition or filing time changed)"


@dataclass(frozen=True)
class Logged:
    """A case-log event as stored."""

    id: int
    at: datetime
    actor_id: int | None
    action: str
    details: dict[str, Any]
    prev_sha256: str
    sha256: str

    def __str__(self) -> str:
        return f"event {self.id} ({self.action})"

    def detail(self, key: str) -> Any:
        """One of the details, or None (also when the details are not an object, as an edit may leave them)."""
        return self.details.get(key) if isinstance(self.details, dict) else None

    def holds_its_digest(self, case_id: int) -> bool:
        return self.sha256 == event_digest(case_id, self.prev_sha256, self.at, self.actor_id, self.action,
                                           self.details)


@dataclass(frozen=True)
class Filed:
    """A submission as stored: the filing or a supplement."""

    id: int
    data_json: str
    data_sha256: str
    definition_sha256: str
    submitted_at: datetime

    def holds_its_digest(self) -> bool:
        return hashlib.sha256(self.data_json.encode("utf-8")).hexdigest() == self.data_sha256


@dataclass(frozen=True)
class Sealed:
    """The head of a case's chain as a seal holds it: after `count` events, the digest `head`."""

    seal_id: int
    made_at: datetime
    head: str
    count: int

    def __str__(self) -> str:
        return f"the seal of {self.made_at:%Y-%m-%d} (seal {self.seal_id})"


@dataclass(frozen=True)
class StoredCase:
    """What the chain of one case binds, as stored: its number, filing, log, supplements, earlier numbers and
    the heads the seals hold for it (in seal order)."""

    id: int
    number: str
    filing: Filed
    events: list[Logged]
    supplements: list[Filed]
    former_numbers: list[str]
    sealed: list[Sealed]
    receipts: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: (content_sha256, content_json)


def first_break(case: StoredCase) -> str | None:
    """The first link of the case's chain that does not hold, as a sentence naming the case; None when the
    whole chain holds: the filing, each event, the number, the supplements and the sealed heads."""
    problem = (_filing_problem(case) or _link_problem(case) or _number_problem(case) or _supplement_problem(case)
               or _receipt_problem(case) or _seal_problem(case))
    return f"case {case.number}: {problem}" if problem else None


def _filing_problem(case: StoredCase) -> str | None:
    if not case.filing.holds_its_digest():
        return "the submitted answers do not match their digest (submissions.data_sha256)"
    if not case.events:
        return "its case log is empty: every event, the filing's too, is missing"
    if case.events[0].action != "submission.create":
        return (f"the first event, {case.events[0]}, is not the filing (submission.create): the filing event is "
                "missing or another was put before it")
    return None


def _link_problem(case: StoredCase) -> str | None:
    """Each event must follow the one before it (the first, the filing) and hold its own digest."""
    events, filing = case.events, case.filing
    binding = filing_digest(events[0].detail("number") or "", filing.data_sha256, filing.definition_sha256,
                            filing.submitted_at)
    for i, event in enumerate(events):
        before = events[i - 1].sha256 if i else binding
        if event.prev_sha256 != before:
            if i + 1 < len(events) and events[i + 1].prev_sha256 == before:
                return f"{event} was inserted into the chain: {events[i + 1]} follows the event before it"
            if event.holds_its_digest(case.id):
                return (f"the event before {event} is missing or was changed (prev digest does not match event "
                        f"{events[i - 1].id})") if i else FILING_UNBOUND
        if not event.holds_its_digest(case.id):
            return f"{event} was changed: its content does not match its digest"
    return None


def _number_problem(case: StoredCase) -> str | None:
    """The number now is the one filed under, followed through each forwarding (decision 0025)."""
    filed = expected = case.events[0].detail("number")
    forwarded_from = []
    for event in case.events:
        if event.action == "case.forward":
            forwarded_from.append(event.detail("old_number"))
            expected = event.detail("new_number")
    if case.number != expected:
        to = f" ({expected})" if forwarded_from else ""
        return f"the case number {case.number} is not the number it was filed under ({filed}) or forwarded to{to}"
    for number in case.former_numbers:
        if number not in forwarded_from:
            return f"its earlier number {number} (case_numbers) is not one it was forwarded from"
    return None


def _supplement_problem(case: StoredCase) -> str | None:
    """Each supplement is named, with its digest, by one case.supplement event, and its data still match it."""
    named = {event.detail("submission"): event for event in case.events if event.action == "case.supplement"}
    stored = {supplement.id: supplement for supplement in case.supplements}
    for supplement in case.supplements:
        event = named.get(supplement.id)
        if event is None:
            return f"supplement {supplement.id} is in no case.supplement event of the case log"
        if not supplement.holds_its_digest():
            return (f"the answers of supplement {supplement.id} do not match their digest "
                    "(submissions.data_sha256)")
        if event.detail("data_sha256") != supplement.data_sha256:
            return f"supplement {supplement.id} is not the one {event} received (its digest differs)"
    for submission_id, event in named.items():
        if submission_id not in stored:
            return f"{event} names supplement {submission_id}, which is missing"
    return None


def _receipt_problem(case: StoredCase) -> str | None:
    """Each receipt the log binds (of the filing, of a supplement) is stored, and as it was signed."""
    for event in case.events:
        bound = event.detail("receipt")
        if not isinstance(bound, dict):
            continue
        stored = case.receipts.get(str(bound.get("id")))
        if stored is None:
            return f"the receipt {bound.get('id')} that {event} binds is missing"
        digest, content = stored
        if digest != bound.get("sha256") or hashlib.sha256(content.encode("utf-8")).hexdigest() != digest:
            return f"the receipt {bound.get('id')} that {event} binds was changed (receipts.content_json)"
    return None


def _seal_problem(case: StoredCase) -> str | None:
    """The chain still holds every head a seal holds for it, at the place the seal found it (a count that is no
    place at all is the seal's own problem, which the check of the seals names)."""
    for sealed in (sealed for sealed in case.sealed if sealed.count > 0):
        if len(case.events) < sealed.count:
            return f"events after {case.events[-1]} were deleted: {sealed} holds a later head"
        if case.events[sealed.count - 1].sha256 != sealed.head:
            return (f"{sealed} holds another event as the {_ordinal(sealed.count)} of the case: events up to "
                    f"{case.events[sealed.count - 1]} were replaced")
    return None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def case_ids(after: int = 0, limit: int = BATCH) -> list[int]:
    """The ids of the next `limit` cases after `after`, in order (keyset paging: no offset to skip)."""
    return list(db.session.scalars(select(Case.id).where(Case.id > after).order_by(Case.id).limit(limit)))


def stored_cases(ids: Collection[int], seals: Collection[int] | None = None) -> list[StoredCase]:
    """The cases with these ids as their chains bind them, in a few queries for the whole batch; the sealed
    heads of the seals `seals` only (None: of every seal)."""
    if not ids:
        return []
    cases = db.session.execute(select(Case.id, Case.number, Case.submission_id).where(Case.id.in_(ids))
                               .order_by(Case.id)).all()
    filed = {row.id: _filed(row) for row in db.session.execute(
        select(*_FILED_COLUMNS).where(Submission.id.in_([case.submission_id for case in cases])))}
    supplements = defaultdict(list)
    for row in db.session.execute(select(*_FILED_COLUMNS, Submission.supplements_id).where(
            Submission.supplements_id.in_(list(filed))).order_by(Submission.id)):
        supplements[row.supplements_id].append(_filed(row))
    events = defaultdict(list)
    for case_id, *logged in db.session.execute(
            select(CaseEvent.case_id, CaseEvent.id, CaseEvent.at, CaseEvent.actor_id, CaseEvent.action,
                   CaseEvent.details, CaseEvent.prev_sha256, CaseEvent.sha256)
            .where(CaseEvent.case_id.in_(ids)).order_by(CaseEvent.case_id, CaseEvent.id)):
        events[case_id].append(Logged(*logged))
    former = defaultdict(list)
    for case_id, number in db.session.execute(select(CaseNumber.case_id, CaseNumber.number)
                                              .where(CaseNumber.case_id.in_(ids)).order_by(CaseNumber.id)):
        former[case_id].append(number)
    receipts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for case_id, receipt_id, digest, content in db.session.execute(
            select(Receipt.case_id, Receipt.id, Receipt.content_sha256, Receipt.content_json)
            .where(Receipt.case_id.in_(ids), Receipt.kind == "UPP")):
        receipts[case_id][receipt_id] = (digest, content)
    sealed = sealed_heads(ids, seals)
    return [StoredCase(case.id, case.number, filed[case.submission_id], events[case.id],
                       supplements[case.submission_id], former[case.id], sealed[case.id], receipts[case.id])
            for case in cases]


def sealed_heads(ids: Collection[int], seals: Collection[int] | None = None) -> dict[int, list[Sealed]]:
    """The heads the seals `seals` (None: all) hold for these cases, by case, in seal order; the seals are
    picked here rather than in SQL, as years of daily seals would make a long IN list."""
    query = (select(ChainSealHead.case_id, ChainSeal.id, ChainSeal.made_at, ChainSealHead.head, ChainSealHead.count)
             .join(ChainSeal, ChainSeal.id == ChainSealHead.seal_id).where(ChainSealHead.case_id.in_(ids))
             .order_by(ChainSeal.id))
    found: dict[int, list[Sealed]] = defaultdict(list)
    for case_id, seal_id, made_at, head, count in db.session.execute(query):
        if seals is None or seal_id in seals:
            found[case_id].append(Sealed(seal_id, made_at, head, count))
    return found


def case_break(case_id: int) -> str | None:
    """The first break of one case's chain (None: it holds), for its page: a case has few events, so this is
    cheap; the seals' own digests and signatures are left to `eurzad cases verify`."""
    found = stored_cases([case_id])
    return first_break(found[0]) if found else None


def broken_cases(seals: Collection[int] | None = None) -> Iterator[tuple[int, str | None]]:
    """Every case, batch by batch: (its id, the first break of its chain or None)."""
    after = 0
    while ids := case_ids(after):
        for case in stored_cases(ids, seals):
            yield case.id, first_break(case)
        after = ids[-1]


_FILED_COLUMNS = (Submission.id, Submission.data_json, Submission.data_sha256, Submission.definition_sha256,
                  Submission.submitted_at)


def _filed(row: Any) -> Filed:
    return Filed(row.id, row.data_json, row.data_sha256, row.definition_sha256, row.submitted_at)
