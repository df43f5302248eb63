"""Check-ins, alerts, risk phrases and questionnaires. Targets: Sam's check-in, assignment and response;
Riverside's first alert, tag and a risk phrase of its own."""

from __future__ import annotations

from typing import Any

from .harness import Operation, Row, World
from .personas import ALL_PROJECT_STAFF, PROJECT_STAFF, SIGNED_IN, STAFF, YOUNG_PEOPLE

CASE_READERS = PROJECT_STAFF | {"young_carer"}
MANAGER = frozenset({"manager"})
SAM = frozenset({"young_carer"})
SAM_CASE = {"case": "@sam_case"}


def _checkin(world: World) -> dict[str, Any]:
    return {"id": "6f1c2d4e-0000-4000-8000-00000000c0de", "mood": 4, "recorded_at": world["now"].isoformat()}


ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/checkins/"): Row(CASE_READERS, query=SAM_CASE, audited=True),
    ("POST", "/api/v1/checkins/"): Row(YOUNG_PEOPLE, body=_checkin, status=201, refusals=dict.fromkeys(STAFF, 403)),
    ("GET", "/api/v1/checkins/{id}/"): Row(CASE_READERS, audited=True),
    ("GET", "/api/v1/checkins/caseload/"): Row(ALL_PROJECT_STAFF),
    ("GET", "/api/v1/checkins/trends/"): Row(CASE_READERS, query=SAM_CASE),
    ("GET", "/api/v1/checkins/tags/"): Row(SIGNED_IN),
    ("POST", "/api/v1/checkins/tags/"): Row(ALL_PROJECT_STAFF, body={"code": "matrix", "label": "Matrix"}, status=201),
    ("PATCH", "/api/v1/checkins/tags/{id}/"): Row(PROJECT_STAFF, body={}),
    ("GET", "/api/v1/alerts/"): Row(SIGNED_IN),
    ("GET", "/api/v1/alerts/{id}/"): Row(PROJECT_STAFF, audited=True),
    ("POST", "/api/v1/alerts/{id}/acknowledge/"): Row(PROJECT_STAFF, body={}),
    ("POST", "/api/v1/alerts/{id}/action/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("POST", "/api/v1/alerts/{id}/close/"): Row(PROJECT_STAFF, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/alerts/risk-phrases/"): Row(SIGNED_IN),
    ("POST", "/api/v1/alerts/risk-phrases/"): Row(
        MANAGER, body={"phrase": "another matrix phrase", "category": "@risk_category"}, status=201
    ),
    ("PATCH", "/api/v1/alerts/risk-phrases/{id}/"): Row(MANAGER, body={"is_active": False}),
    ("POST", "/api/v1/alerts/risk-phrases/adopt-defaults/"): Row(MANAGER, body={}),
    ("GET", "/api/v1/questionnaires/definitions/"): Row(SIGNED_IN),
    ("GET", "/api/v1/questionnaires/definitions/{id}/"): Row(ALL_PROJECT_STAFF | {"young_carer"}),
    ("POST", "/api/v1/questionnaires/definitions/import/"): Row(MANAGER, body={}, allowed_check="refusal-only"),
    ("GET", "/api/v1/questionnaires/assignments/"): Row(SIGNED_IN),
    ("POST", "/api/v1/questionnaires/assignments/"): Row(
        PROJECT_STAFF,
        body={"case": "@sam_case", "instrument": "@instrument", "reason": "review"},
        allowed_check="refusal-only",
    ),
    ("GET", "/api/v1/questionnaires/assignments/{id}/"): Row(CASE_READERS, audited=True),
    # The demo's assignment is answered already; cancelling a pending one needs its own setup.
    ("POST", "/api/v1/questionnaires/assignments/{id}/cancel/"): Row(
        PROJECT_STAFF, body={}, allowed_check="refusal-only"
    ),
    ("GET", "/api/v1/questionnaires/responses/"): Row(SIGNED_IN),
    # The young person answers, or their project's staff fill it in with them.
    ("POST", "/api/v1/questionnaires/responses/"): Row(
        CASE_READERS,
        body={"assignment": "@assignment", "answers": {}},
        allowed_check="refusal-only",
    ),
    ("GET", "/api/v1/questionnaires/responses/scores/"): Row(PROJECT_STAFF, query=SAM_CASE),
    ("GET", "/api/v1/questionnaires/responses/{id}/"): Row(CASE_READERS, audited=True),
}
