from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.wellbeing.models import CheckIn
from cases.models import YoungCarer
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def _checkin(case, mood, hours_ago=1, words=""):
    now = timezone.now()
    return CheckIn.objects.create(
        id=uuid.uuid4(),
        case=case,
        mood=mood,
        words=words,
        recorded_at=now - timedelta(hours=hours_ago),
        received_at=now,
    )


def _rows(client):
    response = client.get("/api/v1/checkins/caseload/")
    assert response.status_code == 200, response.content
    return response.json(), {row["case"]["name"].split()[0]: row for row in response.json()["results"]}


def test_priyas_caseload_shows_red_amber_green_with_reasons(cast, client_for):
    _checkin(cast.sam_case, 4)
    _checkin(cast.jo_case, 2)
    client_for(cast.alex).post("/api/v1/help/", {}, format="json")
    _checkin(cast.alex_case, 3)
    _, rows = _rows(client_for(cast.priya))
    assert set(rows) == {"Jo", "Sam", "Alex"}
    assert rows["Sam"]["status"] == "green"
    assert rows["Jo"]["status"] == "amber" and rows["Jo"]["reasons"][0]["code"] == "low_mood"
    assert rows["Alex"]["status"] == "red" and rows["Alex"]["reasons"][0]["code"] == "open_alert"


def test_what_changed_since_priya_last_looked(cast, client_for):
    priya = client_for(cast.priya)
    _checkin(cast.sam_case, 4)
    first, rows = _rows(priya)
    assert first["last_viewed_at"] is None and rows["Sam"]["changes"]["new_checkins"] is None
    _checkin(cast.sam_case, 1)
    client_for(cast.sam).post("/api/v1/help/", {}, format="json")
    second, rows = _rows(priya)
    assert second["last_viewed_at"] is not None
    assert rows["Sam"]["changes"] == {"new_checkins": 1, "new_alerts": 1, "status_was": "green"}
    assert rows["Jo"]["changes"] == {"new_checkins": 0, "new_alerts": 0, "status_was": None}


def test_nobody_is_quietly_green_when_they_stop_checking_in(cast, client_for):
    _checkin(cast.sam_case, 5, hours_ago=24 * 20)
    _, rows = _rows(client_for(cast.priya))
    assert rows["Sam"]["status"] == "amber" and rows["Sam"]["reasons"][0]["code"] == "quiet"


@pytest.mark.parametrize("persona", ["young_carer", "school_staff", "adult_services", "commissioner"])
def test_only_project_staff_have_a_caseload(personas, client_for, persona):
    assert_error(client_for(personas[persona]).get("/api/v1/checkins/caseload/"), 404)


def test_a_worker_of_another_project_sees_only_their_own(cast, client_for):
    _, rows = _rows(client_for(cast.dev))
    assert set(rows) == {"Kai"}


def test_the_caseload_stays_flat_in_queries(cast, client_for, django_assert_max_num_queries):
    priya = client_for(cast.priya)
    _checkin(cast.sam_case, 3)
    with django_assert_max_num_queries(20) as few:
        priya.get("/api/v1/checkins/caseload/")
    for n in range(25):
        case = YoungCarer.objects.create(
            organisation=cast.riverside,
            first_name=f"Young{n}",
            last_name="Person",
            date_of_birth=cast.sam_case.date_of_birth,
            key_worker=cast.priya,
            status="active",
        )
        for hours in (2, 30, 100):
            _checkin(case, 1 + n % 5, hours_ago=hours)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert len(priya.get("/api/v1/checkins/caseload/").json()["results"]) == 28
    assert len(many.captured_queries) <= len(few.captured_queries)
