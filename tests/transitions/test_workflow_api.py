from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Consent
from core.errors import NotFound, ServiceError
from notifications.models import Notification
from tests.helpers import assert_error
from tests.transitions.conftest import ASSESSMENT, walk
from transitions import services
from transitions.models import Assessment, Handover, Note, State, Transition

pytestmark = pytest.mark.django_db


def _open(client, case):
    response = client.post("/api/v1/transitions/", {"case": case.pk}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_worker_takes_alex_from_not_started_to_closed_through_the_api(cast, client_for):
    priya, grace = client_for(cast.priya), client_for(cast.grace)
    body = _open(priya, cast.alex_case)
    url = f"/api/v1/transitions/{body['id']}"
    assert body["state"] == "not_started" and body["allowed_steps"] == ["consider", "close"]

    response = priya.post(
        f"{url}/consider/", {"significant_benefit": True, "reasons": "Likely needs after 18."}, format="json"
    )
    assert response.json()["state"] == "considered"
    when = (timezone.now() + timedelta(days=3)).isoformat()
    response = priya.post(
        f"{url}/schedule-assessment/", {"scheduled_for": when, "assessor": cast.priya.pk}, format="json"
    )
    assert response.json()["state"] == "assessment_scheduled"
    response = priya.post(
        f"{url}/complete-assessment/", {**ASSESSMENT, "advocate_needed": True, "advocate_name": "Sue"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["assessment"]["advocate_name"] == "Sue"
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = priya.post(
        f"{url}/agree-plan/",
        {"goals": ["Finish college"], "actions": [{"action": "Visit adult services", "owner": "Priya", "due": due}]},
        format="json",
    )
    assert response.json()["state"] == "plan_agreed" and response.json()["plan"]["actions"][0]["due"] == due
    response = priya.post(f"{url}/refer/", {"organisation": cast.adult_services.pk}, format="json")
    assert response.status_code == 201, response.json()
    handover = response.json()
    assert handover["status"] == "pending" and handover["basis"] == "consent"

    response = grace.post(f"/api/v1/handovers/{handover['id']}/accept/", {"worker": cast.grace.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["worker"]["name"] == "Grace Mensah"
    assert priya.post(f"{url}/start-joint-working/").json()["state"] == "joint_working"
    # Children's support goes on until adult services confirm the relevant steps (s.66).
    assert_error(
        priya.post(f"{url}/close/", {"outcome": "supported_by_adult_services"}, format="json"),
        409,
        "steps_not_confirmed",
    )
    response = grace.post(
        f"/api/v1/handovers/{handover['id']}/confirm-steps/", {"note": "Carer's assessment done."}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = priya.post(f"{url}/close/", {"outcome": "supported_by_adult_services"}, format="json")
    assert response.json()["state"] == "closed" and response.json()["outcome"] == "supported_by_adult_services"

    events = list(
        AuditEntry.objects.filter(
            object_pk=str(body["id"]), content_type__model="transition", event__startswith="transition."
        )
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert [e for e in events if e != "transition.read"] == [
        "transition.open",
        "transition.consider",
        "transition.schedule_assessment",
        "transition.complete_assessment",
        "transition.agree_plan",
        "transition.refer",
        "transition.accept",
        "transition.start_joint_working",
        "transition.confirm_steps",
        "transition.close",
    ]
    told = set(Notification.objects.values_list("kind", flat=True))
    assert {"transition.handover_received", "transition.handover_accepted", "transition.steps_confirmed"} <= told


def test_a_step_out_of_order_is_refused_naming_the_state_and_the_allowed_steps(cast, client_for):
    transition = walk(cast, cast.alex_case, State.CONSIDERED)
    response = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/complete-assessment/", ASSESSMENT, format="json"
    )
    error = assert_error(response, 409, "invalid_step")
    assert "'considered'" in error["message"] and "schedule-assessment" in error["message"]
    transition.refresh_from_db()
    assert transition.state == State.CONSIDERED and not hasattr(transition, "assessment")


def test_a_refusal_blocks_the_assessment_unless_abuse_or_neglect_is_suspected(cast, client_for):
    priya = client_for(cast.priya)
    transition = walk(cast, cast.alex_case, State.NOT_STARTED)
    url = f"/api/v1/transitions/{transition.pk}"
    when = (timezone.now() + timedelta(days=2)).isoformat()
    priya.post(
        f"{url}/consider/", {"significant_benefit": True, "reasons": "r", "young_person_refused": True}, format="json"
    )
    assert_error(
        priya.post(f"{url}/schedule-assessment/", {"scheduled_for": when}, format="json"),
        409,
        "assessment_not_warranted",
    )
    response = priya.post(
        f"{url}/consider/",
        {
            "significant_benefit": True,
            "reasons": "Neglect suspected at home.",
            "young_person_refused": True,
            "abuse_or_neglect_suspected": True,
        },
        format="json",
    )
    assert response.json()["young_person_refused"] is True and response.json()["abuse_or_neglect_suspected"] is True
    assert (
        priya.post(f"{url}/schedule-assessment/", {"scheduled_for": when}, format="json").json()["state"]
        == "assessment_scheduled"
    )


def test_the_abuse_or_neglect_exception_needs_a_refusal(cast, client_for):
    transition = walk(cast, cast.alex_case, State.NOT_STARTED)
    response = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/consider/",
        {"significant_benefit": True, "reasons": "r", "abuse_or_neglect_suspected": True},
        format="json",
    )
    assert_error(response, 400, "invalid")
    transition.refresh_from_db()
    assert transition.state == State.NOT_STARTED


def test_no_significant_benefit_means_no_assessment(cast, client_for):
    transition = walk(cast, cast.alex_case, State.NOT_STARTED)
    priya = client_for(cast.priya)
    priya.post(
        f"/api/v1/transitions/{transition.pk}/consider/",
        {"significant_benefit": False, "reasons": "Caring ends soon."},
        format="json",
    )
    when = (timezone.now() + timedelta(days=2)).isoformat()
    response = priya.post(
        f"/api/v1/transitions/{transition.pk}/schedule-assessment/", {"scheduled_for": when}, format="json"
    )
    assert_error(response, 409, "assessment_not_warranted")


def test_a_hand_over_without_consent_or_a_documented_basis_is_refused(cast, client_for):
    Consent.objects.filter(case=cast.alex_case, subject="share_with_adult_services").update(withdrawn_at=timezone.now())
    transition = walk(cast, cast.alex_case, State.PLAN_AGREED)
    priya = client_for(cast.priya)
    url = f"/api/v1/transitions/{transition.pk}/refer/"
    error = assert_error(
        priya.post(url, {"organisation": cast.adult_services.pk}, format="json"), 400, "consent_required"
    )
    assert "consent" in error["message"]
    assert_error(
        priya.post(url, {"organisation": cast.adult_services.pk, "basis": "best_interests"}, format="json"),
        400,
        "basis_required",
    )
    assert not Handover.objects.exists()
    transition.refresh_from_db()
    assert transition.state == State.PLAN_AGREED
    response = priya.post(
        url,
        {"organisation": cast.adult_services.pk, "basis": "safeguarding", "basis_note": "Strategy meeting 3 May."},
        format="json",
    )
    assert response.status_code == 201 and response.json()["basis"] == "safeguarding"


def test_a_parents_consent_is_not_the_young_persons(cast, client_for):
    Consent.objects.filter(case=cast.alex_case, subject="share_with_adult_services").update(
        basis="parent", given_by_relationship="father"
    )
    transition = walk(cast, cast.alex_case, State.PLAN_AGREED)
    response = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/refer/", {"organisation": cast.adult_services.pk}, format="json"
    )
    assert_error(response, 400, "consent_required")


def test_a_hand_over_goes_only_to_an_adult_service(cast, client_for):
    transition = walk(cast, cast.alex_case, State.PLAN_AGREED)
    response = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/refer/", {"organisation": cast.northgate.pk}, format="json"
    )
    assert_error(response, 400)
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"goals": [], "actions": []}, "goals"),
        ({"goals": ["Go to college"], "actions": []}, "actions"),
        ({"goals": ["Go"], "actions": [{"action": "x", "owner": "Priya", "due": "not-a-date"}]}, "actions"),
        ({"goals": ["Go"], "actions": [{"action": "x", "due": "2030-01-01"}]}, "actions"),
        ({"goals": "Go", "actions": "x"}, "goals"),
    ],
)
def test_a_plan_needs_goals_and_actions_with_owners_and_dates(cast, client_for, payload, field):
    transition = walk(cast, cast.alex_case, State.ASSESSMENT_COMPLETED)
    response = client_for(cast.priya).post(f"/api/v1/transitions/{transition.pk}/agree-plan/", payload, format="json")
    error = assert_error(response, 400, "invalid")
    assert field in error["fields"]
    transition.refresh_from_db()
    assert transition.state == State.ASSESSMENT_COMPLETED


