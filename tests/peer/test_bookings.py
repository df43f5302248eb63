from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from api.peer import bookings
from api.peer.models import Booking, Event
from audit.models import AuditEntry
from cases.models import Consent
from notifications.models import Notification
from tests.helpers import assert_error
from tests.peer.conftest import make_event

pytestmark = pytest.mark.django_db

VISIBLE = {
    "young_carer": 200,
    "other_young_carer": 200,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}
STAFF = {**VISIBLE, "young_carer": 404, "other_young_carer": 404}


def book(client, event, **body):
    return client.post(f"/api/v1/events/{event.pk}/book/", body)


def consent_link() -> str:
    return re.search(r"/consent/(\S+?)/", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize(("persona", "expected"), VISIBLE.items())
def test_each_persona_reading_an_event(personas, client_for, trip, persona, expected):
    response = client_for(personas[persona]).get(f"/api/v1/events/{trip.pk}/")
    assert response.status_code == expected
    listed = client_for(personas[persona]).get("/api/v1/events/?upcoming=true").json()["results"]
    assert [row["id"] for row in listed] == ([trip.pk] if expected == 200 else [])


def test_young_carers_do_not_see_events_outside_their_age(cast, client_for):
    teen_trip = make_event(cast, min_age=12, max_age=17)
    assert_error(client_for(cast.jo).get(f"/api/v1/events/{teen_trip.pk}/"), 404)
    assert client_for(cast.sam).get(f"/api/v1/events/{teen_trip.pk}/").status_code == 200


def test_an_event_opened_to_another_project_is_visible_there(cast, client_for):
    shared = make_event(cast)
    shared.open_to.set([cast.eastbank])
    assert client_for(cast.dev).get(f"/api/v1/events/{shared.pk}/").status_code == 404  # Eastbank staff do not run it
    response = client_for(cast.dev).post(
        f"/api/v1/events/{shared.pk}/book/", {"young_carer": cast.kai_case.pk, "parent_email": "rita@example.org"}
    )
    assert response.status_code == 201, response.json()


def test_the_organiser_reads_another_projects_booking_but_only_its_own_project_changes_it(cast, client_for, run_tasks):
    shared = make_event(cast)
    shared.open_to.set([cast.eastbank])
    booking = book(client_for(cast.dev), shared, young_carer=cast.kai_case.pk, parent_email="rita@example.org").json()
    assert booking["status"] == "awaiting_consent"
    url = f"/api/v1/bookings/{booking['id']}/"
    assert client_for(cast.priya).get(url).status_code == 200  # Riverside runs the event and sees who is coming
    for step in ("resend-consent", "cancel", "accept-offer", "decline-offer"):
        assert_error(client_for(cast.priya).post(f"{url}{step}/", {"parent_email": "not-the-parent@example.org"}), 404)
    unchanged = Booking.objects.get(pk=booking["id"])
    assert (unchanged.parent_email, unchanged.status) == ("rita@example.org", "awaiting_consent")
    response = client_for(cast.dev).post(f"{url}resend-consent/", {"parent_email": "rita.new@example.org"})
    assert response.status_code == 200, response.json()
    run_tasks()
    assert mail.outbox[-1].to == ["rita.new@example.org"]


def test_reading_bookings_is_audited_for_staff(cast, client_for, trip):
    booking = bookings.booking_create(actor=cast.priya, event=trip, case=cast.alex_case)
    reads = AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS, event="peer.bookings.read", object_pk=str(booking.pk)
    )
    assert client_for(cast.alex).get("/api/v1/bookings/").status_code == 200
    assert not reads.exists()  # a young carer reading their own is not a staff access
    assert client_for(cast.priya).get("/api/v1/bookings/").status_code == 200
    assert reads.filter(actor=cast.priya).count() == 1
    assert client_for(cast.priya).get(f"/api/v1/bookings/{booking.pk}/").status_code == 200
    assert reads.filter(actor=cast.priya).count() == 2


