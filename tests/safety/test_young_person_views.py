"""What a young person and a parent see: only the fields written for them, and never a staff-only word.

Sam (the young carer) walks every endpoint his token can read; a parent opens the emailed consent link. Each
response is checked against the serializer ``core.audiences`` declares for it (no key outside its allow-list, at
any depth), and the whole body is searched for strings only staff should ever see.
"""

from __future__ import annotations

import importlib
import json
import re
import uuid
from typing import Any
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import get_resolver
from django.utils import timezone
from icalendar import Calendar

from api.peer import bookings
from api.peer.models import Booking, PeerGroup
from api.wellbeing.models import Assignment, CheckIn, QuestionnaireResponse
from cases.models import Consent
from core import audiences
from notifications.models import Device, Notification

pytestmark = pytest.mark.django_db

CONSENT_NOTE = "Asking would put the pupil at risk: do not contact home"
CLOSED_NOTE = "Closed after the home visit: dad drinking again"
CONTINGENCY = "If Mum is admitted, stay with Aunt Carol on 07700 900999"


@pytest.fixture
def world(cast: Any, client_for: Any) -> Any:
    """The whole demo (groups, events, bookings, check-ins, questionnaires, inbox) plus staff-only text on Sam's and
    Jo's records that must never reach them or their parents."""
    cache.clear()  # throttles
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        module.load(cast)
    for case in (cast.sam_case, cast.jo_case):
        Consent.objects.create(
            case=case,
            subject=Consent.Subject.SHARE_WITH_SCHOOL,
            given=False,
            basis=Consent.Basis.BEST_INTERESTS,
            notes=CONSENT_NOTE,
            given_at=timezone.now(),
            recorded_by=cast.priya,
        )
        type(case).objects.filter(pk=case.pk).update(closed_note=CLOSED_NOTE, contingency_plan=CONTINGENCY)
    phone = {"token": "sam-phone-token-1", "platform": "android", "app_version": "1.0"}
    assert client_for(cast.sam).post("/api/v1/devices/", phone, format="json").status_code == 201
    return cast


def staff_only_strings(cast: Any) -> list[str]:
    return [
        CONSENT_NOTE,
        "do not contact home",
        CLOSED_NOTE,
        CONTINGENCY,
        cast.priya.email,
        cast.priya.last_name,  # the worker's surname: a child calls her Priya
        cast.tom.email,
        "lisa.green@demo.example",  # the parent's email, kept for the consent link
    ]


def young_person_endpoints(cast: Any) -> list[tuple[str, str]]:
    """(url, declared serializer) for everything Sam's token can read."""
    sam = cast.sam_case
    group = PeerGroup.objects.get(name="Thursday Teens")
    session = group.sessions.order_by("starts_at").first()
    booking = Booking.objects.filter(case=sam).order_by("pk").first()
    checkin = CheckIn.objects.filter(case=sam).first()
    assignment = Assignment.objects.filter(case=sam).first()
    response = QuestionnaireResponse.objects.filter(case=sam).first()
    notification = Notification.objects.filter(recipient=cast.sam).first()
    device = Device.objects.filter(user=cast.sam).first()
    assert None not in (session, booking, checkin, assignment, response, notification, device)
    return [
        ("/api/v1/me/", "me"),
        ("/api/v1/organisations/", "organisation"),
        (f"/api/v1/organisations/{cast.riverside.pk}/", "organisation"),
        ("/api/v1/young-carers/", "case"),
        (f"/api/v1/young-carers/{sam.pk}/", "case"),
        (f"/api/v1/young-carers/{sam.pk}/caring-roles/", "caring_role"),
        (f"/api/v1/young-carers/{sam.pk}/consents/", "consent"),
        ("/api/v1/groups/", "group"),
        (f"/api/v1/groups/{group.pk}/", "group"),
        ("/api/v1/sessions/", "session"),
        (f"/api/v1/sessions/{session.pk}/", "session"),
        ("/api/v1/attendance/", "attendance"),
        ("/api/v1/events/", "event"),
        (f"/api/v1/events/{booking.event_id}/", "event"),
        ("/api/v1/bookings/", "booking"),
        (f"/api/v1/bookings/{booking.pk}/", "booking"),
        ("/api/v1/calendar/", "calendar_status"),
        ("/api/v1/checkins/tags/", "mood_tag"),
        ("/api/v1/checkins/", "checkin"),
        (f"/api/v1/checkins/{checkin.pk}/", "checkin"),
        ("/api/v1/checkins/trends/", "trends"),
        ("/api/v1/questionnaires/definitions/", "questionnaire"),
        (f"/api/v1/questionnaires/definitions/{assignment.instrument_id}/", "questionnaire"),
        ("/api/v1/questionnaires/assignments/", "assignment"),
        (f"/api/v1/questionnaires/assignments/{assignment.pk}/", "assignment"),
        ("/api/v1/questionnaires/responses/", "questionnaire_response"),
        (f"/api/v1/questionnaires/responses/{response.pk}/", "questionnaire_response"),
        ("/api/v1/notifications/", "notification"),
        (f"/api/v1/notifications/{notification.pk}/", "notification"),
        ("/api/v1/notifications/unread-count/", "unread_count"),
        ("/api/v1/devices/", "device"),
        (f"/api/v1/devices/{device.pk}/", "device"),
        ("/api/v1/notification-preferences/", "push_preferences"),
        ("/api/v1/transitions/mine/", "transition"),
    ]


