"""Queue a message (in the caller's transaction) and deliver what is due, with retries."""
from __future__ import annotations

import secrets
import smtplib
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import or_, select, update

from ..extensions import db
from .models import OutboxMessage

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
               timedelta(hours=4))
"""The wait before each retry; after the last one the message is given up (and shown as failed)."""
CLAIMED_AT_ONCE = 10
CLAIM_FOR = timedelta(minutes=5)
"""A round claims this many messages for this long: longer than sending them takes (each SMTP call times out
after 20 s), so a claim runs out only when its worker stopped, and another worker then sends what it left."""


def queue(recipient: str, subject: str, body: str, now: datetime, receipt_id: str | None = None) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller's transaction commits. With `receipt_id`,
    the receipt's signed XML and PDF go with it."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now, next_attempt_at=now,
                            receipt_id=receipt_id)
    db.session.add(message)
    return message


def deliver_due(settings: Mapping[str, Any], now: datetime, limit: int = CLAIMED_AT_ONCE) -> tuple[int, int]:
    """Send what is due through SMTP; return (sent, failed this round). Each message is committed alone.

    The round first claims up to `limit` messages no other worker holds, so that workers on several hosts never
    send one message twice (decision 0041)."""
    due = _claim(secrets.token_hex(16), now, limit)
    sent = failed = 0
    for message in due:
        message.attempts += 1
        try:
            _send(settings, message)
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts > len(RETRY_AFTER):
                message.failed_at = now
            else:
                message.next_attempt_at = now + RETRY_AFTER[message.attempts - 1]
        else:
            sent += 1
            message.sent_at, message.last_error = now, None
            message.body = ""  # sent: the text (links that act as keys among it) is not kept
        message.claimed_by = message.claimed_until = None
        db.session.commit()
    return sent, failed


def _claim(worker: str, now: datetime, limit: int) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as this worker's for CLAIM_FOR, in one committed statement; return them.

    PostgreSQL: the rows are picked `FOR UPDATE SKIP LOCKED`, so two workers claiming at once take different
    messages without waiting for each other, and a row claimed meanwhile is checked again and left out. SQLite
    has no row locks (nor SKIP LOCKED, which SQLAlchemy leaves out there): its one writer at a time runs the whole
    statement alone, and the next worker's statement sees the claims."""
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    picked = (select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
                                             OutboxMessage.next_attempt_at <= now, free)
              .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(picked.scalar_subquery()))
                       .values(claimed_by=worker, claimed_until=now + CLAIM_FOR))
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.claimed_by == worker)
                                   .order_by(OutboxMessage.id)))


def _send(settings: Mapping[str, Any], message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = settings["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    if message.receipt_id is not None:
        from ..receipts.operations import signed_files  # the outbox knows receipts only by id
        for name, content, subtype in signed_files(message.receipt_id):
            email.add_attachment(content, maintype="application", subtype=subtype, filename=name)
    smtp_class = smtplib.SMTP_SSL if settings.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(settings["MAIL_SERVER"], int(settings["MAIL_PORT"]), timeout=20) as smtp:
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
        smtp.send_message(email)
