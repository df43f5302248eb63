"""Which world object each path parameter names, by the resource the path is about."""

from __future__ import annotations

# Longest prefix first: the first match decides what ``{id}`` is.
ID_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("/api/v1/alerts/risk-phrases/", "risk_phrase"),
    ("/api/v1/alerts/", "alert"),
    ("/api/v1/bookings/", "booking"),
    ("/api/v1/checkins/tags/", "tag"),
    ("/api/v1/checkins/", "checkin"),
    ("/api/v1/devices/", "device"),
    ("/api/v1/events/", "event"),
    ("/api/v1/groups/", "group"),
    ("/api/v1/handovers/", "handover"),
    ("/api/v1/invitations/", "invitation"),
    ("/api/v1/notifications/", "notification"),
    ("/api/v1/organisations/", "riverside"),
    ("/api/v1/presentations/", "presentation"),
    ("/api/v1/questionnaires/assignments/", "assignment"),
    ("/api/v1/questionnaires/definitions/", "instrument"),
    ("/api/v1/questionnaires/responses/", "response"),
    ("/api/v1/referrals/", "referral"),
    ("/api/v1/schools/", "northgate"),
    ("/api/v1/self-identifications/", "self_identification"),
    ("/api/v1/sessions/", "session"),
    ("/api/v1/toolkit/progress/", "northgate"),
    ("/api/v1/toolkit/resources/", "resource"),
    ("/api/v1/transitions/", "transition"),
    ("/api/v1/young-carers/", "sam_case"),
)

OTHER_PARAMS: dict[str, str] = {
    "case_id": "sam_case",
    "membership_id": "membership",
    "project_id": "riverside",
    "attachment_id": "attachment",
    "evidence_id": "evidence",
    "role_id": "caring_role",
    "consent_id": "consent",
    "standard": "=understand",
    "step": "=approve",
}

TOKEN_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("/api/v1/booking-consent/", "consent_token"),
    ("/api/v1/calendar/feed/", "feed_token"),
    ("/api/v1/self-identifications/form/", "presentation_token"),
    ("/consent/", "consent_token"),
)


def default_params(path: str) -> dict[str, str]:
    """The usual object for each parameter of ``path``; a row may name others."""
    found: dict[str, str] = {}
    for name in __import__("re").findall(r"\{(\w+)\}", path):
        if name == "id":
            found[name] = next(key for prefix, key in ID_BY_PREFIX if path.startswith(prefix))
        elif name == "token":
            found[name] = next(key for prefix, key in TOKEN_BY_PREFIX if path.startswith(prefix))
        else:
            found[name] = OTHER_PARAMS[name]
    return found