class TestCreateEvent:
    payload = {
        "kind": "residential",
        "title": "Lakes weekend",
        "starts_at": "2030-06-01T10:00:00+01:00",
        "ends_at": "2030-06-02T16:00:00+01:00",
        "capacity": 12,
        "min_age": 8,
        "max_age": 17,
    }

    @pytest.mark.parametrize(("persona", "expected"), STAFF.items())
    def test_only_the_projects_workers_create_events(self, personas, client_for, persona, expected):
        response = client_for(personas[persona]).post("/api/v1/events/", self.payload)
        assert response.status_code == (201 if expected == 200 or persona == "other_project_worker" else 404)

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"ends_at": "2030-06-01T09:00:00+01:00"}, "ends_at"),
            ({"starts_at": "2020-06-01T10:00:00+01:00", "ends_at": "2020-06-01T12:00:00+01:00"}, "starts_at"),
            ({"capacity": 0}, "capacity"),
            ({"booking_closes_at": "2030-06-05T10:00:00+01:00"}, "booking_closes_at"),
            ({"kind": "party"}, "kind"),
            ({"min_age": 17, "max_age": 8}, "min_age"),
        ],
    )
    def test_bad_events_are_refused_and_nothing_is_written(self, cast, client_for, change, field):
        error = assert_error(client_for(cast.priya).post("/api/v1/events/", {**self.payload, **change}), 400)
        assert field in error.get("fields", {}), error
        assert not Event.objects.exists()


