"""The demo, end to end: Alex's hand-over is waiting for Grace; Riley is at risk; nobody reaches 18 unaccounted for."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backend.demo import build_cast
from tests.transitions.test_pack import _text
from transitions import demo, services
from transitions.models import Handover, Milestone, State, Transition
from transitions.road import birthday
from transitions.selectors import figures_for_projects

pytestmark = pytest.mark.django_db


def test_the_demo_story(cast, client_for):
    demo.load(cast)
    demo.load(build_cast())  # loading again changes nothing
    assert Transition.objects.filter(case=cast.alex_case).count() == 1 and Handover.objects.count() == 1

    alex = Transition.objects.get(case=cast.alex_case)
    assert alex.state == State.HANDOVER_REFERRED and alex.assessment and alex.plan
    handover = alex.handovers.get()
    assert handover.organisation == cast.adult_services and handover.basis == Handover.Basis.CONSENT

    at_risk = client_for(cast.priya).get("/api/v1/transitions/at-risk/").json()
    assert [row["case"]["first_name"] for row in at_risk] == ["Riley"]

    grace = client_for(cast.grace)
    assert [row["id"] for row in grace.get("/api/v1/handovers/?status=pending").json()["results"]] == [handover.pk]
    text = _text(grace.get(f"/api/v1/handovers/{handover.pk}/pack.pdf").content)
    assert "Alex Morgan" in text and "Finish the Level 3 course" in text and "Aunt Carol" in text
    response = grace.post(f"/api/v1/handovers/{handover.pk}/accept/", {"worker": cast.grace.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert client_for(cast.alex).get("/api/v1/transitions/mine/").json()["adult_services_contact"]["name"] == "Grace"

    assert figures_for_projects({cast.riverside.pk, cast.eastbank.pk})["reached_18_unaccounted"]["count"] == 0
    services.transition_start_joint_working(actor=cast.priya, transition=alex)
    eighteenth = birthday(cast.alex_case.date_of_birth, 18)
    with time_machine.travel(datetime.combine(eighteenth, time(9), tzinfo=ZoneInfo("Europe/London")), tick=False):
        services.milestones_mark()
        milestone = Milestone.objects.get(case=cast.alex_case, kind="age_18")
        assert not milestone.needs_attention
        figures = figures_for_projects({cast.riverside.pk, cast.eastbank.pk})
        assert figures["accepted_before_18"]["count"] == 1
        assert cast.alex_case.pk not in figures["reached_18_unaccounted"]["case_ids"]