def assert_only_allowed(body: Any, name: str, forbidden: list[str], url: str) -> None:
    cls = audiences.serializer("young_person", name)
    assert audiences.undeclared(body, cls) == [], url
    text = json.dumps(body)
    for word in forbidden:
        assert word not in text, (url, word)


def test_every_serializer_declared_for_a_young_person_loads_and_every_staff_mapping_names_one() -> None:
    declared = audiences.serializers_of("young_person")
    assert set(audiences.YOUNG_PERSON_FOR.values()) <= set(declared)
    for name, cls in declared.items():
        assert audiences.field_tree(cls), name


def test_sam_reads_every_endpoint_through_his_own_projection(world, client_for) -> None:
    client = client_for(world.sam)
    forbidden = staff_only_strings(world)
    for url, name in young_person_endpoints(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert_only_allowed(response.json(), name, forbidden, url)


def test_sams_own_record_names_his_key_worker_by_first_name_only(world, client_for) -> None:
    body = client_for(world.sam).get(f"/api/v1/young-carers/{world.sam_case.pk}/").json()
    assert body["key_worker"] == {"first_name": "Priya"}
    assert body["first_name"] == "Sam"
    assert {"closed_note", "contingency_plan", "gender", "ethnicity", "disability"}.isdisjoint(body)


def test_sams_consents_say_what_was_agreed_but_never_the_notes_or_who_recorded_them(world, client_for) -> None:
    consents = client_for(world.sam).get(f"/api/v1/young-carers/{world.sam_case.pk}/consents/").json()
    assert {"support", "app_use", "share_with_school"} <= {c["subject"] for c in consents}
    for consent in consents:
        assert set(consent) == set(audiences.field_tree(audiences.serializer("young_person", "consent")))


def test_staff_still_get_the_staff_view_of_the_same_record(world, client_for) -> None:
    consents = client_for(world.priya).get(f"/api/v1/young-carers/{world.sam_case.pk}/consents/").json()
    assert CONSENT_NOTE in {c["notes"] for c in consents}
    record = client_for(world.priya).get(f"/api/v1/young-carers/{world.sam_case.pk}/").json()
    assert record["closed_note"] == CLOSED_NOTE
    assert record["key_worker"]["email"] == world.priya.email


def test_a_young_person_is_refused_a_staff_serializer_nobody_wrote_a_projection_for(world, client_for) -> None:
    from rest_framework import serializers

    from accounts.access import access_for
    from core.errors import NotFound

    class NewStaffSerializer(serializers.Serializer[Any]):
        notes = serializers.CharField()

    with pytest.raises(NotFound):
        audiences.output_for(world.sam, NewStaffSerializer)
    assert access_for(world.priya).is_staff_member
    assert audiences.output_for(world.priya, NewStaffSerializer) is NewStaffSerializer


# -- the parent -------------------------------------------------------------------------------------------------


def jos_consent_link(cast: Any) -> str:
    booking = Booking.objects.get(case=cast.jo_case, status=Booking.Status.AWAITING_CONSENT)
    return bookings.consent_token(booking)


def test_a_parent_sees_the_booking_and_nothing_of_the_case(world, client_for) -> None:
    token = jos_consent_link(world)
    forbidden = [*staff_only_strings(world), world.jo_case.date_of_birth.isoformat(), "karen.taylor@demo.example"]
    api = client_for(None).get(f"/api/v1/booking-consent/{token}/")
    assert api.status_code == 200
    cls = audiences.serializer("parent", "booking_consent_request")
    assert audiences.undeclared(api.json(), cls) == []
    assert api.json()["child"] == "Jo"
    page = client_for(None).get(f"/consent/{token}/")
    assert page.status_code == 200
    for body in (api.content.decode(), page.content.decode()):
        for word in forbidden:
            assert word not in body, word


def test_a_parent_s_answer_is_told_back_as_a_status_only(world, client_for) -> None:
    token = jos_consent_link(world)
    answered = client_for(None).post(
        f"/api/v1/booking-consent/{token}/", {"given": True, "parent_name": "Karen Taylor"}, format="json"
    )
    assert answered.status_code == 200
    assert audiences.undeclared(answered.json(), audiences.serializer("parent", "booking_consent_answered")) == []


# -- the calendar feed -------------------------------------------------------------------------------------------


def feed_of(client_for: Any, user: Any) -> tuple[str, list[str]]:
    url = client_for(user).post("/api/v1/calendar/rotate/").json()["url"]
    response = client_for(None).get(urlparse(url).path)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return response.content.decode(), [str(item.get("summary")) for item in calendar.walk("VEVENT")]


@pytest.mark.parametrize("who", ["sam", "alex"])
def test_a_young_person_s_calendar_feed_is_discreet(world, client_for, who) -> None:
    """Sam is booked on "Riverside Carers Day"; Alex goes to "Young Adult Carers Evening"."""
    body, summaries = feed_of(client_for, getattr(world, who))
    assert summaries, "the feed has their sessions and events"
    assert set(summaries) <= {"Group session", "Trip", "Day out", "Trip away", "Activity"}
    unfolded = body.replace("\r\n ", "").lower()
    for word in ("carer", "wellbeing", "young adult", "riverside carers day", "priya", "thursday teens"):
        assert word not in unfolded, word


def test_a_worker_s_calendar_feed_keeps_the_real_names(world, client_for) -> None:
    _, summaries = feed_of(client_for, world.priya)
    assert "Young Adult Carers Evening" in summaries


# -- what a young person sends, and what is kept from them ------------------------------------------------------


def test_what_sam_is_told_after_a_check_in_or_a_call_for_help_is_written_for_him(world, client_for) -> None:
    client = client_for(world.sam)
    checkin = {
        "id": str(uuid.uuid4()),
        "mood": 2,
        "tags": ["home"],
        "words": "long week",
        "recorded_at": timezone.now().isoformat(),
    }
    sent = client.post("/api/v1/checkins/", checkin, format="json")
    assert sent.status_code == 201
    assert_only_allowed(sent.json(), "checkin_result", staff_only_strings(world), "checkins")
    assert sent.json()["checkin"]["words"] == "long week"  # his own words come back to him
    helped = client.post("/api/v1/help/", {}, format="json")
    assert helped.status_code == 201
    assert_only_allowed(helped.json(), "support", staff_only_strings(world), "help")


def test_scores_and_alerts_are_staff_s_reading_and_never_reach_the_young_person(world, client_for) -> None:
    sam = client_for(world.sam)
    assert sam.get("/api/v1/questionnaires/responses/scores/").status_code == 404
    assert sam.get("/api/v1/alerts/").json()["results"] == []
    staff = client_for(world.priya).get(f"/api/v1/questionnaires/responses/scores/?case={world.sam_case.pk}")
    assert staff.status_code == 200 and staff.json()[0]["band"]


# -- the school reading its referrals ---------------------------------------------------------------------------

DECLINE_REASON = "Known to children's social care; brother's case open, do not tell school"
MESSAGE_TO_SCHOOL = "We cannot take this referral on. Please call us to talk about other help."


def test_a_school_sees_the_status_and_the_message_never_the_project_s_reasons(world, client_for) -> None:
    from schools import demo as schools_demo
    from tests.schools.conftest import mia_payload

    schools_demo.load_schools(world)
    khan, priya = client_for(world.khan), client_for(world.priya)
    created = khan.post("/api/v1/referrals/", mia_payload(world), format="json").json()
    assert khan.post(f"/api/v1/referrals/{created['id']}/submit/").status_code == 200
    declined = priya.post(
        f"/api/v1/referrals/{created['id']}/decline/",
        {"reason": DECLINE_REASON, "message": MESSAGE_TO_SCHOOL},
        format="json",
    )
    assert declined.status_code == 200 and declined.json()["decline_reason"] == DECLINE_REASON
    school_view = audiences.serializer("school", "referral")
    for body in (khan.get(f"/api/v1/referrals/{created['id']}/").json(), khan.get("/api/v1/referrals/").json()):
        assert audiences.undeclared(body, school_view) == []
        text = json.dumps(body)
        assert MESSAGE_TO_SCHOOL in text
        for word in (DECLINE_REASON, "do not tell school", world.priya.email):
            assert word not in text, word


# -- every route, not only the ones listed above ----------------------------------------------------------------


def get_routes() -> list[str]:
    """Every GET route under /api/v1/, its parameters left as ``{name}``, read from the URL conf."""
    routes: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif "format" not in route and _answers_get(pattern.callback):
                routes.append(_placeholders(route))

    walk(get_resolver().url_patterns, "/")
    return sorted({route for route in routes if route.startswith("/api/v1/")})


def _answers_get(callback: Any) -> bool:
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "get" in actions
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return view_class is not None and hasattr(view_class, "get")


def _placeholders(route: str) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return route.replace("^", "").replace("$", "").replace("\\", "")


def _own_ids(cast: Any) -> dict[str, Any]:
    """For each route prefix, the id of something Sam may read there."""
    sam = cast.sam_case
    booking = Booking.objects.filter(case=sam).order_by("pk").first()
    assignment = Assignment.objects.filter(case=sam).first()
    assert booking is not None and assignment is not None
    group = PeerGroup.objects.get(name="Thursday Teens")
    return {
        "/api/v1/young-carers/": sam.pk,
        "/api/v1/organisations/": cast.riverside.pk,
        "/api/v1/groups/": group.pk,
        "/api/v1/sessions/": group.sessions.values_list("pk", flat=True).first(),
        "/api/v1/events/": booking.event_id,
        "/api/v1/bookings/": booking.pk,
        "/api/v1/checkins/": CheckIn.objects.filter(case=sam).values_list("pk", flat=True).first(),
        "/api/v1/notifications/": Notification.objects.filter(recipient=cast.sam).values_list("pk", flat=True).first(),
        "/api/v1/devices/": Device.objects.filter(user=cast.sam).values_list("pk", flat=True).first(),
        "/api/v1/questionnaires/definitions/": assignment.instrument_id,
        "/api/v1/questionnaires/assignments/": assignment.pk,
        "/api/v1/questionnaires/responses/": QuestionnaireResponse.objects.filter(case=sam)
        .values_list("pk", flat=True)
        .first(),
    }


def _fill(route: str, own: dict[str, Any]) -> str:
    prefix = next((p for p in own if route.startswith(p)), None)
    url = route.replace("{pk}", str(own[prefix]) if prefix else "1")
    return re.sub(r"\{\w+\}", "1", url)


def _keys(data: Any) -> set[str]:
    if isinstance(data, list):
        return set().union(*(_keys(item) for item in data)) if data else set()
    if isinstance(data, dict):
        return set(data).union(*(_keys(value) for value in data.values())) if data else set()
    return set()


def test_every_get_route_answers_a_young_person_with_allow_listed_keys_only(world, client_for) -> None:
    """A route nobody listed above still cannot hand Sam a staff field: every key of every JSON answer, at any
    depth, is one some young person's serializer declares (or a page's envelope)."""
    client = client_for(world.sam)
    allowed = audiences.allowed_keys("young_person") | audiences.PAGE_KEYS
    forbidden = staff_only_strings(world)
    routes = get_routes()
    assert len(routes) > 50
    for route in routes:
        url = _fill(route, _own_ids(world))
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
            continue
        body = response.json()
        assert _keys(body) <= allowed, (url, _keys(body) - allowed)
        for word in forbidden:
            assert word not in json.dumps(body), (url, word)


def test_sam_booking_a_place_is_answered_without_the_parent_s_email_he_typed(world, client_for) -> None:
    residential = Booking.objects.get(case=world.jo_case).event  # Summer Residential Break, 8 to 17
    booked = client_for(world.sam).post(
        f"/api/v1/events/{residential.pk}/book/",
        {"parent_name": "Lisa Green", "parent_email": "lisa.green@demo.example"},
        format="json",
    )
    assert booked.status_code == 201, booked.content
    assert_only_allowed(booked.json(), "booking", [*staff_only_strings(world), "Lisa Green"], "book")
    assert booked.json()["status"] == Booking.Status.AWAITING_CONSENT
