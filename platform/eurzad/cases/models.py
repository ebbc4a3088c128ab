"""Submissions, the definition snapshots they were filed under, cases and the case log."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..audit.models import Event
from ..extensions import db
from ..timeutil import utcnow

if TYPE_CHECKING:  # the models refer to each other by name; importing auth here would import its views
    from ..auth.models import User


class DefinitionSnapshot(db.Model):
    """The exact text of one definition version, stored once, addressed by its SHA-256."""

    __tablename__ = "definition_snapshots"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(db.Model):
    """What a citizen sent, exactly as filed: canonical JSON and its digest."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[int]
    definition_sha256: Mapped[str] = mapped_column(ForeignKey("definition_snapshots.sha256"))
    data_json: Mapped[str] = mapped_column(Text)
    data_sha256: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(5))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    identified_by: Mapped[str] = mapped_column(String(20), default="account")  # account, or anonymous
    contact_email: Mapped[str | None] = mapped_column(String(254))  # an anonymous sender's, for replies
    # A supplement (art. 64 §2 KPA) names the filing it completes; that one is never changed by it.
    supplements_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    # The draft it was sent from, unique: a draft is filed once, and a second send of it (a double click,
    # a second tab) finds this case instead of filing another or taking its files.
    draft_id: Mapped[str | None] = mapped_column(String(32), unique=True)

    submitter: Mapped[User | None] = relationship()
    snapshot: Mapped[DefinitionSnapshot] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(back_populates="submission", order_by="Attachment.id")


class CaseCounter(db.Model):
    """The register (spis spraw) that hands out case sequence numbers per department, class and year."""

    __tablename__ = "case_counters"

    department: Mapped[str] = mapped_column(String(16), primary_key=True)
    jrwa: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int]


class Case(db.Model):
    """A matter the office deals with, numbered DEPT.JRWA.SEQ.YEAR (znak sprawy)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("department", "jrwa", "year", "seq"),
        # The inbox (clerk/inbox.py, decisions 0027 and 0033): a view walks one of the first three in its order
        # and stops at a page, or counts up to its cap; the state filter and the open cases of a clerk (the
        # head's table) read the next two; a search by name reaches a person's cases by the next; the form
        # filter walks the last, newest first, as the first does.
        Index("ix_cases_department_created_at", "department", "created_at", "id"),
        Index("ix_cases_department_due_on", "department", "due_on", "id"),
        Index("ix_cases_department_assignee_id_due_on", "department", "assignee_id", "due_on", "id"),
        Index("ix_cases_department_state", "department", "state"),
        Index("ix_cases_department_assignee_id_state", "department", "assignee_id", "state"),
        Index("ix_cases_department_applicant_id", "department", "applicant_id"),
        Index("ix_cases_department_form_id_created_at", "department", "form_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    department: Mapped[str] = mapped_column(String(16))
    jrwa: Mapped[str] = mapped_column(String(4))
    year: Mapped[int]
    seq: Mapped[int]
    workflow: Mapped[str] = mapped_column(String(64))
    form_id: Mapped[str] = mapped_column(String(64))  # the filing's, kept on the case for the inbox's form filter
    state: Mapped[str] = mapped_column(String(64))
    routing: Mapped[dict[str, Any]] = mapped_column(JSON)
    tracking_digest: Mapped[str | None] = mapped_column(String(64), unique=True)  # of an anonymous sender's link
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)  # raised by every change: of two clerks acting at once, one wins
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the clerk who handles it
    # Who filed it: the submission's submitter (None for an anonymous sender), kept on the case too so that a
    # search by name reaches a person's cases of a department in one index probe (decision 0033).
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # By when the office must deal with it (KPA), in the office's calendar; None while the clock is paused
    # (the office waits for the citizen) and once the case is closed: nothing is due then.
    due_on: Mapped[date | None]

    submission: Mapped[Submission] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    supplements: Mapped[list[Submission]] = relationship(
        primaryjoin="Case.submission_id == foreign(Submission.supplements_id)", order_by="Submission.id",
        viewonly=True)
    former_numbers: Mapped[list[CaseNumber]] = relationship(back_populates="case", order_by="CaseNumber.id")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id")

    __mapper_args__ = {"version_id_col": version}


class CaseNumber(db.Model):
    """A number a case had before it was forwarded to another department (decision 0025): it stays taken in
    its register, so both registers stay gap-free, and it still finds the case."""

    __tablename__ = "case_numbers"
    __table_args__ = (UniqueConstraint("department", "jrwa", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    department: Mapped[str] = mapped_column(String(16))
    jrwa: Mapped[str] = mapped_column(String(4))
    year: Mapped[int]
    seq: Mapped[int]
    until: Mapped[datetime] = mapped_column(default=utcnow)  # when the case left that register

    case: Mapped[Case] = relationship(back_populates="former_numbers")


class CaseEvent(Event, db.Model):
    """One entry of the case log (metryka sprawy): who did what to the case, when. Rows are only ever added,
    each chained to the one before it (cases/log.py writes them, cases/chain.py checks them)."""

    __tablename__ = "case_events"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The digest of the event before (of the filing, for the first): unique, so two appends never fork a chain.
    prev_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))  # of this event's content with prev_sha256 (cases/log.py)

    case: Mapped[Case] = relationship(back_populates="events")
    documents: Mapped[list[Attachment]] = relationship(back_populates="event", order_by="Attachment.id")


class ChainSeal(db.Model):
    """A signed statement of the heads of the case chains that changed since the seal before, chained to that
    seal: a deleted tail of a case log no longer holds its sealed head (cases/seals.py)."""

    __tablename__ = "chain_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime]
    last_event_id: Mapped[int]  # the seal covers the case log up to this event
    previous: Mapped[str] = mapped_column(String(64), unique=True)  # the seal before's digest; unique: no fork
    heads_sha256: Mapped[str] = mapped_column(String(64))  # of the heads, line by line (cases/seals.py)
    heads: Mapped[int]  # how many
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))


class ChainSealHead(db.Model):
    """The head of one case's chain as a seal found it: the last event's digest and how many events lead to it."""

    __tablename__ = "chain_seal_heads"

    seal_id: Mapped[int] = mapped_column(ForeignKey("chain_seals.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
    head: Mapped[str] = mapped_column(String(64))
    count: Mapped[int]


class Attachment(db.Model):
    """A file attached to a draft and then to the submission; its content is stored once, by digest."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    draft_id: Mapped[str | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    # A document the office sent with a step of the case (a reply, a decision): the step's case-log entry.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission | None] = relationship(back_populates="attachments")
    event: Mapped[CaseEvent | None] = relationship(back_populates="documents")


class AttachmentContent(db.Model):
    """The content of attached files, once per SHA-256 (cases/files.py, decision 0041): in `content` with the
    database store, in ATTACHMENTS_DIR with the local one (then `content` is None and the row only tells the
    purge which digests exist and when each was last stored)."""

    __tablename__ = "attachment_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Set again by every upload of the same content: the purge spares what was stored lately.
    stored_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
