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


def test_sams_feed_holds_his_sessions_and_booked_events(cast, client_for, teens, trip):
    bookings.booking_create(actor=cast.priya, event=trip, case=cast.sam_case, parent_email="l@example.org")
    path = subscribe(client_for(cast.sam))
    summaries = events_in(client_for(None).get(path))
    assert "Climbing Wall Day" in summaries
    assert summaries.count("Thursday Teens") == teens.sessions.count()
    assert CalendarFeed.objects.get(user=cast.sam).token_hash not in path  # only the hash is stored


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_only_their_own_calendar(personas, cast, client_for, teens, juniors, persona):
    path = subscribe(client_for(personas[persona]))
    summaries = set(events_in(client_for(None).get(path)))
    expected = {
        "young_carer": {"Thursday Teens"},
        "other_young_carer": {"Tuesday Juniors"},
        "key_worker": {"Thursday Teens", "Tuesday Juniors"},  # she facilitates both
    }.get(persona, set())
    assert summaries == expected


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
