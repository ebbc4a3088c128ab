"""Drafts: start one, answer a page (files included), send it as a case, throw it away, purge the expired.

Each operation that changes state ends with the request's one commit.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.exc import IntegrityError

from ..cases.files import FileStore
from ..cases.models import Attachment, Case, Submission
from ..cases.operations import file_submission, store_file, tracking_digest
from ..engine import answering
from ..engine.attachments import Chosen
from ..engine.definitions import FormDefinition
from ..engine.journey import Journey, Page, walk
from ..engine.messages import N_, Translator
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


@dataclass(frozen=True)
class UploadQuota:
    """How many files, and how many bytes in all, one draft may hold, and the drafts of one anonymous sender
    together (`sender_drafts`: those its browser session holds; empty for an account). Every upload counts until
    its draft is sent or deleted, a replaced one too: its content is kept until then (decision 0039)."""

    draft_files: int
    draft_bytes: int
    sender_files: int
    sender_bytes: int
    sender_drafts: tuple[str, ...] = ()


DRAFT_FULL = N_("A form takes at most %(files)d files, %(size)s in all, counting files replaced: this file was not "
                "attached. Send the form with the files it has, or contact the office")
SENDER_FULL = N_("Forms filled in without logging in take at most %(files)d files, %(size)s in all, together: this "
                 "file was not attached. Send or delete a form you started, or log in")


def answer_page(draft: Draft, definition: FormDefinition, page: Page, answers: dict[str, Any],
                chosen: Mapping[str, Chosen], store: FileStore, tr: Translator, now: datetime,
                identity: Mapping[tuple[str, ...], Any] | None = None, *,
                today: date | None = None, quota: UploadQuota | None = None) -> tuple[Journey, dict[str, str]]:
    """Take a page's answers: keep the files that pass (even if another answer does not), validate the
    page as the answers make the journey (engine/answering.py, as a preview does), and keep its answers when
    they are valid. `identity`: the confirmed account's identity answers, which stand whatever the page
    posted (decision 0028). `today`: the office's date, for date rules that count from it. `quota`: a file past
    it is refused with a message at its question, as a file of the wrong kind is.

    Returns the journey as these answers make it and the errors by field key (empty: the page was kept).
    """
    attached, refused = _take_files(draft, page, chosen, store, tr, now, quota)
    answered = answering.answer_page(definition, page, draft.data, answers, tr, identity=identity, refused=refused,
                                     today=today)
    if answered.kept is not None:
        draft.data = answered.kept
        draft.visited = sorted(set(draft.visited) | {page.id})
        draft.updated_at = now
    if answered.kept is not None or attached:  # a page sent back with its errors and no file changes nothing
        db.session.commit()
    return answered.journey, answered.errors


def _take_files(draft: Draft, page: Page, chosen: Mapping[str, Chosen], store: FileStore, tr: Translator,
                now: datetime, quota: UploadQuota | None = None) -> tuple[bool, dict[str, str]]:
    """Check and keep the files chosen on this page: whether any was kept, and the messages for those refused."""
    passed, errors = answering.checked_uploads(page, chosen, tr)
    attached = False
    for field, upload, content in passed:
        if quota is not None and (full := _over_quota(draft, upload.size, quota, tr)):
            errors[field.key] = full
            continue
        _attach_file(draft, field, upload, content, store, now)
        attached = True
        db.session.flush()  # the next file of the page counts this one
    return attached, errors


def _over_quota(draft: Draft, size: int, quota: UploadQuota, tr: Translator) -> str | None:
    """Why one more file of `size` bytes would take the draft, or its anonymous sender, past the quota; None if not."""
    files, total = _uploads_of([draft.id])
    if files + 1 > quota.draft_files or total + size > quota.draft_bytes:
        return tr.gettext(DRAFT_FULL, files=quota.draft_files, size=tr.file_size(quota.draft_bytes))
    if draft.user_id is None:
        files, total = _uploads_of({draft.id, *quota.sender_drafts})
        if files + 1 > quota.sender_files or total + size > quota.sender_bytes:
            return tr.gettext(SENDER_FULL, files=quota.sender_files, size=tr.file_size(quota.sender_bytes))
    return None


def _uploads_of(draft_ids: Collection[str]) -> tuple[int, int]:
    """How many files the drafts hold, and their bytes in all."""
    files, total = db.session.execute(select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
                                      .where(Attachment.draft_id.in_(list(draft_ids)))).one()
    return int(files), int(total)


def _attach_file(draft: Draft, field: Field, upload: Any, content: bytes, store: FileStore, now: datetime) -> None:
    """Keep an uploaded file (content stored once per digest) as the answer to `field` of the draft."""
    db.session.add(store_file(store, upload, content, now, field=field.key, user_id=draft.user_id,
                              draft_id=draft.id))
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