def test_an_assessment_needs_an_outcome_wanted(cast, client_for):
    transition = walk(cast, cast.alex_case, State.ASSESSMENT_SCHEDULED)
    payload = {**ASSESSMENT, "outcome_education_work_training": "", "outcome_friends_community": ""}
    response = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/complete-assessment/", payload, format="json"
    )
    error = assert_error(response, 400, "invalid")
    assert "outcome_education_work_training" in error["fields"]
    transition.refresh_from_db()
    assert transition.state == State.ASSESSMENT_SCHEDULED and not Assessment.objects.exists()


def test_the_service_itself_requires_an_outcome_wanted(cast):
    transition = walk(cast, cast.alex_case, State.ASSESSMENT_SCHEDULED)
    content = {**ASSESSMENT, "outcome_education_work_training": " ", "outcome_friends_community": ""}
    with pytest.raises(ServiceError) as refused:
        services.transition_complete_assessment(actor=cast.priya, transition=transition, **content)
    assert refused.value.field == "outcome_education_work_training" and refused.value.code == "invalid"
    transition.refresh_from_db()
    assert transition.state == State.ASSESSMENT_SCHEDULED and not Assessment.objects.exists()


def test_a_worker_of_another_project_cannot_move_a_transition_on_by_calling_the_services(cast):
    transition = walk(cast, cast.alex_case, State.NOT_STARTED)
    audited = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        services.transition_consider(
            actor=cast.dev, transition=transition, significant_benefit=True, reasons="Not my young carer."
        )
    with pytest.raises(NotFound):
        services.note_add(actor=cast.dev, transition=transition, text="Not my young carer.")
    transition.refresh_from_db()
    assert transition.state == State.NOT_STARTED and transition.consideration_reasons == ""
    assert not Note.objects.exists() and AuditEntry.objects.count() == audited


