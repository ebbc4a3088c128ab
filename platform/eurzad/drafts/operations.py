"""Drafts: start one, answer a page (files included), send it as a case, throw it away, purge the expired.

Each operation that changes state ends with the request's one commit.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError

from ..cases.models import Attachment, Case, Submission
from ..cases.operations import file_submission, store_file, tracking_digest
from ..engine import answering
from ..engine.attachments import Chosen
from ..engine.definitions import FormDefinition
from ..engine.journey import Journey, Page, walk
from ..engine.messages import Translator
from ..engine.prefill import Account, with_answers
from ..engine.types import Field
from ..engine.workflows import WorkflowConfig
from ..extensions import db
from ..outbox.operations import queue
from ..receipts.operations import receipt_of
from ..timeutil import local
from .models import Draft


def start_draft(definition: FormDefinition, user_id: int | None, now: datetime, account: Account | None = None
                ) -> Draft:
    """A new draft, with the answers the sender's account fills in (decision 0028) already in it."""
    data = account.initial(definition.fields) if account is not None else {}
    draft = Draft(id=secrets.token_urlsafe(16), form_id=definition.id, user_id=user_id,
                  data=data, visited=[], created_at=now, updated_at=now)
    db.session.add(draft)
    db.session.commit()
    return draft


def answer_page(draft: Draft, definition: FormDefinition, page: Page, answers: dict[str, Any],
                chosen: Mapping[str, Chosen], store: Path, tr: Translator, now: datetime,
                identity: Mapping[tuple[str, ...], Any] | None = None, *,
                today: date | None = None) -> tuple[Journey, dict[str, str]]:
    """Take a page's answers: keep the files that pass (even if another answer does not), validate the
    page as the answers make the journey (engine/answering.py, as a preview does), and keep its answers when
    they are valid. `identity`: the confirmed account's identity answers, which stand whatever the page
    posted (decision 0028). `today`: the office's date, for date rules that count from it.

    Returns the journey as these answers make it and the errors by field key (empty: the page was kept).
    """
    attached, refused = _take_files(draft, page, chosen, store, tr, now)
    answered = answering.answer_page(definition, page, draft.data, answers, tr, identity=identity, refused=refused,
                                     today=today)
    if answered.kept is not None:
        draft.data = answered.kept
        draft.visited = sorted(set(draft.visited) | {page.id})
        draft.updated_at = now
    if answered.kept is not None or attached:  # a page sent back with its errors and no file changes nothing
        db.session.commit()
    return answered.journey, answered.errors


def _take_files(draft: Draft, page: Page, chosen: Mapping[str, Chosen], store: Path, tr: Translator,
                now: datetime) -> tuple[bool, dict[str, str]]:
    """Check and keep the files chosen on this page: whether any was kept, and the messages for those refused."""
    passed, errors = answering.checked_uploads(page, chosen, tr)
    for field, upload, content in passed:
        _attach_file(draft, field, upload, content, store, now)
    return bool(passed), errors


def _attach_file(draft: Draft, field: Field, upload: Any, content: bytes, store: Path, now: datetime) -> None:
    """Keep an uploaded file (content stored once per digest) as the answer to `field` of the draft."""
    db.session.add(store_file(store, upload, content, field=field.key, user_id=draft.user_id, draft_id=draft.id,
                              created_at=now))
    draft.data = {**draft.data, field.name: upload.sha256}
    draft.updated_at = now


def remove_file(draft: Draft, field: Field, now: datetime) -> None:
    """The file answer of `field` is taken back (the upload stays until the draft goes)."""
    draft.data = {k: v for k, v in draft.data.items() if k != field.name}
    draft.updated_at = now
    db.session.commit()


def draft_files(draft: Draft) -> dict[str, Attachment]:
    """The draft's uploaded files by digest (the newest upload of a digest wins)."""
    rows = db.session.scalars(select(Attachment).where(Attachment.draft_id == draft.id).order_by(Attachment.id))
    return {row.sha256: row for row in rows}


@dataclass(frozen=True)
class Sender:
    """Who sends: an account (and what it holds), or an anonymous sender's contact address and the secret of
    their tracking link."""

    user_id: int | None
    contact_email: str | None = None
    tracking: str | None = None
    account: Account | None = None

    @property
    def identified_by(self) -> str:
        """How the sender was identified, for the receipt: a confirmed account, another account, or no one."""
        if self.user_id is None:
            return "anonymous"
        return "account" if self.account is not None and self.account.confirmed else "account_unverified"


