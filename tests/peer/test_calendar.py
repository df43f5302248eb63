from __future__ import annotations

from urllib.parse import urlparse

import pytest
from icalendar import Calendar

from api.peer import bookings
from api.peer.models import CalendarFeed
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

PERSONAS = [
    "young_carer",
    "other_young_carer",
    "key_worker",
    "manager",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]


def subscribe(client) -> str:
    response = client.post("/api/v1/calendar/rotate/")
    assert response.status_code == 201
    return urlparse(response.json()["url"]).path


def events_in(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return sorted(str(item.get("summary")) for item in calendar.walk("VEVENT"))


def uids_in(response) -> set[str]:
    return {str(item.get("uid")) for item in Calendar.from_ical(response.content).walk("VEVENT")}


def session_uids(group) -> set[str]:
    return {f"session-{pk}@peer.calendar" for pk in group.sessions.values_list("pk", flat=True)}


def test_sams_feed_holds_his_sessions_and_booked_events_under_discreet_titles(cast, client_for, teens, trip):
    bookings.booking_create(actor=cast.priya, event=trip, case=cast.sam_case, parent_email="l@example.org")
    path = subscribe(client_for(cast.sam))
    response = client_for(None).get(path)
    summaries = events_in(response)
    assert summaries.count("Trip") == 1  # the climbing trip, by its kind only
    assert summaries.count("Group session") == teens.sessions.count()
    assert uids_in(response) == session_uids(teens) | {f"event-{trip.pk}@peer.calendar"}
    assert CalendarFeed.objects.get(user=cast.sam).token_hash not in path  # only the hash is stored


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_only_their_own_calendar(personas, cast, client_for, teens, juniors, persona):
    path = subscribe(client_for(personas[persona]))
    response = client_for(None).get(path)
    expected = {
        "young_carer": session_uids(teens),
        "other_young_carer": session_uids(juniors),
        "key_worker": session_uids(teens) | session_uids(juniors),  # she facilitates both
    }.get(persona, set())
    assert response.status_code == 200
    assert uids_in(response) == expected


def test_a_worker_s_feed_keeps_the_real_titles(cast, client_for, teens):
    summaries = set(events_in(client_for(None).get(subscribe(client_for(cast.priya)))))
    assert summaries == {"Thursday Teens"}


def test_rotating_and_revoking_kill_the_old_url(cast, client_for, teens):
    client = client_for(cast.sam)
    first = subscribe(client)
    second = subscribe(client)
    anonymous = client_for(None)
    assert_error(anonymous.get(first), 404)
    assert anonymous.get(second).status_code == 200
    assert client.get("/api/v1/calendar/").json()["active"] is True
    assert client.delete("/api/v1/calendar/").status_code == 204
    assert_error(anonymous.get(second), 404)
    assert client.get("/api/v1/calendar/").json()["active"] is False


def test_managing_a_feed_needs_a_sign_in(client_for):
    assert_error(client_for(None).post("/api/v1/calendar/rotate/"), 401)
    assert_error(client_for(None).get("/api/v1/calendar/feed/guess.ics"), 404)
