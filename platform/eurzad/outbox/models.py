"""Messages waiting to be sent, sent, or given up on."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # given up after the last retry
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A filing's confirmation carries its signed receipt: the XML and the PDF are attached when it is sent.
    receipt_id: Mapped[str | None] = mapped_column(ForeignKey("receipts.id"))
    # A worker's claim (outbox/operations.py): no other worker takes the message until it ends; a crashed
    # worker's claim simply runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
