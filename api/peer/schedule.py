"""Group schedules: RFC 5545 rules expanded in Europe/London wall-clock time.

A group meeting "Tuesdays 16:30-18:00" meets at 16:30 local time on both sides of the clock change,
so the rule is expanded with a naive local start and each occurrence is then placed in Europe/London
and stored in UTC. Only rules that repeat at most daily are accepted; expansion is always bounded by a
horizon, so a rule without COUNT or UNTIL is fine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rruleset, rrulestr

from core.errors import ServiceError

LONDON = ZoneInfo("Europe/London")
HORIZON = timedelta(weeks=12)
ALLOWED_FREQUENCIES = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}
# Parts that would put more than one session on a day, or that we do not support.
REFUSED_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART", "RDATE", "EXRULE")
MAX_RULE_LENGTH = 300
MAX_INTERVAL = 52


@dataclass(frozen=True)
class Schedule:
    rule: str
    exception_dates: tuple[date, ...]
    starts_on: date
    start_time: time
    end_time: time

    @property
    def duration(self) -> timedelta:
        return datetime.combine(self.starts_on, self.end_time) - datetime.combine(self.starts_on, self.start_time)


def normalise_rule(text: str) -> str:
    """The rule without an ``RRULE:`` prefix, upper-cased, or a 400 naming what is wrong."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    rule = rule.upper()
    if not rule or len(rule) > MAX_RULE_LENGTH or "\n" in rule or "\r" in rule:
        raise ServiceError("Give one RRULE line, e.g. FREQ=WEEKLY;BYDAY=TU.", field="recurrence")
    for part in REFUSED_PARTS:
        if part in rule:
            raise ServiceError(
                f"{part} is not supported in a group's rule: at most one session a day.", field="recurrence"
            )
    return rule


def parse_rule(rule: str, dtstart: datetime) -> rrule:
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ServiceError(f"The recurrence rule is not valid RFC 5545: {exc}.", field="recurrence") from None
    if not isinstance(parsed, rrule):
        raise ServiceError("Give one RRULE line, e.g. FREQ=WEEKLY;BYDAY=TU.", field="recurrence")
    frequency: int = parsed._freq  # type: ignore[attr-defined]
    if frequency not in ALLOWED_FREQUENCIES:
        raise ServiceError(
            "Sessions can repeat at most daily: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.", field="recurrence"
        )
    interval: int = parsed._interval  # type: ignore[attr-defined]
    if not 1 <= interval <= MAX_INTERVAL:
        raise ServiceError(f"INTERVAL must be between 1 and {MAX_INTERVAL}.", field="recurrence")
    until = parsed._until  # type: ignore[attr-defined]
    if until is not None and until.tzinfo is not None:
        raise ServiceError("Give UNTIL as a local date or date-time without a time zone.", field="recurrence")
    return parsed


def validate(schedule: Schedule) -> Schedule:
    """Check a schedule fully (times, rule, at least one session) or raise a 400 naming the problem."""
    if schedule.end_time <= schedule.start_time:
        raise ServiceError("The end time is not after the start time.", field="end_time")
    rule = normalise_rule(schedule.rule)
    checked = Schedule(
        rule, tuple(sorted(set(schedule.exception_dates))), schedule.starts_on, schedule.start_time, schedule.end_time
    )
    first = next(iter(occurrences(checked, datetime.combine(schedule.starts_on, time.min, LONDON), limit=1)), None)
    if first is None:
        raise ServiceError("The rule gives no sessions on or after the start date.", field="recurrence")
    return checked


def _ruleset(schedule: Schedule) -> rruleset:
    dtstart = datetime.combine(schedule.starts_on, schedule.start_time)
    rules = rruleset()
    rules.rrule(parse_rule(schedule.rule, dtstart))
    for day in schedule.exception_dates:
        rules.exdate(datetime.combine(day, schedule.start_time))
    return rules


def to_utc(local: datetime) -> datetime:
    """A naive Europe/London wall-clock time as an aware UTC instant (the earlier one in the autumn's repeated hour)."""
    return local.replace(tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def occurrences(
    schedule: Schedule, after: datetime, *, until: datetime | None = None, limit: int = 1000
) -> Iterable[tuple[datetime, datetime]]:
    """(start, end) in UTC for each occurrence starting at or after ``after`` and before ``until``."""
    rules = _ruleset(schedule)
    local_after = after.astimezone(LONDON).replace(tzinfo=None)
    # A year of daily sessions is the most a bounded horizon can hold; the cap stops a pathological rule.
    produced = 0
    for local_start in rules.xafter(local_after, count=limit, inc=True):
        start = to_utc(local_start)
        if until is not None and start >= until:
            return
        end = to_utc(local_start + schedule.duration)
        produced += 1
        yield start, end
        if produced >= limit:
            return


DAY_NAMES = {
    "MO": "Mondays",
    "TU": "Tuesdays",
    "WE": "Wednesdays",
    "TH": "Thursdays",
    "FR": "Fridays",
    "SA": "Saturdays",
    "SU": "Sundays",
}


def summary(schedule: Schedule) -> str:
    """A short human description, e.g. "Weekly on Tuesdays, 16:30-18:00" or "Every 2 weeks on Wednesdays, 18:00-19:30"."""
    parts = dict(part.split("=", 1) for part in normalise_rule(schedule.rule).split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1") or 1)
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(parts.get("FREQ", ""), "time")
    how_often = parts.get("FREQ", "").capitalize() if interval == 1 else f"Every {interval} {unit}s"
    days = [DAY_NAMES.get(day[-2:], day) for day in parts.get("BYDAY", "").split(",") if day]
    when = f" on {' and '.join(days)}" if days else ""
    return f"{how_often}{when}, {schedule.start_time:%H:%M}-{schedule.end_time:%H:%M}"
