"""A form being filled in."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..timeutil import utcnow


class Draft(db.Model):
    """A form being filled in, kept server-side page by page until it is sent or expires."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: a draft's address is not guessable
    form_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # None: an anonymous sender's
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    visited: Mapped[list[str]] = mapped_column(JSON, default=list)  # pages answered, in no special order
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user: Mapped[User | None] = relationship()  # the holder's account, loaded with the draft on its pages
