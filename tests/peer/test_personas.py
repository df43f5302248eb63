"""Every worker-only endpoint answers 404 to everyone who is not a worker of the project, and writes nothing.

Each check ends with the same request from Priya (Riverside's key worker) succeeding, so the 404s are known
to come from the access check.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from api.peer.models import Booking, Event, PeerGroup, Session
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

OUTSIDERS = [
    "young_carer",
    "other_young_carer",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]


def check(personas, client_for, method, url, body, *, unchanged, allowed=200, by="key_worker"):
    for persona in OUTSIDERS:
        response = getattr(client_for(personas[persona]), method)(url, body)
        assert_error(response, 404)
        assert unchanged(), persona
    response = getattr(client_for(personas[by]), method)(url, body)
    assert response.status_code == allowed, response.content[:300]


def test_editing_a_group(personas, client_for, teens):
    check(
        personas,
        client_for,
        "patch",
        f"/api/v1/groups/{teens.pk}/",
        {"name": "Renamed"},
        unchanged=lambda: PeerGroup.objects.get(pk=teens.pk).name == "Thursday Teens",
    )


def test_enrolling_a_member(personas, cast, client_for, teens):
    teens.memberships.all().delete()
    check(
        personas,
        client_for,
        "post",
        f"/api/v1/groups/{teens.pk}/members/",
        {"young_carer": cast.sam_case.pk},
        unchanged=lambda: not teens.memberships.exists(),
        allowed=201,
    )


def test_removing_a_member(personas, cast, client_for, teens):
    check(
        personas,
        client_for,
        "post",
        f"/api/v1/groups/{teens.pk}/members/{cast.sam_case.pk}/remove/",
        {},
        unchanged=lambda: teens.memberships.filter(status="active").exists(),
    )


def test_cancelling_a_session(personas, client_for, next_session):
    check(
        personas,
        client_for,
        "post",
        f"/api/v1/sessions/{next_session.pk}/cancel/",
        {},
        unchanged=lambda: Session.objects.get(pk=next_session.pk).status == "scheduled",
    )


def test_reading_a_register_and_making_a_check_in_code(personas, client_for, next_session):
    check(personas, client_for, "get", f"/api/v1/sessions/{next_session.pk}/register/", None, unchanged=lambda: True)
    with time_machine.travel(next_session.starts_at - timedelta(minutes=5), tick=False):
        check(
            personas,
            client_for,
            "post",
            f"/api/v1/sessions/{next_session.pk}/check-in-code/",
            {},
            unchanged=lambda: not Session.objects.get(pk=next_session.pk).check_in_code,
        )


def test_editing_and_cancelling_an_event(personas, client_for, trip):
    check(
        personas,
        client_for,
        "patch",
        f"/api/v1/events/{trip.pk}/",
        {"capacity": 5},
        unchanged=lambda: Event.objects.get(pk=trip.pk).capacity == 2,
    )
    check(
        personas,
        client_for,
        "post",
        f"/api/v1/events/{trip.pk}/cancel/",
        {},
        unchanged=lambda: Event.objects.get(pk=trip.pk).status == "scheduled",
    )


def test_cancelling_sams_booking(personas, cast, client_for, trip):
    from api.peer import bookings

    booking = bookings.booking_create(actor=cast.priya, event=trip, case=cast.sam_case, parent_email="l@example.org")
    outsiders = [p for p in OUTSIDERS if p != "young_carer"]  # Sam may cancel his own
    for persona in outsiders:
        assert_error(client_for(personas[persona]).post(f"/api/v1/bookings/{booking.pk}/cancel/"), 404)
        assert Booking.objects.get(pk=booking.pk).status == "awaiting_consent"
    response = client_for(cast.sam).post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert response.json()["status"] == "cancelled"


def test_anonymous_callers_get_401_everywhere_but_the_two_open_links(client_for, teens, trip):
    anonymous = client_for(None)
    for url in [
        "/api/v1/groups/",
        "/api/v1/sessions/",
        "/api/v1/events/",
        "/api/v1/bookings/",
        "/api/v1/attendance/",
        "/api/v1/calendar/",
        f"/api/v1/groups/{teens.pk}/",
        f"/api/v1/events/{trip.pk}/",
    ]:
        assert_error(anonymous.get(url), 401)


def test_the_event_list_keeps_a_flat_query_count(cast, client_for, trip, django_assert_max_num_queries):
    from tests.peer.conftest import make_event

    client = client_for(cast.sam)
    client.get("/api/v1/events/")
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/events/")
    for index in range(10):
        make_event(cast, title=f"Trip {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/events/").json()["count"] == 11


def test_a_moved_event_tells_the_booked_and_moves_the_reminders(cast, client_for, trip, run_tasks):
    from api.peer import bookings
    from notifications.models import Notification

    bookings.booking_create(actor=cast.priya, event=trip, case=cast.alex_case)
    later = trip.starts_at + timedelta(days=3)
    response = client_for(cast.priya).patch(
        f"/api/v1/events/{trip.pk}/",
        {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=4)).isoformat()},
    )
    assert response.status_code == 200
    assert Notification.objects.filter(recipient=cast.alex, kind="event.moved").exists()
    with time_machine.travel(trip.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()
    assert not Notification.objects.filter(recipient=cast.alex, kind="event.reminder").exists()
    with time_machine.travel(later - timedelta(minutes=30), tick=False):
        run_tasks()
    assert Notification.objects.filter(recipient=cast.alex, kind="event.reminder").count() == 2
