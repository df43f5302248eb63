"""Who sees which entries of the trail, and whether they see what the record said."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from schools import demo as schools_demo
from schools.rules import expected_year_group

pytestmark = pytest.mark.django_db

PUPIL = {"first_name": "Zara", "last_name": "Quinlan", "pupil_views": "Zara says her dad cannot get up most days."}


@pytest.fixture
def schools(cast: Any) -> Any:
    schools_demo.load_schools(cast)
    return cast


def _draft(client: Any, cast: Any) -> dict[str, Any]:
    payload = {
        "school": cast.northgate.pk,
        "project": cast.riverside.pk,
        "date_of_birth": date(2013, 5, 4).isoformat(),
        "year_group": expected_year_group(date(2013, 5, 4), timezone.localdate()),
        "gender": "female",
        "postcode": "RV1 4AB",
        "caring_tasks": ["domestic"],
        "impact_on_school": ["tiredness"],
        "parent_name": "Sam Quinlan",
        "parent_relationship": "father",
        "safeguarding_concern": False,
        "cared_for": "Dad",
        "relationship": "parent",
        "condition_category": "physical_disability",
        "pupil_knows_and_agrees": True,
        "parent_knows_and_agrees": True,
        **PUPIL,
    }
    response = client.post("/api/v1/referrals/", payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _referral_trail(client: Any, referral_id: int) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit/", {"model": "schools.referral"})
    assert response.status_code == 200, response.json()
    return [row for row in response.json()["results"] if row["object_pk"] == str(referral_id)]


def _says_anything_about_the_pupil(rows: list[dict[str, Any]]) -> bool:
    text = repr(rows)
    return any(value in text for value in (*PUPIL.values(), "2013-05-04", "Sam Quinlan"))


def test_a_project_manager_sees_that_a_schools_draft_changed_but_not_what_it_says(schools, client_for):
    draft = _draft(client_for(schools.khan), schools)
    rows = _referral_trail(client_for(schools.tom), draft["id"])
    assert rows, "the manager should see that the draft exists and changed"
    assert all(row["values_hidden"] for row in rows)
    assert "first_name" in rows[-1]["changes"] and rows[-1]["changes"]["first_name"] is None
    assert rows[-1]["object_repr"] == f"schools.referral #{draft['id']}"
    assert not _says_anything_about_the_pupil(rows)


def test_once_submitted_to_the_project_the_manager_sees_the_referrals_history_in_full(schools, client_for):
    khan = client_for(schools.khan)
    draft = _draft(khan, schools)
    assert khan.post(f"/api/v1/referrals/{draft['id']}/submit/").status_code == 200
    rows = _referral_trail(client_for(schools.tom), draft["id"])
    assert rows and not any(row["values_hidden"] for row in rows)
    assert _says_anything_about_the_pupil(rows)


def test_a_deleted_draft_keeps_its_entries_without_the_pupils_details(schools, client_for):
    khan = client_for(schools.khan)
    draft = _draft(khan, schools)
    assert khan.delete(f"/api/v1/referrals/{draft['id']}/").status_code == 204
    rows = _referral_trail(client_for(schools.tom), draft["id"])
    assert {row["action"] for row in rows} >= {"create", "delete"}
    assert all(row["values_hidden"] for row in rows)
    assert not _says_anything_about_the_pupil(rows)


def test_a_manager_sees_the_values_of_their_own_projects_case_records(cast, client_for):
    response = client_for(cast.priya).patch(
        f"/api/v1/young-carers/{cast.sam_case.pk}/", {"communication_needs": "Prefers text messages"}
    )
    assert response.status_code == 200
    rows = client_for(cast.tom).get("/api/v1/audit/", {"case": cast.sam_case.pk}).json()["results"]
    rows = [row for row in rows if row["action"] == "update"]
    assert rows and rows[0]["values_hidden"] is False
    assert rows[0]["changes"]["communication_needs"] == ["", "Prefers text messages"]


def test_reading_the_trail_is_itself_in_the_trail(cast, client_for):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    tom = client_for(cast.tom)
    assert tom.get("/api/v1/audit/").json()["results"]
    rows = tom.get("/api/v1/audit/", {"event": "audit.list", "model": "audit.auditentry"}).json()["results"]
    assert rows and rows[0]["actor"]["id"] == cast.tom.pk and rows[0]["action"] == "access"
    # The read is named by the entry's id, not by the record the entry was about (Sam's name).
    assert all(row["object_repr"].startswith("Audit entry #") for row in rows)
    assert cast.sam_case.first_name not in repr(rows)
