"""When a push may go: quiet hours, categories switched off, the daily cap, and the defaults by age.

All local rules run in Europe/London. A quiet-hours window is ``{"start": "21:00",
"end": "07:00", "days": [0, ..., 6]}``; ``days`` are the weekdays (Monday 0) on which
the window *starts*, so an overnight window that starts on Friday ends on Saturday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from notifications.kinds import Category

LONDON = ZoneInfo("Europe/London")
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
# Safeguarding alerts go to workers on duty: they cannot be switched off.
ALWAYS_ON = frozenset({Category.ALERT.value})
MAX_WINDOWS = 7
YOUNG_CARER_DAILY_CAP = 5


class InvalidQuietHours(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    start: time
    end: time
    days: frozenset[int] = ALL_DAYS

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M"), "days": sorted(self.days)}

    def end_if_inside(self, local: datetime) -> datetime | None:
        """When this window ends, if ``local`` (London time) falls inside it."""
        clock, today = local.time(), local.date()
        if self.start < self.end:
            if today.weekday() in self.days and self.start <= clock < self.end:
                return _at(today, self.end)
            return None
        # Overnight: started today (ends tomorrow) or started yesterday (ends today).
        if today.weekday() in self.days and clock >= self.start:
            return _at(today + timedelta(days=1), self.end)
        if (today.weekday() - 1) % 7 in self.days and clock < self.end:
            return _at(today, self.end)
        return None


NIGHT = Window(time(21, 0), time(7, 0), ALL_DAYS)
SCHOOL_DAY = Window(time(8, 30), time(15, 30), WEEKDAYS)


@dataclass(frozen=True)
class PushRules:
    disabled_categories: frozenset[str] = frozenset()
    quiet_hours: tuple[Window, ...] = ()
    daily_cap: int | None = None
    is_default: bool = True

    def allows(self, category: str) -> bool:
        return category in ALWAYS_ON or category not in self.disabled_categories


def default_rules(*, is_young_carer: bool, age: int | None) -> PushRules:
    """Under-18 young carers: no non-urgent push at night or in the school day, at most five a day."""
    if is_young_carer and age is not None and age < 18:
        return PushRules(quiet_hours=(NIGHT, SCHOOL_DAY), daily_cap=YOUNG_CARER_DAILY_CAP)
    if is_young_carer:
        return PushRules(quiet_hours=(NIGHT,), daily_cap=YOUNG_CARER_DAILY_CAP)
    return PushRules()


def quiet_until(windows: tuple[Window, ...] | list[Window], at: datetime) -> datetime | None:
    """If ``at`` is inside quiet hours, when they end (following windows that chain); else None."""
    moment = at.astimezone(LONDON)
    for _ in range(len(windows) + 1):
        ends = [end for window in windows if (end := window.end_if_inside(moment)) is not None]
        if not ends:
            break
        moment = max(ends)
    return None if moment == at.astimezone(LONDON) else moment


def parse_windows(raw: Any) -> tuple[Window, ...]:
    """Quiet hours as given by a person; raises ``InvalidQuietHours`` naming what is wrong."""
    if not isinstance(raw, list):
        raise InvalidQuietHours("Quiet hours must be a list of windows.")
    if len(raw) > MAX_WINDOWS:
        raise InvalidQuietHours(f"At most {MAX_WINDOWS} quiet-hours windows.")
    return tuple(_parse_window(item, index) for index, item in enumerate(raw))


def _parse_window(item: Any, index: int) -> Window:
    if not isinstance(item, dict):
        raise InvalidQuietHours(f"Window {index + 1}: give start, end and days.")
    start = _parse_clock(item.get("start"), f"Window {index + 1} start")
    end = _parse_clock(item.get("end"), f"Window {index + 1} end")
    if start == end:
        raise InvalidQuietHours(f"Window {index + 1}: start and end are the same time.")
    days = item.get("days", sorted(ALL_DAYS))
    if (
        not isinstance(days, list)
        or not days
        or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days)
    ):
        raise InvalidQuietHours(f"Window {index + 1} days: a non-empty list of weekdays, 0 (Monday) to 6 (Sunday).")
    return Window(start, end, frozenset(days))


def _parse_clock(value: Any, label: str) -> time:
    if not isinstance(value, str):
        raise InvalidQuietHours(f"{label}: give a time as HH:MM.")
    try:
        parsed = datetime.strptime(value, "%H:%M")  # noqa: DTZ007 - a clock time, no date
    except ValueError:
        raise InvalidQuietHours(f"{label}: {value!r} is not a time as HH:MM.") from None
    return parsed.time()


def london_day_start(at: datetime) -> datetime:
    local = at.astimezone(LONDON)
    return _at(local.date(), time(0, 0))


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)
