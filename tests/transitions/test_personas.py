"""Every endpoint, every persona. Each refusal is a 404 paired with the allowed request working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.helpers import assert_error
from tests.transitions.conftest import ASSESSMENT, walk
from transitions.models import Handover, State

pytestmark = pytest.mark.django_db

PERSONAS = [
    "young_carer",
    "other_young_carer",
    "key_worker",
    "manager",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]
PROJECT_STAFF = {"key_worker", "manager"}
RECEIVER = {"adult_services"}


def _expect(response, ok: int, allowed: bool) -> None:
    if allowed:
        assert response.status_code == ok, (response.status_code, response.content[:300])
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("persona", PERSONAS)
def test_opening_a_transition(personas, cast, client_for, persona):
    response = client_for(personas[persona]).post("/api/v1/transitions/", {"case": cast.sam_case.pk}, format="json")
    _expect(response, 201, persona in PROJECT_STAFF)


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_and_listing_transitions(personas, cast, client_for, persona):
    transition = walk(cast, cast.alex_case, State.CONSIDERED)
    client = client_for(personas[persona])
    _expect(client.get(f"/api/v1/transitions/{transition.pk}/"), 200, persona in PROJECT_STAFF)
    listed = [row["id"] for row in client.get("/api/v1/transitions/").json()["results"]]
    assert listed == ([transition.pk] if persona in PROJECT_STAFF else [])


STEPS = [
    (State.NOT_STARTED, "consider", lambda cast: {"significant_benefit": True, "reasons": "r"}),
    (
        State.CONSIDERED,
        "schedule-assessment",
        lambda cast: {"scheduled_for": (timezone.now() + timedelta(days=2)).isoformat()},
    ),
    (State.ASSESSMENT_SCHEDULED, "complete-assessment", lambda cast: ASSESSMENT),
    (
        State.ASSESSMENT_COMPLETED,
        "agree-plan",
        lambda cast: {"goals": ["g"], "actions": [{"action": "a", "owner": "o", "due": "2030-01-01"}]},
    ),
    (State.PLAN_AGREED, "refer", lambda cast: {"organisation": cast.adult_services.pk}),
    (State.ACCEPTED, "start-joint-working", lambda cast: {}),
    (State.CONSIDERED, "close", lambda cast: {"outcome": "declined"}),
    (State.CONSIDERED, "notes", lambda cast: {"text": "A note."}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("state", "step", "payload"), STEPS, ids=[step for _, step, _ in STEPS])
def test_workflow_steps(personas, cast, client_for, persona, state, step, payload):
    transition = walk(cast, cast.alex_case, state)
    response = client_for(personas[persona]).post(
        f"/api/v1/transitions/{transition.pk}/{step}/", payload(cast), format="json"
    )
    _expect(response, 201 if step in ("refer", "notes") else 200, persona in PROJECT_STAFF)
    transition.refresh_from_db()
    if persona not in PROJECT_STAFF:
        assert transition.state == state


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_hand_over_inbox_and_detail(personas, cast, client_for, persona):
    handover = walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()
    client = client_for(personas[persona])
    allowed = persona in PROJECT_STAFF | RECEIVER
    _expect(client.get(f"/api/v1/handovers/{handover.pk}/"), 200, allowed)
    listed = [row["id"] for row in client.get("/api/v1/handovers/").json()["results"]]
    assert listed == ([handover.pk] if allowed else [])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("step", ["accept", "return"])
def test_answering_a_hand_over(personas, cast, client_for, persona, step):
    handover = walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()
    payload = {"worker": cast.grace.pk} if step == "accept" else {"reason": "Out of area."}
    response = client_for(personas[persona]).post(f"/api/v1/handovers/{handover.pk}/{step}/", payload, format="json")
    _expect(response, 200, persona in RECEIVER)
    handover.refresh_from_db()
    assert (handover.status == Handover.Status.PENDING) is (persona not in RECEIVER)


@pytest.mark.parametrize("persona", PERSONAS)
def test_confirming_the_relevant_steps(personas, cast, client_for, persona):
    handover = walk(cast, cast.alex_case, State.JOINT_WORKING).handovers.get()
    response = client_for(personas[persona]).post(
        f"/api/v1/handovers/{handover.pk}/confirm-steps/", {"note": "Assessed."}, format="json"
    )
    _expect(response, 200, persona in RECEIVER)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_young_persons_own_view(personas, cast, client_for, persona):
    response = client_for(personas[persona]).get("/api/v1/transitions/mine/")
    _expect(response, 200, persona in {"young_carer", "other_young_carer"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_figures(personas, cast, client_for, persona):
    response = client_for(personas[persona]).get("/api/v1/transitions/figures/")
    if persona in {"young_carer", "other_young_carer"}:
        assert_error(response, 404, "not_found")  # a project's figures are not a young person's to read
        return
    assert response.status_code == 200
    # Outside the project the figures cover nobody.
    covered = response.json()["considered_by_16"]["of"]
    assert (covered > 0) is (persona in PROJECT_STAFF)


def test_staff_without_a_second_factor_read_no_transition_data(cast, client_for):
    from allauth.mfa.models import Authenticator

    transition = walk(cast, cast.alex_case, State.HANDOVER_REFERRED)
    Authenticator.objects.filter(user__in=[cast.priya, cast.grace]).delete()
    assert_error(client_for(cast.priya).get(f"/api/v1/transitions/{transition.pk}/"), 403, "mfa_required")
    assert_error(client_for(cast.priya).get("/api/v1/transitions/at-risk/"), 403, "mfa_required")
    assert_error(
        client_for(cast.grace).get(f"/api/v1/handovers/{transition.handovers.get().pk}/pack/"), 403, "mfa_required"
    )
    # The young person needs no second factor for their own view.
    assert client_for(cast.alex).get("/api/v1/transitions/mine/").status_code == 200