class AlreadySentError(Exception):
    """The draft was filed meanwhile, by another request of its holder (a double click, a second tab)."""

    def __init__(self, case: Case):
        super().__init__(case.number)
        self.case = case


def sent_case(draft_id: str) -> Case | None:
    """The case a draft was filed as, if it was sent."""
    return db.session.scalar(select(Case).join(Submission).where(Submission.draft_id == draft_id))


def send_draft(draft: Draft, definition: FormDefinition, workflows: WorkflowConfig, sender: Sender, locale: str,
               tr: Translator, now: datetime, zone: str, *, refused: Mapping[str, str] | None = None,
               confirmation: Callable[[Case], tuple[str, str]] | None = None) -> tuple[Case | None, dict[str, str]]:
    """File the draft's answers as a case and delete the draft, in one transaction; or the errors that stop it.

    The answers are walked again here, with a confirmed account's identity answers set from the account:
    whatever the draft holds (a forged page, a draft from an older version of the form), the filing names
    the account holder (decision 0028).
    `refused`: problems the caller found in its own fields (the contact address): nothing is filed with any.
    `confirmation`: subject and body of the e-mail that confirms the filing, with the signed receipt attached: to
    the account's address, or to the address an anonymous sender gave (with their tracking link).
    AlreadySentError: another request filed this draft first; nothing of this one is kept.
    """
    journey = filing_journey(draft, definition, sender.account)
    files = draft_files(draft)  # a file answer is only good while its upload is this draft's
    errors = answering.sending_problems(definition, journey, tr, files, local(now, zone).date()) | dict(refused or {})
    file_fields = [f for f in definition.fields if f.type.uploads and f.name in journey.data]
    if errors:
        if (filed := sent_case(draft.id)) is not None:  # filed meanwhile, and its files went with it
            raise AlreadySentError(filed)
        return None, errors
    data = journey.data | definition.computed_values(journey.data)  # recomputed here, never taken from a post
    draft_id = draft.id
    try:
        case = file_submission(definition, workflows, data, sender.user_id, locale, now, zone,
                               [files[journey.data[f.name]] for f in file_fields], contact_email=sender.contact_email,
                               tracking_digest=tracking_digest(sender.tracking) if sender.tracking else None,
                               identified_by=sender.identified_by, draft_id=draft_id)
    except IntegrityError:  # the unique draft_id: filed meanwhile, with these very files
        db.session.rollback()
        if (filed := sent_case(draft_id)) is None:
            raise
        raise AlreadySentError(filed) from None
    discard(draft)
    recipient = sender.contact_email or (sender.account.details.get("email") if sender.account is not None else None)
    if recipient and confirmation is not None:
        receipt = receipt_of(case.submission)
        queue(recipient, *confirmation(case), now, receipt_id=receipt.id if receipt else None)
    db.session.commit()
    return case, {}


def filing_journey(draft: Draft, definition: FormDefinition, account: Account | None) -> Journey:
    """The draft's way through the form, with the identity answers a confirmed account gives in place of any
    stored: what the check-your-answers page shows and what is filed."""
    identity = account.identity(definition.fields) if account is not None else {}
    return walk(definition.pages, with_answers(draft.data, identity))


def discard(draft: Draft) -> None:
    """Delete a draft and the files uploaded to it that no submission took (the caller commits)."""
    db.session.execute(delete(Attachment).where(Attachment.draft_id == draft.id, Attachment.submission_id.is_(None)))
    db.session.delete(draft)


def delete_draft(draft: Draft) -> None:
    discard(draft)
    db.session.commit()


def is_expired(draft: Draft, now: datetime, days: int) -> bool:
    return draft.updated_at < now - timedelta(days=days)


def purge_expired(now: datetime, days: int) -> int:
    """Delete drafts untouched for `days`, with their files that no submission took; return how many."""
    expired = select(Draft.id).where(Draft.updated_at < now - timedelta(days=days))
    db.session.execute(delete(Attachment).where(Attachment.draft_id.in_(expired), Attachment.submission_id.is_(None)))
    result = db.session.execute(delete(Draft).where(Draft.updated_at < now - timedelta(days=days)))
    db.session.commit()
    return cast(CursorResult[Any], result).rowcount
