"""Time as the office counts it: stored in UTC, shown and numbered in the office's zone."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now, in UTC without tzinfo: the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def local(moment: datetime, zone: str) -> datetime:
    """A stored UTC timestamp in the office's time zone."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def days_later(moment: datetime, days: int, zone: str) -> datetime:
    """The end (in UTC) of the office's day that comes `days` days after `moment`: "by 14 March" holds all day."""
    last = local(moment, zone).date() + timedelta(days=days)
    return datetime.combine(last + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)


def last_day(end: datetime, zone: str) -> date:
    """The office's last whole day before a moment made by days_later."""
    return (local(end, zone) - timedelta(microseconds=1)).date()
