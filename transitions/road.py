"""Dates on the road to 18, and working days in England. Pure functions, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

from transitions.models import Milestone

LONDON = ZoneInfo("Europe/London")


def birthday(date_of_birth: date, years: int) -> date:
    """The day someone turns ``years``. Born on 29 February: 1 March in common years (as ``cases.models.age_on``)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def milestone_dates(date_of_birth: date) -> dict[str, date]:
    seventeen = birthday(date_of_birth, 17)
    return {
        Milestone.Kind.AGE_14: birthday(date_of_birth, 14),
        Milestone.Kind.AGE_16: birthday(date_of_birth, 16),
        Milestone.Kind.AGE_17: seventeen,
        Milestone.Kind.AGE_17_HALF: seventeen + relativedelta(months=6),
        Milestone.Kind.AGE_18: birthday(date_of_birth, 18),
    }


def reached_milestones(date_of_birth: date, today: date) -> dict[str, date]:
    return {kind: due for kind, due in milestone_dates(date_of_birth).items() if due <= today}


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (England and Wales bank holidays in England)."""
    day = start
    added = 0
    while added < count:
        day += timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def next_working_day(day: date) -> date:
    return add_working_days(day, 1)


def london_morning(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock in London on ``day``, as an aware datetime (right either side of a clock change)."""
    return datetime.combine(day, time(hour), tzinfo=LONDON)
