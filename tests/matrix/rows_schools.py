"""Schools, referrals, presentations, self-identification and the toolkit. Targets: Northgate Academy (Sam's
school, served by Riverside), Mia's submitted referral to Riverside and a Northgate draft, Northgate's first
presentation, a self-identification through it, a toolkit resource Riverside published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from schools.services.presentations import FORM_SALT

from .harness import NOT_A_PROJECTION, Operation, Row, World
from .personas import (
    ALL_PROJECT_STAFF,
    EVERYONE,
    PROJECT_STAFF,
    SCHOOL_OF_PUPIL,
    SCHOOL_STAFF,
    SIGNED_IN,
)

LEAD = frozenset({"school_lead"})
READS_REFERRAL = PROJECT_STAFF | SCHOOL_OF_PUPIL
CHANGES_SCHOOL = LEAD | {"manager"}  # the school's lead, or the manager of a project serving it
READS_TOOLKIT = PROJECT_STAFF | SCHOOL_STAFF | {"other_project_worker", "commissioner"}
READS_SCHOOL = PROJECT_STAFF | SCHOOL_OF_PUPIL | {"other_project_worker", "commissioner"}
DRAFT = {"id": "draft_referral"}


def _self_identify(world: World) -> dict[str, Any]:
    """The form as a pupil sends it back: opened two minutes ago (a faster submit is taken for a bot)."""
    presentation = world["presentation"]
    opened = (timezone.now() - timedelta(minutes=2)).timestamp()
    started = signing.dumps({"p": presentation.pk, "t": opened}, salt=FORM_SALT)
    return {"token": presentation.token, "form_started": started, "first_name": "Lee"}


def _version(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("poster.pdf", b"%PDF-1.4 poster", content_type="application/pdf")}


ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/schools/"): Row(SIGNED_IN),
    ("GET", "/api/v1/schools/{id}/"): Row(READS_SCHOOL),
    # Those who can read the school but not change it are told so (a 403 names no one and reveals nothing).
    ("PATCH", "/api/v1/schools/{id}/"): Row(
        CHANGES_SCHOOL, body={}, refusals=dict.fromkeys(("school_staff", "key_worker", "other_worker"), 403)
    ),
    ("GET", "/api/v1/schools/{id}/dashboard/"): Row(SCHOOL_OF_PUPIL | PROJECT_STAFF),
    ("GET", "/api/v1/schools/{id}/projects/"): Row(READS_SCHOOL),
    ("POST", "/api/v1/schools/{id}/projects/"): Row(
        LEAD | {"manager"}, body={"project": "@eastbank"}, allowed_check="refusal-only"
    ),
    ("DELETE", "/api/v1/schools/{id}/projects/{project_id}/"): Row(LEAD | {"manager"}, status=204),
    ("GET", "/api/v1/schools/{id}/project-links/"): Row(READS_SCHOOL),
    # Riverside's link to Northgate is already accepted: accepting again is a 409, so only refusals are checked.
    ("POST", "/api/v1/schools/{id}/projects/{project_id}/accept/"): Row(LEAD, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/schools/{id}/projects/{project_id}/decline/"): Row(LEAD, body={}),
    ("GET", "/api/v1/referrals/"): Row(SIGNED_IN),
    ("GET", "/api/v1/referrals/queue/"): Row(SIGNED_IN),
    ("POST", "/api/v1/referrals/"): Row(SCHOOL_STAFF, body={}, status=201),
    ("GET", "/api/v1/referrals/{id}/"): Row(READS_REFERRAL, audited=True),
    ("PATCH", "/api/v1/referrals/{id}/"): Row(SCHOOL_OF_PUPIL, params=DRAFT, body={"first_name": "Olu"}),
    ("DELETE", "/api/v1/referrals/{id}/"): Row(SCHOOL_OF_PUPIL, params=DRAFT, status=204),
    ("POST", "/api/v1/referrals/{id}/submit/"): Row(
        SCHOOL_OF_PUPIL, params=DRAFT, body={}, allowed_check="refusal-only"
    ),
    ("POST", "/api/v1/referrals/{id}/accept/"): Row(PROJECT_STAFF, body={}),
    ("POST", "/api/v1/referrals/{id}/acknowledge/"): Row(PROJECT_STAFF, body={}),
    ("POST", "/api/v1/referrals/{id}/decline/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/referrals/{id}/merge/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/referrals/{id}/signpost/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/referrals/{id}/duplicates/"): Row(PROJECT_STAFF, audited=True),
    ("GET", "/api/v1/referrals/{id}/attachments/"): Row(READS_REFERRAL, audited=True),
    ("POST", "/api/v1/referrals/{id}/attachments/"): Row(SCHOOL_OF_PUPIL, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/referrals/{id}/attachments/{attachment_id}/download/"): Row(READS_REFERRAL, audited=True),
    ("GET", "/api/v1/presentations/"): Row(SIGNED_IN),
    ("POST", "/api/v1/presentations/"): Row(SCHOOL_STAFF | ALL_PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/presentations/{id}/"): Row(READS_REFERRAL),
    ("GET", "/api/v1/presentations/{id}/impact/"): Row(READS_REFERRAL),
    ("GET", "/api/v1/presentations/{id}/qr/"): Row(READS_REFERRAL),
    ("POST", "/api/v1/presentations/{id}/cancel/"): Row(
        PROJECT_STAFF | SCHOOL_OF_PUPIL, body={}, allowed_check="refusal-only"
    ),
    ("POST", "/api/v1/presentations/{id}/deliver/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/presentations/{id}/schedule/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/self-identifications/"): Row(SIGNED_IN),
    # The pupil's form behind a presentation's QR code: no account, the presentation's token is the key.
    ("POST", "/api/v1/self-identifications/"): Row(
        EVERYONE, body=_self_identify, status=201, audience=NOT_A_PROJECTION
    ),
    ("GET", "/api/v1/self-identifications/form/{token}/"): Row(EVERYONE, audience=NOT_A_PROJECTION),
    ("GET", "/api/v1/self-identifications/{id}/"): Row(READS_REFERRAL, audited=True),
    ("POST", "/api/v1/self-identifications/{id}/follow-up/"): Row(
        PROJECT_STAFF | SCHOOL_OF_PUPIL, body={}, allowed_check="refusal-only"
    ),
    ("GET", "/api/v1/toolkit/progress/{id}/"): Row(SCHOOL_OF_PUPIL | PROJECT_STAFF),
    ("POST", "/api/v1/toolkit/progress/{id}/evidence/"): Row(
        SCHOOL_OF_PUPIL, body={"standard": "inform", "title": "Newsletter piece"}, status=201
    ),
    ("DELETE", "/api/v1/toolkit/progress/{id}/evidence/{evidence_id}/"): Row(SCHOOL_OF_PUPIL, status=204),
    ("POST", "/api/v1/toolkit/progress/{id}/standards/{standard}/"): Row(
        SCHOOL_OF_PUPIL, body={"status": "in_progress"}
    ),
    ("GET", "/api/v1/toolkit/resources/"): Row(SIGNED_IN),
    ("POST", "/api/v1/toolkit/resources/"): Row(
        frozenset({"manager"}),
        body={"title": "Assembly slides", "category": "poster", "audiences": ["staff"], "standards": ["inform"]},
        status=201,
    ),
    ("GET", "/api/v1/toolkit/resources/{id}/"): Row(READS_TOOLKIT),
    ("PATCH", "/api/v1/toolkit/resources/{id}/"): Row(frozenset({"manager"}), body={}),
    # The matrix's resource has no uploaded version, so only the refusals of a download are checked.
    ("GET", "/api/v1/toolkit/resources/{id}/download/"): Row(READS_TOOLKIT, allowed_check="refusal-only"),
    ("GET", "/api/v1/toolkit/resources/{id}/downloads/"): Row(PROJECT_STAFF),
    ("GET", "/api/v1/toolkit/resources/{id}/versions/"): Row(READS_TOOLKIT),
    ("POST", "/api/v1/toolkit/resources/{id}/versions/"): Row(
        frozenset({"manager"}), body=_version, format="multipart", status=201
    ),
}
