"""Checks the one-row-per-operation table cannot express: a second body for an operation, and list filters.

``PROBES`` are extra rows for operations already in the table, each for one leak of the issue: the table row
proves the ordinary case, the probe the attack. ``FILTERS`` are list filters that must answer an id of another
organisation exactly as they answer an id that does not exist.
"""

from __future__ import annotations

from .harness import Operation, Row

LEAD_OR_SERVING_MANAGER = frozenset({"school_lead", "manager"})

PROBES: dict[str, tuple[Operation, Row]] = {
    # Leak 2: only the school's own lead, or a manager of a project serving the school, invites its staff.
    "a school lead's invitation to Northgate": (
        ("POST", "/api/v1/invitations/"),
        Row(
            LEAD_OR_SERVING_MANAGER,
            body={"kind": "staff", "organisation": "@northgate", "role": "school_lead", "email": "lead@matrix.example"},
            status=201,
        ),
    ),
}

# (list path, query parameter, world object of another organisation), read as Sam's key worker.
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("/api/v1/sessions/", "group", "foreign_group"),
    ("/api/v1/bookings/", "event", "foreign_event"),
    ("/api/v1/referrals/", "school", "far_school"),
    ("/api/v1/referrals/", "project", "eastbank"),
    ("/api/v1/presentations/", "school", "far_school"),
    ("/api/v1/presentations/", "project", "eastbank"),
    ("/api/v1/self-identifications/", "school", "far_school"),
    ("/api/v1/young-carers/", "school", "far_school"),
)

# (list path, world object): whoever the detail row refuses with 404 must not find the object in the list either.
LISTS: tuple[tuple[str, str], ...] = (
    ("/api/v1/young-carers/", "sam_case"),
    ("/api/v1/bookings/", "booking"),
    ("/api/v1/sessions/", "session"),
    ("/api/v1/groups/", "group"),
    ("/api/v1/events/", "event"),
    ("/api/v1/referrals/", "referral"),
    ("/api/v1/presentations/", "presentation"),
    ("/api/v1/self-identifications/", "self_identification"),
    ("/api/v1/transitions/", "transition"),
    ("/api/v1/handovers/", "handover"),
    ("/api/v1/alerts/", "alert"),
    ("/api/v1/invitations/", "invitation"),
    ("/api/v1/notifications/", "notification"),
    ("/api/v1/questionnaires/assignments/", "assignment"),
    ("/api/v1/questionnaires/responses/", "response"),
    ("/api/v1/devices/", "device"),
    ("/api/v1/organisations/", "riverside"),
    ("/api/v1/toolkit/resources/", "resource"),
)
