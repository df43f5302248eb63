"""Peer fixtures: Riverside's groups and an event, built through the services as a worker would."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from api.peer import bookings, services
from api.peer.models import Event, PeerGroup, Session
from api.peer.schedule import LONDON


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    cache.clear()
    yield
    cache.clear()


def local(day: Any, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON)


@pytest.fixture
def teens(cast: Any) -> PeerGroup:
    """Thursday Teens (12-17), Sam a member, Priya facilitating, weekly on Thursdays 16:30-18:00."""
    group = services.group_create(
        actor=cast.priya,
        organisation=cast.riverside,
        name="Thursday Teens",
        min_age=12,
        max_age=17,
        capacity=10,
        venue="Youth Centre",
        recurrence="FREQ=WEEKLY;BYDAY=TH",
        starts_on=timezone.localdate(),
        start_time=time(16, 30),
        end_time=time(18, 0),
        facilitators=[cast.priya],
    )
    services.member_add(actor=cast.priya, group=group, case=cast.sam_case)
    return group


@pytest.fixture
def juniors(cast: Any) -> PeerGroup:
    group = services.group_create(
        actor=cast.priya,
        organisation=cast.riverside,
        name="Tuesday Juniors",
        min_age=8,
        max_age=11,
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        starts_on=timezone.localdate(),
        start_time=time(16, 30),
        end_time=time(18, 0),
    )
    services.member_add(actor=cast.priya, group=group, case=cast.jo_case)
    return group


@pytest.fixture
def next_session(teens: PeerGroup) -> Session:
    return teens.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


def make_event(cast: Any, **overrides: Any) -> Event:
    starts_at = local(timezone.localdate() + timedelta(days=20), 10)
    fields: dict[str, Any] = {
        "kind": Event.Kind.TRIP,
        "title": "Climbing Wall Day",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=5),
        "capacity": 2,
        "min_age": 8,
        "max_age": 18,
        "place": "Edge Climbing Centre",
        "what_to_bring": "Trainers",
    }
    fields.update(overrides)
    return bookings.event_create(actor=cast.priya, organisation=cast.riverside, **fields)


@pytest.fixture
def trip(cast: Any) -> Event:
    return make_event(cast)
