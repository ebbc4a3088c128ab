"""Time as the office counts it: stored in UTC, shown and numbered in the office's zone."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now, in UTC without tzinfo: the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def local(moment: datetime, zone: str) -> datetime:
    """A stored UTC timestamp in the office's time zone."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
