"""The inbox, preferences, devices and asking for help. Targets: Sam's first notification and a device of his."""

from __future__ import annotations

from .harness import Operation, Row
from .personas import SIGNED_IN, STAFF, YOUNG_PEOPLE

SAM = frozenset({"young_carer"})

ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/notifications/"): Row(SIGNED_IN),
    ("GET", "/api/v1/notifications/unread-count/"): Row(SIGNED_IN),
    ("POST", "/api/v1/notifications/read-all/"): Row(SIGNED_IN, body={}),
    ("GET", "/api/v1/notifications/{id}/"): Row(SAM),
    ("POST", "/api/v1/notifications/{id}/read/"): Row(SAM, body={}),
    ("GET", "/api/v1/notification-preferences/"): Row(SIGNED_IN),
    ("PATCH", "/api/v1/notification-preferences/"): Row(SIGNED_IN, body={}),
    ("DELETE", "/api/v1/notification-preferences/"): Row(SIGNED_IN),
    ("GET", "/api/v1/devices/"): Row(SIGNED_IN),
    ("POST", "/api/v1/devices/"): Row(SIGNED_IN, body={"token": "matrix-new-device", "platform": "android"}),
    ("GET", "/api/v1/devices/{id}/"): Row(SAM),
    ("DELETE", "/api/v1/devices/{id}/"): Row(SAM, status=204),
    # Asking for help is for young people; staff have their own routes (a role-wide 403 today).
    ("POST", "/api/v1/help/"): Row(YOUNG_PEOPLE, body={}, status=201, refusals=dict.fromkeys(STAFF, 403)),
}
