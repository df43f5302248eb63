"""Transitions to adult services. Target: Alex's transition (Riverside, 17 and a half) and its hand-over."""

from __future__ import annotations

from .harness import Operation, Row
from .personas import PROJECT_STAFF, SIGNED_IN, YOUNG_PEOPLE

WITH_ADULT_SERVICES = PROJECT_STAFF | {"adult_services"}
ADULT_SERVICES = frozenset({"adult_services"})


def _step(allowed: frozenset[str] = PROJECT_STAFF) -> Row:
    """A workflow step whose allowed path depends on the transition's state: its refusals are what is checked."""
    return Row(allowed, body={}, allowed_check="refusal-only")


ROWS: dict[Operation, Row] = {
    ("GET", "/api/v1/transitions/"): Row(SIGNED_IN),
    ("POST", "/api/v1/transitions/"): Row(PROJECT_STAFF, body={"case": "@sam_case"}, allowed_check="refusal-only"),
    ("GET", "/api/v1/transitions/at-risk/"): Row(SIGNED_IN),  # scoped: a young person gets an empty list
    ("GET", "/api/v1/transitions/figures/"): Row(SIGNED_IN - YOUNG_PEOPLE),
    ("GET", "/api/v1/transitions/mine/"): Row(YOUNG_PEOPLE, refusal=404),
    ("POST", "/api/v1/transitions/mine/question/"): Row(
        YOUNG_PEOPLE, body={"text": "When do I meet them?"}, allowed_check="refusal-only"
    ),
    ("GET", "/api/v1/transitions/{id}/"): Row(PROJECT_STAFF, audited=True),
    ("POST", "/api/v1/transitions/{id}/notes/"): Row(PROJECT_STAFF, body={"text": "Spoke to Alex."}, status=201),
    ("POST", "/api/v1/transitions/{id}/consider/"): _step(),
    ("POST", "/api/v1/transitions/{id}/refer/"): _step(),
    ("POST", "/api/v1/transitions/{id}/schedule-assessment/"): _step(),
    ("POST", "/api/v1/transitions/{id}/complete-assessment/"): _step(),
    ("POST", "/api/v1/transitions/{id}/agree-plan/"): _step(),
    ("POST", "/api/v1/transitions/{id}/start-joint-working/"): _step(),
    ("POST", "/api/v1/transitions/{id}/close/"): _step(),
    ("GET", "/api/v1/handovers/"): Row(SIGNED_IN),
    ("GET", "/api/v1/handovers/{id}/"): Row(WITH_ADULT_SERVICES, audited=True),
    ("GET", "/api/v1/handovers/{id}/pack/"): Row(WITH_ADULT_SERVICES, audited=True),
    ("GET", "/api/v1/handovers/{id}/pack.pdf"): Row(WITH_ADULT_SERVICES, audited=True),
    ("POST", "/api/v1/handovers/{id}/accept/"): _step(ADULT_SERVICES),
    ("POST", "/api/v1/handovers/{id}/confirm-steps/"): _step(ADULT_SERVICES),
    ("POST", "/api/v1/handovers/{id}/return/"): _step(ADULT_SERVICES),
}
