from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.peer import bookings, services
from api.peer.models import Attendance, Event
from api.peer.selectors import groups_of_case, peer_figures
from tests.peer.conftest import make_event

pytestmark = pytest.mark.django_db


def test_figures_count_sessions_attendance_breaks_and_new_members(cast, teens):
    past = list(teens.sessions.order_by("starts_at")[:3])
    shift = timedelta(weeks=4)
    for session in past:
        type(session).objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - shift, ends_at=session.ends_at - shift
        )
    teens.memberships.update(joined_at=timezone.now() - timedelta(weeks=5))
    services.member_add(actor=cast.priya, group=teens, case=cast.alex_case)
    teens.memberships.filter(case=cast.alex_case).update(joined_at=timezone.now() - timedelta(weeks=5))
    Attendance.objects.create(session=past[0], case=cast.sam_case, status="present", recorded_at=timezone.now())
    Attendance.objects.create(session=past[0], case=cast.alex_case, status="absent", recorded_at=timezone.now())
    Attendance.objects.create(session=past[1], case=cast.sam_case, status="late", recorded_at=timezone.now())
    trip = make_event(cast, kind=Event.Kind.RESIDENTIAL)
    bookings.booking_create(actor=cast.priya, event=trip, case=cast.alex_case)
    today = timezone.localdate()
    figures = peer_figures(
        organisation_ids=[cast.riverside.pk], start=today - timedelta(weeks=6), end=today + timedelta(weeks=4)
    )
    assert figures["sessions_delivered"] == 3
    assert figures["sessions_without_register"] == 1
    assert (figures["attendance_marks"], figures["attendances"], figures["attendance_rate"]) == (3, 2, 0.667)
    assert figures["young_people_attending"] == 1
    assert figures["new_members"] == 2
    assert figures["breaks_given"] == 1
    assert figures["by_group"] == [{"group_id": teens.pk, "group": "Thursday Teens", "sessions_delivered": 3}]
    elsewhere = peer_figures(organisation_ids=[cast.eastbank.pk], start=today - timedelta(weeks=6), end=today)
    assert elsewhere["sessions_delivered"] == 0 and elsewhere["attendance_rate"] is None


def test_groups_of_case_lists_what_must_continue_after_hand_over(cast, teens):
    assert groups_of_case(cast.sam_case) == [
        {
            "group": "Thursday Teens",
            "organisation": "Riverside Young Carers",
            "age_band": "12-17",
            "schedule": "Weekly on Thursdays, 16:30-18:00",
            "venue": "Youth Centre",
            "member_since": timezone.localdate().isoformat(),
        }
    ]
    assert groups_of_case(cast.jo_case) == []


def test_the_demo_loads_twice_without_duplicates(cast):
    from api.peer import demo
    from api.peer.models import Booking, PeerGroup

    demo.load(cast)
    demo.load(cast)
    assert PeerGroup.objects.filter(organisation=cast.riverside).count() == 3
    states = dict(Booking.objects.values_list("case__first_name", "status").filter(event__title="Climbing Wall Day"))
    assert states == {"Alex": "confirmed", "Sam": "waitlisted"}
    assert Booking.objects.get(case=cast.jo_case).status == "awaiting_consent"
    assert Booking.objects.get(case=cast.sam_case, event__kind="carers_day").status == "confirmed"
    assert Attendance.objects.filter(case=cast.sam_case).exists()
