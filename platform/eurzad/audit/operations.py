"""Recording an account event, in the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..extensions import db
from .models import ACTIONS, AuditEvent

if TYPE_CHECKING:
    from ..auth.models import User


def audit(action: str, actor: User | None, subject: User | None, now: datetime, **details: Any) -> None:
    """Add an account event; the action must be one of the vocabulary (audit/models.py)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: add it to audit.models.ACTIONS")
    db.session.add(AuditEvent(at=now, actor=actor, subject=subject, action=action, details=details))
