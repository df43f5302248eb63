"""Quiet hours in Europe/London: overnight windows, school days, chained windows, clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from notifications.policy import LONDON, NIGHT, SCHOOL_DAY, Window, default_rules, parse_windows, quiet_until


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 11, 24, 20, 59), None),  # Tuesday evening: free
        (london(2026, 11, 24, 21, 0), london(2026, 11, 25, 7, 0)),  # night starts
        (london(2026, 11, 25, 6, 59), london(2026, 11, 25, 7, 0)),  # still night
        (london(2026, 11, 25, 7, 0), None),  # morning, before school
        (london(2026, 11, 25, 8, 30), london(2026, 11, 25, 15, 30)),  # school day
        (london(2026, 11, 28, 10, 0), None),  # Saturday: no school
        (london(2026, 11, 27, 23, 0), london(2026, 11, 28, 7, 0)),  # Friday night ends Saturday morning
    ],
)
def test_the_under_18_defaults(at, expected):
    assert quiet_until((NIGHT, SCHOOL_DAY), at) == expected


def test_windows_that_touch_are_followed_to_their_end():
    early = Window(time(7, 0), time(8, 30))
    assert quiet_until((NIGHT, early, SCHOOL_DAY), london(2026, 11, 24, 23, 0)) == london(2026, 11, 25, 15, 30)


def test_the_night_across_the_clocks_going_forward_still_ends_at_seven_local():
    # Sunday 29 March 2026: London goes from GMT to BST at 01:00.
    end = quiet_until((NIGHT,), london(2026, 3, 28, 22, 0))
    assert end == london(2026, 3, 29, 7, 0)
    assert end.astimezone(UTC).hour == 6


def test_a_window_starting_only_on_friday_covers_friday_night_not_thursday():
    friday_night = Window(time(22, 0), time(8, 0), frozenset({4}))
    assert quiet_until((friday_night,), london(2026, 11, 27, 23, 0)) == london(2026, 11, 28, 8, 0)
    assert quiet_until((friday_night,), london(2026, 11, 26, 23, 0)) is None


def test_defaults_by_age():
    assert default_rules(is_young_carer=True, age=15).quiet_hours == (NIGHT, SCHOOL_DAY)
    assert default_rules(is_young_carer=True, age=19).quiet_hours == (NIGHT,)
    assert default_rules(is_young_carer=False, age=None).quiet_hours == ()


def test_parsed_windows_round_trip():
    raw = [{"start": "21:30", "end": "06:45", "days": [0, 2]}]
    assert [w.as_json() for w in parse_windows(raw)] == raw
