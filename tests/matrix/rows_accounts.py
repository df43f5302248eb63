"""Accounts, organisations, invitations, the audit trail, sign-in and the routes outside /api/v1/."""

from __future__ import annotations

from backend.demo import DEFAULT_PASSWORD

from .harness import NOT_A_PROJECTION, Operation, Row
from .personas import EVERYONE, PROJECT_STAFF, SIGNED_IN, SIGNED_OUT, YOUNG_PEOPLE

MANAGER = frozenset({"manager"})
# allauth answers a signed-in caller's sign-up or sign-in with 409: they already have a session.
ALREADY_SIGNED_IN = dict.fromkeys(SIGNED_IN, 409)

ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/me/"): Row(SIGNED_IN, audience="me"),
    ("PATCH", "/api/v1/me/"): Row(SIGNED_IN, body={}, audience="me"),
    ("GET", "/api/v1/organisations/"): Row(SIGNED_IN),
    ("GET", "/api/v1/organisations/{id}/"): Row(PROJECT_STAFF | YOUNG_PEOPLE, audience="organisation"),
    ("GET", "/api/v1/organisations/{id}/members/"): Row(MANAGER),
    ("POST", "/api/v1/organisations/{id}/members/{membership_id}/end/"): Row(MANAGER, body={}),
    ("POST", "/api/v1/organisations/{id}/members/{membership_id}/on-duty/"): Row(MANAGER, body={"is_on_duty": True}),
    ("GET", "/api/v1/invitations/"): Row(SIGNED_IN),
    ("POST", "/api/v1/invitations/"): Row(
        MANAGER,
        body={"kind": "staff", "organisation": "@riverside", "role": "project_worker", "email": "ivy@matrix.example"},
        status=201,
    ),
    ("GET", "/api/v1/invitations/{id}/"): Row(MANAGER, audited=True),
    ("POST", "/api/v1/invitations/{id}/revoke/"): Row(MANAGER, body={}),
    # The world's invitation is a staff one: a printed letter is for young carer invitations, so nobody gets one.
    ("POST", "/api/v1/invitations/{id}/letter/"): Row(frozenset(), body={}),
    ("GET", "/api/v1/audit/"): Row(SIGNED_IN),
    # allauth headless: public by design; a signed-in caller is answered as allauth answers anyone.
    ("POST", "/_allauth/app/v1/auth/signup"): Row(
        SIGNED_OUT,
        body={"email": "new.worker@matrix.example", "password": "a-long-matrix-pass-2026", "invitation": "@invite"},
        refusals=ALREADY_SIGNED_IN,
    ),
    ("POST", "/_allauth/app/v1/auth/login"): Row(
        SIGNED_OUT, body={"email": "sam@demo.example", "password": DEFAULT_PASSWORD}, refusals=ALREADY_SIGNED_IN
    ),
    ("POST", "/_allauth/app/v1/auth/password/request"): Row(EVERYONE, body={"email": "sam@demo.example"}),
    ("GET", "/_allauth/app/v1/auth/session"): Row(SIGNED_IN, audience=NOT_A_PROJECTION),
    ("GET", "/api/schema/"): Row(EVERYONE),
    ("GET", "/health/"): Row(EVERYONE),
}
