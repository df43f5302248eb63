from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from notifications.models import Notification
from tests.helpers import assert_error
from tests.transitions.conftest import walk
from transitions.models import Handover, State

pytestmark = pytest.mark.django_db


def _referred(cast) -> Handover:
    return walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()


def test_grace_sees_the_hand_over_in_her_inbox_and_another_adult_service_does_not(
    cast, client_for, other_adult_service
):
    handover = _referred(cast)
    _, hugo = other_adult_service
    inbox = client_for(cast.grace).get("/api/v1/handovers/?status=pending").json()["results"]
    assert [row["id"] for row in inbox] == [handover.pk]
    assert inbox[0]["young_person"]["first_name"] == "Alex" and inbox[0]["project"] == "Riverside Young Carers"
    assert client_for(hugo).get("/api/v1/handovers/").json()["results"] == []
    assert_error(client_for(hugo).get(f"/api/v1/handovers/{handover.pk}/"), 404, "not_found")
    assert_error(
        client_for(hugo).post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": hugo.pk}, format="json"), 404
    )
    assert client_for(cast.grace).get(f"/api/v1/handovers/{handover.pk}/").status_code == 200


def test_an_acceptance_naming_someone_outside_the_receiving_service_is_refused(cast, client_for, other_adult_service):
    handover = _referred(cast)
    _, hugo = other_adult_service
    for outsider in (hugo, cast.priya):
        response = client_for(cast.grace).post(
            f"/api/v1/handovers/{handover.pk}/accept/", {"worker": outsider.pk}, format="json"
        )
        error = assert_error(response, 400)
        assert "worker" in error["fields"]
    assert_error(
        client_for(cast.grace).post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": 99999}, format="json"), 400
    )
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING and handover.transition.state == State.HANDOVER_REFERRED


def test_the_project_cannot_accept_its_own_hand_over(cast, client_for):
    handover = _referred(cast)
    response = client_for(cast.priya).post(
        f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json"
    )
    assert_error(response, 404)


def test_a_returned_hand_over_goes_back_to_the_project_with_the_clock_running(cast, client_for):
    handover = _referred(cast)
    grace = client_for(cast.grace)
    assert_error(grace.post(f"/api/v1/handovers/{handover.pk}/return/", {"reason": ""}, format="json"), 400)
    response = grace.post(
        f"/api/v1/handovers/{handover.pk}/return/", {"reason": "Lives outside our area."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "returned"
    transition = handover.transition
    transition.refresh_from_db()
    assert transition.state == State.RETURNED
    note = Notification.objects.get(kind="transition.handover_returned", recipient=cast.priya)
    assert "Lives outside our area." in note.body
    # Answered once: a second answer is a conflict.
    assert_error(grace.post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json"), 409)
    # Adult services keep the row, not the record.
    assert grace.get(f"/api/v1/handovers/{handover.pk}/").status_code == 200
    assert_error(grace.get(f"/api/v1/handovers/{handover.pk}/pack/"), 404)
    # The project refers again (to the right service, say).
    again = client_for(cast.priya).post(
        f"/api/v1/transitions/{transition.pk}/refer/", {"organisation": cast.adult_services.pk}, format="json"
    )
    assert again.status_code == 201
    assert transition.handovers.count() == 2


def test_confirming_steps_needs_an_accepted_hand_over(cast, client_for):
    handover = _referred(cast)
    response = client_for(cast.grace).post(
        f"/api/v1/handovers/{handover.pk}/confirm-steps/", {"note": "Done."}, format="json"
    )
    assert_error(response, 409, "invalid_step")


def test_adult_services_are_reminded_then_their_managers_and_the_key_worker_told(cast, run_tasks, adult_manager):
    with time_machine.travel(datetime(2026, 12, 18, 10, tzinfo=UTC), tick=False):
        handover = _referred(cast)
    assert handover.respond_by == date(2027, 1, 6)  # 10 working days, around Christmas and New Year
    with time_machine.travel(datetime(2027, 1, 4, 8, 30, tzinfo=UTC), tick=False):
        run_tasks()
    assert not Notification.objects.filter(kind="transition.handover_reminder").exists()
    with time_machine.travel(datetime(2027, 1, 4, 9, 1, tzinfo=UTC), tick=False):
        run_tasks()
    reminded = set(
        Notification.objects.filter(kind="transition.handover_reminder").values_list("recipient_id", flat=True)
    )
    assert reminded == {cast.grace.pk, adult_manager.pk}
    with time_machine.travel(datetime(2027, 1, 7, 9, 1, tzinfo=UTC), tick=False):
        run_tasks()
        run_tasks()
    escalated = list(
        Notification.objects.filter(kind="transition.handover_escalated").values_list("recipient_id", flat=True)
    )
    assert sorted(escalated) == sorted([adult_manager.pk, cast.priya.pk])
    handover.refresh_from_db()
    assert handover.reminded_at and handover.escalated_at


def test_an_accepted_hand_over_is_not_escalated(cast, client_for, run_tasks, adult_manager):
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=UTC), tick=False):
        handover = _referred(cast)
        client_for(cast.grace).post(
            f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json"
        )
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=UTC), tick=False):
        run_tasks()
    assert not Notification.objects.filter(
        kind__in=["transition.handover_reminder", "transition.handover_escalated"]
    ).exists()


def test_a_manager_at_the_adult_service_may_accept_for_a_worker(cast, client_for, adult_manager):
    handover = _referred(cast)
    response = client_for(adult_manager).post(
        f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["worker"]["id"] == cast.grace.pk


def test_the_named_worker_is_told_when_a_manager_accepts_for_them(cast, client_for, adult_manager):
    handover = _referred(cast)
    client_for(adult_manager).post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json")
    told = Notification.objects.get(recipient=cast.grace, kind="transition.handover_assigned")
    assert "Alex" in told.title and told.deep_link == f"portal://handovers/{handover.pk}"
    assert not Notification.objects.filter(recipient=adult_manager, kind="transition.handover_assigned").exists()


def test_a_worker_accepting_for_themselves_is_not_told_twice(cast, client_for):
    handover = _referred(cast)
    client_for(cast.grace).post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json")
    assert not Notification.objects.filter(kind="transition.handover_assigned").exists()
