"""Signed receipts (UPP of a filing, UPD of a delivery) and the office certificates that verify them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class OfficeCertificate(db.Model):
    """A public certificate the office signed with, kept for ever: every host and every old receipt find it here."""

    __tablename__ = "office_certificates"

    key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    pem: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the certificate (DER)
    subject: Mapped[str] = mapped_column(String(400))
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Receipt(db.Model):
    """One signed receipt: its content as canonical JSON with its digest, and the signed XML made with it.

    The PDF for people is made on its first download and kept (decision 0035). Rows are never changed, but
    for `pdf` filled once."""

    __tablename__ = "receipts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # public, random: printed and typed to verify
    kind: Mapped[str] = mapped_column(String(3))  # UPP (a filing), UPD (a delivery)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"), unique=True)  # the delivery
    made_at: Mapped[datetime]
    locale: Mapped[str] = mapped_column(String(5))  # the language of the PDF: the citizen's
    key_id: Mapped[str] = mapped_column(ForeignKey("office_certificates.key_id"))
    content_json: Mapped[str] = mapped_column(Text)  # RFC 8785, exactly the bytes content_sha256 was taken of
    content_sha256: Mapped[str] = mapped_column(String(64))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
