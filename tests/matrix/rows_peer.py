"""Peer groups, sessions, events, bookings and calendars. Targets: Thursday Teens (Sam's group), its first
session, Riverside's first event, Sam's first booking; the parent's consent link and Sam's calendar feed."""

from __future__ import annotations

from .harness import NOT_A_PROJECTION, Operation, Row
from .personas import ALL_PROJECT_STAFF, EVERYONE, PROJECT_STAFF, SIGNED_IN, YOUNG_PEOPLE

SAM_AND_STAFF = PROJECT_STAFF | {"young_carer"}
SAM = frozenset({"young_carer"})
GROUP = {"name": "Matrix Makers", "min_age": 8, "max_age": 12}

ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/groups/"): Row(SIGNED_IN, audience="group"),
    ("POST", "/api/v1/groups/"): Row(ALL_PROJECT_STAFF, body=GROUP, status=201),
    ("GET", "/api/v1/groups/{id}/"): Row(SAM_AND_STAFF, audience="group"),
    ("PATCH", "/api/v1/groups/{id}/"): Row(PROJECT_STAFF, body={}),
    ("POST", "/api/v1/groups/{id}/join/"): Row(SAM, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/groups/{id}/members/"): Row(PROJECT_STAFF),
    ("POST", "/api/v1/groups/{id}/members/"): Row(PROJECT_STAFF, body={"young_carer": "@alex_case"}, status=201),
    ("POST", "/api/v1/groups/{id}/members/{case_id}/{step}/"): Row(
        PROJECT_STAFF, body={}, allowed_check="refusal-only"
    ),
    ("GET", "/api/v1/sessions/"): Row(SIGNED_IN, audience="session"),
    ("GET", "/api/v1/sessions/{id}/"): Row(SAM_AND_STAFF, audience="session"),
    ("POST", "/api/v1/sessions/{id}/cancel/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/sessions/{id}/check-in-code/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/sessions/{id}/move/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/sessions/{id}/register/"): Row(PROJECT_STAFF, audited=True),
    ("POST", "/api/v1/sessions/{id}/register/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/sessions/check-in/"): Row(YOUNG_PEOPLE, body={"code": "000000"}, allowed_check="refusal-only"),
    ("GET", "/api/v1/attendance/"): Row(SIGNED_IN, audience="attendance"),
    ("GET", "/api/v1/events/"): Row(SIGNED_IN, audience="event"),
    ("POST", "/api/v1/events/"): Row(ALL_PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/events/{id}/"): Row(PROJECT_STAFF | YOUNG_PEOPLE, audience="event"),
    ("PATCH", "/api/v1/events/{id}/"): Row(PROJECT_STAFF, body={}),
    ("POST", "/api/v1/events/{id}/book/"): Row(
        YOUNG_PEOPLE, params={"id": "open_event"}, body={}, status=201, audience="booking"
    ),
    ("GET", "/api/v1/events/{id}/bookings/"): Row(PROJECT_STAFF, audited=True),
    ("POST", "/api/v1/events/{id}/cancel/"): Row(PROJECT_STAFF, body={}),
    ("GET", "/api/v1/bookings/"): Row(SIGNED_IN, audience="booking"),
    ("GET", "/api/v1/bookings/{id}/"): Row(SAM_AND_STAFF, audited=True, audience="booking"),
    ("POST", "/api/v1/bookings/{id}/accept-offer/"): Row(SAM_AND_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/bookings/{id}/decline-offer/"): Row(SAM_AND_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/bookings/{id}/cancel/"): Row(SAM_AND_STAFF, body={}, audience="booking"),
    ("POST", "/api/v1/bookings/{id}/resend-consent/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    # The parent's emailed link is the credential: whoever holds it may answer, nobody else can guess it.
    ("GET", "/api/v1/booking-consent/{token}/"): Row(EVERYONE, audience=NOT_A_PROJECTION),
    ("POST", "/api/v1/booking-consent/{token}/"): Row(EVERYONE, body={"given": True, "parent_name": "Karen Taylor"}),
    ("GET", "/api/v1/calendar/"): Row(SIGNED_IN, audience="calendar_status"),
    ("DELETE", "/api/v1/calendar/"): Row(SIGNED_IN, status=204),
    ("POST", "/api/v1/calendar/rotate/"): Row(SIGNED_IN, body={}, status=201, audience="calendar_url"),
    ("GET", "/api/v1/calendar/feed/{token}.ics"): Row(EVERYONE),
    # The parent's consent page: the emailed link is the credential, answered by a plain HTML form.
    ("GET", "/consent/{token}/"): Row(EVERYONE),
    ("POST", "/consent/{token}/"): Row(EVERYONE, body={}, allowed_check="refusal-only"),
}
