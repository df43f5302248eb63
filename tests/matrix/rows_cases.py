"""Young carers' cases: the record, caring roles and consents. The target is Sam's case (Riverside)."""

from __future__ import annotations

from .harness import Operation, Row
from .personas import ALL_PROJECT_STAFF, PROJECT_STAFF, SIGNED_IN

CASE_READERS = PROJECT_STAFF | {"young_carer"}

ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/young-carers/"): Row(SIGNED_IN, audience="case"),
    ("POST", "/api/v1/young-carers/"): Row(
        ALL_PROJECT_STAFF, body={"first_name": "Lee", "last_name": "Reed", "date_of_birth": "2013-05-01"}, status=201
    ),
    ("GET", "/api/v1/young-carers/{id}/"): Row(CASE_READERS, audited=True, audience="case"),
    ("PATCH", "/api/v1/young-carers/{id}/"): Row(PROJECT_STAFF, body={"preferred_name": "Sammy"}),
    ("GET", "/api/v1/young-carers/{id}/caring-roles/"): Row(CASE_READERS, audited=True, audience="caring_role"),
    ("POST", "/api/v1/young-carers/{id}/caring-roles/"): Row(
        PROJECT_STAFF,
        body={"cared_for": "Nan", "relationship": "grandparent", "condition_category": "dementia", "caring_tasks": []},
        status=201,
    ),
    ("PATCH", "/api/v1/young-carers/{id}/caring-roles/{role_id}/"): Row(PROJECT_STAFF, body={"hours_per_week": 6}),
    ("DELETE", "/api/v1/young-carers/{id}/caring-roles/{role_id}/"): Row(PROJECT_STAFF, status=204),
    ("POST", "/api/v1/young-carers/{id}/close/"): Row(PROJECT_STAFF, body={"reason": "moved_away"}),
    ("POST", "/api/v1/young-carers/{id}/reopen/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/young-carers/{id}/consents/"): Row(CASE_READERS, audited=True, audience="consent"),
    ("POST", "/api/v1/young-carers/{id}/consents/"): Row(
        PROJECT_STAFF,
        body={
            "subject": "share_with_school",
            "given": True,
            "basis": "gillick",
            "given_by_name": "Sam Green",
            "given_by_relationship": "self",
        },
        status=201,
    ),
    ("POST", "/api/v1/young-carers/{id}/consents/{consent_id}/withdraw/"): Row(PROJECT_STAFF, body={}),
}