class TestBooking:
    def test_alex_books_and_is_confirmed_with_no_consent_needed(self, cast, client_for, trip):
        response = book(client_for(cast.alex), trip)
        assert response.status_code == 201 and response.json()["status"] == "confirmed"
        assert Notification.objects.filter(recipient=cast.alex, kind="booking.confirmed").exists()

    def test_sams_booking_waits_for_a_parent_and_needs_their_email(self, cast, client_for, trip):
        assert_error(book(client_for(cast.sam), trip), 400)
        assert not Booking.objects.exists()
        response = book(client_for(cast.sam), trip, parent_name="Lisa Green", parent_email="lisa@example.org")
        assert response.json()["status"] == "awaiting_consent"

    @pytest.mark.parametrize("persona", ["school_staff", "adult_services", "commissioner", "other_project_worker"])
    def test_outsiders_cannot_book(self, personas, cast, client_for, trip, persona):
        response = book(client_for(personas[persona]), trip, young_carer=cast.alex_case.pk)
        assert_error(response, 404)
        assert book(client_for(cast.priya), trip, young_carer=cast.alex_case.pk).status_code == 201

    def test_a_young_carer_cannot_book_for_someone_else(self, cast, client_for, trip):
        assert_error(book(client_for(cast.sam), trip, young_carer=cast.alex_case.pk), 404)

    def test_booking_twice_is_a_conflict(self, cast, client_for, trip):
        book(client_for(cast.alex), trip)
        assert_error(book(client_for(cast.alex), trip), 409, "already_booked")

    def test_past_closed_and_ineligible_events_are_refused(self, cast, client_for):
        client = client_for(cast.priya)
        young = make_event(cast, min_age=16, max_age=25, title="Young adults")
        assert_error(
            book(client, young, young_carer=cast.jo_case.pk, parent_email="k@example.org"), 400, "not_eligible"
        )
        closed = make_event(cast, title="Closed", booking_closes_at=timezone.now() + timedelta(hours=1))
        with time_machine.travel(timezone.now() + timedelta(hours=2)):  # a fresh sign-in: staff idle 30 minutes are out
            assert_error(book(client_for(cast.priya), closed, young_carer=cast.alex_case.pk), 400, "booking_closed")
        with time_machine.travel(young.starts_at + timedelta(minutes=1)):
            assert_error(book(client_for(cast.priya), young, young_carer=cast.alex_case.pk), 400, "event_past")
        assert not Booking.objects.exists()

    def test_a_full_event_waitlists_then_promotes_in_order_with_a_deadline(self, cast, client_for, run_tasks):
        event = make_event(cast, capacity=1, min_age=8, offer_hours=24)
        alex = book(client_for(cast.alex), event).json()
        sam = book(client_for(cast.sam), event, parent_email="lisa@example.org").json()
        jo = book(client_for(cast.priya), event, young_carer=cast.jo_case.pk, parent_email="karen@example.org").json()
        assert (sam["status"], sam["waiting_list_position"]) == ("waitlisted", 1)
        assert jo["waiting_list_position"] == 2
        assert Notification.objects.filter(recipient=cast.sam, kind="booking.waitlisted").exists()

        client_for(cast.alex).post(f"/api/v1/bookings/{alex['id']}/cancel/")
        offered = Booking.objects.get(pk=sam["id"])
        assert offered.status == "offered" and offered.respond_by is not None
        assert Notification.objects.filter(recipient=cast.sam, kind="booking.offered").exists()
        assert Booking.objects.get(pk=jo["id"]).status == "waitlisted"

        # Sam does not answer in time: the place passes on to Jo.
        with time_machine.travel(offered.respond_by + timedelta(minutes=1)):
            run_tasks()
            assert Booking.objects.get(pk=sam["id"]).status == "lapsed"
            assert Booking.objects.get(pk=jo["id"]).status == "offered"
            assert_error(client_for(cast.sam).post(f"/api/v1/bookings/{sam['id']}/accept-offer/"), 409)

    def test_sam_accepts_an_offer_then_his_parent_is_asked(self, cast, client_for):
        event = make_event(cast, capacity=1)
        alex = book(client_for(cast.alex), event).json()
        sam = book(client_for(cast.sam), event, parent_email="lisa@example.org").json()
        client_for(cast.priya).post(f"/api/v1/bookings/{alex['id']}/cancel/")
        assert_error(client_for(cast.jo).post(f"/api/v1/bookings/{sam['id']}/accept-offer/"), 404)
        accepted = client_for(cast.sam).post(f"/api/v1/bookings/{sam['id']}/accept-offer/")
        assert accepted.json()["status"] == "awaiting_consent"
        assert Notification.objects.filter(recipient=cast.alex, kind="booking.cancelled").exists()

    def test_declining_an_offer_passes_it_on(self, cast, client_for):
        event = make_event(cast, capacity=1)
        alex = book(client_for(cast.alex), event).json()
        sam = book(client_for(cast.sam), event, parent_email="lisa@example.org").json()
        jo = book(client_for(cast.priya), event, young_carer=cast.jo_case.pk, parent_email="karen@example.org").json()
        client_for(cast.alex).post(f"/api/v1/bookings/{alex['id']}/cancel/")
        client_for(cast.sam).post(f"/api/v1/bookings/{sam['id']}/decline-offer/")
        assert Booking.objects.get(pk=jo["id"]).status == "offered"

    def test_raising_the_capacity_offers_places(self, cast, client_for):
        event = make_event(cast, capacity=1)
        book(client_for(cast.alex), event)
        sam = book(client_for(cast.sam), event, parent_email="lisa@example.org").json()
        client_for(cast.priya).patch(f"/api/v1/events/{event.pk}/", {"capacity": 2})
        assert Booking.objects.get(pk=sam["id"]).status == "offered"
        assert_error(client_for(cast.priya).patch(f"/api/v1/events/{event.pk}/", {"capacity": 1}), 409)

    @pytest.mark.parametrize(("persona", "expected"), {**VISIBLE, "other_young_carer": 404}.items())
    def test_each_persona_reading_sams_booking(self, personas, cast, client_for, trip, persona, expected):
        booking = bookings.booking_create(
            actor=cast.priya, event=trip, case=cast.sam_case, parent_email="l@example.org"
        )
        assert client_for(personas[persona]).get(f"/api/v1/bookings/{booking.pk}/").status_code == expected
        listed = client_for(personas[persona]).get("/api/v1/bookings/").json()["results"]
        assert [row["id"] for row in listed] == ([booking.pk] if expected == 200 else [])

    @pytest.mark.parametrize(("persona", "expected"), STAFF.items())
    def test_only_workers_see_an_events_bookings(self, personas, client_for, trip, persona, expected):
        assert client_for(personas[persona]).get(f"/api/v1/events/{trip.pk}/bookings/").status_code == expected

    def test_cancelling_an_event_cancels_bookings_and_tells_people(self, cast, client_for, trip):
        book(client_for(cast.alex), trip)
        assert_error(client_for(cast.alex).post(f"/api/v1/events/{trip.pk}/cancel/"), 404)
        response = client_for(cast.priya).post(f"/api/v1/events/{trip.pk}/cancel/", {"note": "Coach broke down"})
        assert response.json()["status"] == "cancelled"
        assert Booking.objects.get().status == "cancelled"
        assert Notification.objects.filter(recipient=cast.alex, kind="event.cancelled").exists()


