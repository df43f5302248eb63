from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.helpers import assert_error
from tests.transitions.conftest import walk
from transitions import services
from transitions.models import State

pytestmark = pytest.mark.django_db


def test_alex_sees_the_plan_in_plain_words_and_who_the_adult_contact_will_be(cast, client_for):
    transition = walk(cast, cast.alex_case, State.HANDOVER_REFERRED)
    services.note_add(actor=cast.priya, transition=transition, text="Worried about Dad's drinking.")
    body = client_for(cast.alex).get("/api/v1/transitions/mine/").json()
    assert body["stage"] == "handover_referred"
    assert body["goals"] == ["Finish college"]
    assert body["actions"][0]["who"] == "Priya"
    assert body["adult_services_contact"] == {
        "name": None,
        "organisation": "Riverside Adult Carers Service",
        "confirmed": False,
    }
    assert body["key_worker"] == "Priya"
    assert len(body["road"]) == 5 and body["road"][0]["reached"] is True
    flat = str(body)
    assert "Drinking" not in flat and "drinking" not in flat  # never the workers' notes
    assert "Tired at college" not in flat  # nor the assessment's wording

    services.handover_accept(actor=cast.grace, handover=transition.handovers.get(), worker=cast.grace)
    contact = client_for(cast.alex).get("/api/v1/transitions/mine/").json()["adult_services_contact"]
    assert contact == {"name": "Grace", "organisation": "Riverside Adult Carers Service", "confirmed": True}


def test_a_young_carer_with_no_transition_yet_sees_the_road_ahead(cast, client_for):
    body = client_for(cast.sam).get("/api/v1/transitions/mine/").json()
    assert body["stage"] == "not_started" and body["goals"] == [] and body["adult_services_contact"] is None
    assert [step["reached"] for step in body["road"]] == [True, False, False, False, False]


@pytest.mark.parametrize("persona", ["key_worker", "manager", "school_staff", "adult_services", "commissioner"])
def test_staff_have_no_mine(personas, client_for, persona):
    assert_error(client_for(personas[persona]).get("/api/v1/transitions/mine/"), 404)
    assert_error(
        client_for(personas[persona]).post("/api/v1/transitions/mine/question/", {"text": "hi"}, format="json"), 404
    )


def test_the_young_person_asks_their_key_worker_a_question(cast, client_for):
    response = client_for(cast.alex).post(
        "/api/v1/transitions/mine/question/", {"text": "Can Aunt Carol come to the meeting?"}, format="json"
    )
    assert response.status_code == 202
    note = Notification.objects.get(kind="message.to_worker")
    assert note.recipient == cast.priya
    assert note.title == "Question from Alex" and "Aunt Carol" in note.body
    assert_error(client_for(cast.alex).post("/api/v1/transitions/mine/question/", {"text": "  "}, format="json"), 400)
    assert_error(client_for(None).get("/api/v1/transitions/mine/"), 401)
