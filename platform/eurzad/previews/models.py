"""A form being previewed."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class Preview(db.Model):
    """A definition an administrator walks as a citizen would (decision 0037): its text, kept here so that any
    host serves any page of it, and the answers given so far. Never a draft, a case or a receipt."""

    __tablename__ = "previews"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: its address is not guessable
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the administrator who opened it
    origin: Mapped[str] = mapped_column(String(300))  # what was opened: a form's id, a file's name, "pasted"…
    text: Mapped[str] = mapped_column(Text)  # the definition's exact text, as checked when the preview started
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    visited: Mapped[list[str]] = mapped_column(JSON, default=list)  # pages answered, in no special order
    files: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # digest → [name, size, type]; no content
    contact_email: Mapped[str | None] = mapped_column(String(254))  # given on the summary of an anonymous form
    sent_at: Mapped[datetime | None]  # "send" pressed: the preview is over, its outcome shown
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