class TestParentalConsent:
    def test_jos_booking_waits_for_mum_who_says_yes_through_the_link(self, cast, client_for, trip):
        booking = book(
            client_for(cast.priya),
            trip,
            young_carer=cast.jo_case.pk,
            parent_name="Karen Taylor",
            parent_email="karen@example.org",
        ).json()
        assert booking["status"] == "awaiting_consent"
        from core.tasks import run_ready_tasks

        run_ready_tasks()
        assert mail.outbox[-1].to == ["karen@example.org"]
        token = consent_link()
        anonymous = client_for(None)
        shown = anonymous.get(f"/api/v1/booking-consent/{token}/")
        assert shown.status_code == 200 and shown.json()["child"] == "Jo"
        answered = anonymous.post(
            f"/api/v1/booking-consent/{token}/",
            {"given": True, "parent_name": "Karen Taylor", "relationship": "mother"},
        )
        assert answered.json() == {"status": "confirmed"}
        consent = Consent.objects.get(case=cast.jo_case, subject="trips")
        assert (consent.given, consent.basis, consent.given_by_name) == (True, "parent", "Karen Taylor")
        assert Booking.objects.get(pk=booking["id"]).consent == consent
        assert Notification.objects.filter(recipient=cast.priya, kind="booking.consent_answered").exists()
        assert_error(anonymous.post(f"/api/v1/booking-consent/{token}/", {"given": False, "parent_name": "K"}), 409)

    def test_a_no_frees_the_place_for_the_next_person(self, cast, client_for, run_tasks):
        event = make_event(cast, capacity=1)
        jo = book(client_for(cast.priya), event, young_carer=cast.jo_case.pk, parent_email="karen@example.org").json()
        alex = book(client_for(cast.alex), event).json()
        run_tasks()
        client_for(None).post(
            f"/api/v1/booking-consent/{consent_link()}/", {"given": False, "parent_name": "Karen Taylor"}
        )
        assert Booking.objects.get(pk=jo["id"]).status == "consent_refused"
        assert Booking.objects.get(pk=alex["id"]).status == "offered"
        assert Consent.objects.get(case=cast.jo_case, subject="trips").given is False

    def test_forged_tampered_and_expired_links_are_refused(self, cast, client_for, trip, run_tasks):
        book(client_for(cast.priya), trip, young_carer=cast.jo_case.pk, parent_email="karen@example.org")
        run_tasks()
        token = consent_link()
        anonymous = client_for(None)
        assert_error(anonymous.get("/api/v1/booking-consent/nonsense/"), 404)
        assert_error(anonymous.get(f"/api/v1/booking-consent/{token[:-2]}xx/"), 404)
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            assert_error(
                anonymous.post(f"/api/v1/booking-consent/{token}/", {"given": True, "parent_name": "K"}),
                410,
                "link_expired",
            )
        assert not Consent.objects.filter(subject="trips").exists()

    def test_a_resent_link_replaces_the_old_one(self, cast, client_for, trip, run_tasks):
        booking = book(
            client_for(cast.priya), trip, young_carer=cast.jo_case.pk, parent_email="karen@example.org"
        ).json()
        run_tasks()
        old = consent_link()
        assert_error(client_for(cast.jo).post(f"/api/v1/bookings/{booking['id']}/resend-consent/"), 404)
        client_for(cast.priya).post(
            f"/api/v1/bookings/{booking['id']}/resend-consent/", {"parent_email": "dad@example.org"}
        )
        run_tasks()
        assert mail.outbox[-1].to == ["dad@example.org"]
        assert_error(client_for(None).get(f"/api/v1/booking-consent/{old}/"), 404)
        assert client_for(None).get(f"/api/v1/booking-consent/{consent_link()}/").status_code == 200

    def test_an_unanswered_request_lapses_and_the_place_passes_on(self, cast, client_for, run_tasks):
        event = make_event(cast, capacity=1)
        jo = bookings.booking_create(actor=cast.priya, event=event, case=cast.jo_case, parent_email="k@example.org")
        book(client_for(cast.alex), event)
        with time_machine.travel(jo.respond_by + timedelta(minutes=1)):
            run_tasks()
        assert Booking.objects.get(pk=jo.pk).status == "lapsed"
        assert Booking.objects.get(case=cast.alex_case).status == "offered"

    def test_the_link_answers_without_an_account_and_bad_input_is_400(self, cast, client_for, trip, run_tasks):
        book(client_for(cast.priya), trip, young_carer=cast.jo_case.pk, parent_email="karen@example.org")
        run_tasks()
        assert_error(client_for(None).post(f"/api/v1/booking-consent/{consent_link()}/", {"given": "maybe"}), 400)


def test_the_booking_list_keeps_a_flat_query_count(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.priya)
    first = make_event(cast, capacity=1)
    bookings.booking_create(actor=cast.priya, event=first, case=cast.alex_case)
    client.get("/api/v1/bookings/")
    with django_assert_max_num_queries(15) as small:
        client.get("/api/v1/bookings/")
    for index in range(6):
        event = make_event(cast, capacity=1, title=f"Trip {index}")
        bookings.booking_create(actor=cast.priya, event=event, case=cast.alex_case)
        bookings.booking_create(actor=cast.priya, event=event, case=cast.sam_case, parent_email="l@example.org")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/bookings/").json()["count"] == 13
