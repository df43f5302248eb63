"""Calendar feeds: each person's sessions and bookings as iCalendar, at a secret subscribe URL.

The token is shown once (on creation or rotation) and only its SHA-256 is stored; rotating replaces it,
revoking deletes it, and either makes the old URL answer 404.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from icalendar import Calendar
from icalendar import Event as VEvent

from accounts.access import access_for
from accounts.models import User
from api.peer.access import own_open_case
from api.peer.models import Booking, CalendarFeed, Event, GroupMembership, Session
from core.errors import NotFound

PAST = timedelta(days=30)
AHEAD = timedelta(days=180)
DOMAIN = "peer.calendar"  # in every UID: a feed read on a family's device must not say what the service is

# What a young person's feed calls things. Their calendar sits on a phone a parent or sibling may see, so, as with
# lock-screen text (notifications.kinds), it never says "carer", names a group, an event, a person or a condition.
DISCREET_SESSION = _("Group session")
DISCREET_EVENT: dict[str, StrOrPromise] = {
    Event.Kind.TRIP: _("Trip"),
    Event.Kind.CARERS_DAY: _("Day out"),
    Event.Kind.RESIDENTIAL: _("Trip away"),
    Event.Kind.BREAK: _("Day out"),
    Event.Kind.ACTIVITY: _("Activity"),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/calendar/feed/{token}.ics"


@transaction.atomic
def feed_rotate(*, actor: User) -> str:
    """A new secret token for the actor's feed (the old URL stops working). Returns the token, shown once."""
    access_for(actor)  # authenticated people only
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_hash": token_hash(token), "created_at": timezone.now(), "last_used_at": None}
    )
    return token


@transaction.atomic
def feed_revoke(*, actor: User) -> None:
    CalendarFeed.objects.filter(user=actor).delete()


def feed_owner(token: str) -> User:
    """The person whose feed this token opens, or 404. Marks the feed used (at most once an hour)."""
    if not token or len(token) > 100:
        raise NotFound()
    feed = (
        CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token), user__is_active=True).first()
    )
    if feed is None:
        raise NotFound()
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def _sessions_for(user: User, low: Any, high: Any) -> list[Session]:
    access = access_for(user)
    sessions = Session.objects.select_related("group").filter(starts_at__gte=low, starts_at__lt=high)
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None:
            return []
        groups = GroupMembership.objects.filter(case_id=case.pk, status=GroupMembership.Status.ACTIVE)
        return list(sessions.filter(group_id__in=groups.values("group_id")))
    return list(sessions.filter(group__facilitators=user, group__organisation_id__in=access.project_ids))


def _events_for(user: User, low: Any, high: Any) -> list[tuple[Event, str]]:
    access = access_for(user)
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None:
            return []
        bookings = Booking.objects.select_related("event").filter(
            case_id=case.pk,
            status__in=Booking.HOLDS_PLACE,
            event__starts_at__gte=low,
            event__starts_at__lt=high,
        )
        return [(b.event, b.status) for b in bookings]
    events = Event.objects.filter(organisation_id__in=access.project_ids, starts_at__gte=low, starts_at__lt=high)
    return [(event, "") for event in events]


def feed_calendar(user: User) -> bytes:
    """The person's calendar: group sessions (facilitated, for workers) and events (booked, for young carers)."""
    now = timezone.now()
    low, high = now - PAST, now + AHEAD
    cal = Calendar()
    discreet = access_for(user).is_young_carer
    cal.add("prodid", "-//Peer groups//Calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "My groups and events")
    cal.add("x-published-ttl", "PT1H")
    for session in _sessions_for(user, low, high):
        cal.add_component(
            _vevent(
                uid=f"session-{session.pk}@{DOMAIN}",
                summary=str(DISCREET_SESSION) if discreet else session.group.name,
                start=session.starts_at,
                end=session.ends_at,
                location=session.venue or session.group.venue,
                cancelled=session.status == Session.Status.CANCELLED,
                updated=session.updated_at,
                description="" if discreet else session.note,  # a worker's note may say why, or name someone
            )
        )
    for event, booking_status in _events_for(user, low, high):
        note = "Waiting for a parent's consent. " if booking_status == Booking.Status.AWAITING_CONSENT else ""
        cal.add_component(
            _vevent(
                uid=f"event-{event.pk}@{DOMAIN}",
                summary=str(DISCREET_EVENT.get(event.kind, _("Activity"))) if discreet else event.title,
                start=event.starts_at,
                end=event.ends_at,
                location=event.place,
                cancelled=event.status == Event.Status.CANCELLED,
                updated=event.updated_at,
                description=f"{note}{event.what_to_bring and 'Bring: ' + event.what_to_bring or ''}".strip(),
            )
        )
    return cal.to_ical()


def _vevent(
    *, uid: str, summary: str, start: Any, end: Any, location: str, cancelled: bool, updated: Any, description: str
) -> VEvent:
    item = VEvent()
    item.add("uid", uid)
    item.add("summary", summary)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("dtstamp", updated)
    item.add("last-modified", updated)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        item.add("location", location)
    if description:
        item.add("description", description)
    return item
