"""The field's rules for a pupil's age and year group in England."""

from __future__ import annotations

from datetime import date

from cases.models import age_on

MIN_PUPIL_AGE, MAX_PUPIL_AGE = 4, 19
YEAR_GROUP_TOLERANCE = 1  # summer-born pupils taught a year behind, or a pupil held back or moved up


def academic_year_start(day: date) -> date:
    """1 September of the school year ``day`` falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def expected_year_group(date_of_birth: date, on: date) -> int:
    """Reception = 0. A pupil's year is their age on 31 August before the school year, minus 4."""
    start = academic_year_start(on)
    return age_on(date_of_birth, date(start.year, 8, 31)) - 4


def year_group_label(value: int) -> str:
    return "Reception" if value == 0 else f"Year {value}"
