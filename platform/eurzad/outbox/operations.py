"""Queue a message (in the caller's transaction) and deliver what is due, with retries."""
from __future__ import annotations

import smtplib
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .models import OutboxMessage

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
               timedelta(hours=4))
"""The wait before each retry; after the last one the message is given up (and shown as failed)."""


def queue(recipient: str, subject: str, body: str, now: datetime, receipt_id: str | None = None) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller's transaction commits. With `receipt_id`,
    the receipt's signed XML and PDF go with it."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now, next_attempt_at=now,
                            receipt_id=receipt_id)
    db.session.add(message)
    return message


def deliver_due(settings: Mapping[str, Any], now: datetime, limit: int = 50) -> tuple[int, int]:
    """Send what is due through SMTP; return (sent, failed this round). Each message is committed alone."""
    due = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)).all()
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
        db.session.commit()
    return sent, failed


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
