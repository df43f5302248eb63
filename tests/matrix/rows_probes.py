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