def test_closing_with_no_eligible_needs_needs_the_advice_given(cast, client_for):
    transition = walk(cast, cast.alex_case, State.ASSESSMENT_COMPLETED)
    priya = client_for(cast.priya)
    url = f"/api/v1/transitions/{transition.pk}/close/"
    assert_error(priya.post(url, {"outcome": "no_eligible_needs"}, format="json"), 400)
    assert_error(priya.post(url, {"outcome": "retired"}, format="json"), 400)
    response = priya.post(
        url, {"outcome": "no_eligible_needs", "note": "Signposted to the carers' hub."}, format="json"
    )
    assert response.json()["state"] == "closed"
    assert_error(priya.post(url, {"outcome": "moved_away"}, format="json"), 409, "invalid_step")


def test_closing_while_a_hand_over_waits_withdraws_it(cast, client_for):
    transition = walk(cast, cast.alex_case, State.HANDOVER_REFERRED)
    client_for(cast.priya).post(f"/api/v1/transitions/{transition.pk}/close/", {"outcome": "moved_away"}, format="json")
    assert transition.handovers.get().status == Handover.Status.WITHDRAWN
    assert Notification.objects.filter(kind="transition.handover_withdrawn", recipient=cast.grace).exists()
    assert client_for(cast.grace).get(f"/api/v1/handovers/{transition.handovers.get().pk}/pack/").status_code == 404


def test_a_second_transition_for_the_same_young_carer_is_a_conflict(cast, client_for):
    walk(cast, cast.alex_case, State.NOT_STARTED)
    assert_error(
        client_for(cast.priya).post("/api/v1/transitions/", {"case": cast.alex_case.pk}, format="json"),
        409,
        "already_open",
    )
    assert Transition.objects.count() == 1


def test_a_worker_adds_a_note_and_reads_the_detail(cast, client_for):
    transition = walk(cast, cast.alex_case, State.CONSIDERED)
    priya = client_for(cast.priya)
    assert_error(priya.post(f"/api/v1/transitions/{transition.pk}/notes/", {"text": "  "}, format="json"), 400)
    assert (
        priya.post(
            f"/api/v1/transitions/{transition.pk}/notes/", {"text": "Dad unwell this week."}, format="json"
        ).status_code
        == 201
    )
    body = priya.get(f"/api/v1/transitions/{transition.pk}/").json()
    assert body["notes"][0]["text"] == "Dad unwell this week."
    assert AuditEntry.objects.filter(event="transition.read", object_pk=str(transition.pk), actor=cast.priya).exists()


def test_bad_ids_and_bad_bodies_are_clean_4xx(cast, client_for):
    priya = client_for(cast.priya)
    assert_error(priya.get("/api/v1/transitions/abc/"), 404)
    assert_error(priya.post("/api/v1/transitions/", {"case": "x"}, format="json"), 400)
    assert_error(priya.post("/api/v1/transitions/", {"case": 99999}, format="json"), 404)
    transition = walk(cast, cast.alex_case, State.NOT_STARTED)
    assert_error(priya.post(f"/api/v1/transitions/{transition.pk}/consider/", {"reasons": ""}, format="json"), 400)
    assert_error(
        priya.post(f"/api/v1/transitions/{transition.pk}/consider/", "nonsense", content_type="text/plain"), 415
    )


@pytest.mark.parametrize(
    "state",
    [State.NOT_STARTED, State.CONSIDERED, State.PLAN_AGREED, State.HANDOVER_REFERRED, State.ACCEPTED],
)
def test_every_step_a_transition_offers_is_a_url_the_worker_can_post_to(cast, client_for, state):
    transition = walk(cast, cast.alex_case, state)
    priya = client_for(cast.priya)
    offered = priya.get(f"/api/v1/transitions/{transition.pk}/").json()["allowed_steps"]
    assert offered and all("_" not in step for step in offered)
    assert not {"accept", "return", "confirm-steps"} & set(offered)  # adult services' steps, on the hand-over
    for step in offered:
        response = priya.post(f"/api/v1/transitions/{transition.pk}/{step}/", {}, format="json")
        assert response.status_code != 404, (step, response.content[:200])  # the step exists; an empty body is a 400
