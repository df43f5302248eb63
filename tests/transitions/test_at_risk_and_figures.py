from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Consent, YoungCarer
from tests.helpers import assert_error
from tests.transitions.conftest import walk
from transitions import services
from transitions.models import Handover, State
from transitions.selectors import figures_for_projects

pytestmark = pytest.mark.django_db


def _case(cast, first: str, born: date, **extra) -> YoungCarer:
    return YoungCarer.objects.create(
        organisation=cast.riverside,
        first_name=first,
        last_name="Test",
        date_of_birth=born,
        key_worker=cast.priya,
        **{"status": YoungCarer.Status.ACTIVE, **extra},
    )


def _consent(case: YoungCarer, when: datetime) -> None:
    Consent.objects.create(
        case=case,
        subject="share_with_adult_services",
        given=True,
        basis="own",
        given_by_name=case.full_name,
        given_by_relationship="self",
        given_at=when,
    )


def test_the_at_risk_list_shows_those_approaching_18_without_a_plan_soonest_first(cast, client_for):
    today = timezone.localdate()
    soon = _case(cast, "Soon", today - relativedelta(years=17, months=11))
    later = _case(cast, "Later", today - relativedelta(years=17, months=3))
    _case(cast, "Young", today - relativedelta(years=16, months=6))  # 18 in 18 months: not yet
    planned = _case(cast, "Planned", today - relativedelta(years=17, months=8))
    walk(cast, planned, State.PLAN_AGREED)
    walk(cast, later, State.CONSIDERED)
    rows = client_for(cast.priya).get("/api/v1/transitions/at-risk/").json()
    # Alex (17 and a half, in the cast) has no plan yet either.
    assert [row["case"]["first_name"] for row in rows] == ["Soon", "Alex", "Later"]
    assert rows[0]["state"] == "not_started" and rows[0]["transition"] is None and 0 < rows[0]["days_to_18"] <= 31
    assert rows[2]["state"] == "considered"
    assert soon.pk == rows[0]["case"]["id"]


@pytest.mark.parametrize("persona", ["other_project_worker", "school_staff", "adult_services", "commissioner"])
def test_the_at_risk_list_is_empty_for_those_outside_the_project(personas, cast, client_for, persona):
    _case(cast, "Soon", timezone.localdate() - relativedelta(years=17, months=11))
    assert client_for(personas[persona]).get("/api/v1/transitions/at-risk/").json() == []


def test_the_young_person_gets_no_at_risk_list(cast, client_for):
    assert client_for(cast.sam).get("/api/v1/transitions/at-risk/").json() == []


def _delta(after: dict, before: dict, name: str) -> dict:
    return {key: after[name][key] - before[name][key] for key in ("count", "of")}


def test_figures_for_reports(cast):
    on = date(2026, 6, 1)
    baseline = figures_for_projects({cast.riverside.pk}, today=on)  # the cast's own young carers, whatever today is
    with time_machine.travel(datetime(2025, 1, 6, 10, tzinfo=UTC), tick=False):
        # On time: considered at 16, assessed at 17, accepted before 18.
        on_time = _case(cast, "OnTime", date(2008, 3, 1))
        _consent(on_time, datetime(2025, 1, 1, tzinfo=UTC))
        walk(cast, on_time, State.CONSIDERED)
        lost = _case(cast, "Lost", date(2007, 2, 1))  # turns 18 on 1 Feb 2025, nothing done
        closed = _case(cast, "Moved", date(2007, 3, 1))
    with time_machine.travel(datetime(2025, 2, 3, 10, tzinfo=UTC), tick=False):
        walk(cast, on_time, State.HANDOVER_REFERRED)
        transition = walk(cast, closed, State.CONSIDERED)
        services.transition_close(actor=cast.priya, transition=transition, outcome="moved_away")
    with time_machine.travel(datetime(2025, 2, 10, 10, tzinfo=UTC), tick=False):
        services.handover_accept(
            actor=cast.grace, handover=Handover.objects.get(transition__case=on_time), worker=cast.grace
        )
    figures = figures_for_projects({cast.riverside.pk}, today=on)
    assert _delta(figures, baseline, "accepted_before_18") == {"count": 1, "of": 3}
    assert figures["median_days_referral_to_acceptance"] == 7.0
    assert figures["reached_18_unaccounted"] == {"count": 1, "case_ids": [lost.pk]}
    assert _delta(figures, baseline, "assessed_before_17_and_a_half") == {"count": 1, "of": 3}
    assert _delta(figures, baseline, "considered_by_16") == {"count": 0, "of": 3}


def test_figures_endpoint_is_for_project_staff(cast, client_for):
    body = client_for(cast.tom).get("/api/v1/transitions/figures/").json()
    assert body["reached_18_unaccounted"]["count"] == 0
    assert client_for(cast.cleo).get("/api/v1/transitions/figures/").json()["accepted_before_18"] == {
        "count": 0,
        "of": 0,
    }
    assert_error(client_for(None).get("/api/v1/transitions/figures/"), 401)
