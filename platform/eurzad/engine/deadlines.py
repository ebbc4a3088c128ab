"""When the office should answer: statutory time limits as the Code of Administrative Procedure counts them."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Poland(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def due_date(start: date, days: int | None = None, months: int | None = None) -> date:
    """The last day of a time limit counted from `start` (KPA art. 57).

    Days: the day of the event is not counted, so the limit ends `days` later. Months: it ends on
    the same day of the month, or on the month's last day when there is no such day. A limit
    ending on a Saturday, Sunday or public holiday ends on the next working day.
    """
    if (days is None) == (months is None):
        raise ValueError("give days or months")
    end = start + timedelta(days=days) if days is not None else start + relativedelta(months=months)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end
