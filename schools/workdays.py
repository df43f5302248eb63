"""Working days in England: weekends and England's bank holidays do not count."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself never counts)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def due_after(moment: datetime, working_days: int) -> datetime:
    """End of the ``working_days``-th working day after ``moment``, London time (Monday -> end of Wednesday for 2)."""
    local_day = moment.astimezone(LONDON).date()
    due_day = add_working_days(local_day, working_days)
    return datetime.combine(due_day, time(23, 59, 59), tzinfo=LONDON)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from ``start`` to ``end`` (London dates), not counting the start day."""
    first, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
    if last <= first:
        return 0
    weeks, extra = divmod((last - first).days, 7)
    weekdays = weeks * 5 + sum(1 for n in range(1, extra + 1) if (first + timedelta(days=n)).weekday() < 5)
    bank_holidays = sum(
        1
        for year in range(first.year, last.year + 1)
        for day in _bank_holidays(year)
        if first < day <= last and day.weekday() < 5
    )
    return weekdays - bank_holidays
