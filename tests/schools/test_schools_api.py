from __future__ import annotations

import pytest

from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db

LIST = {
    "young_carer": set(),
    "other_young_carer": set(),
    "key_worker": "all",
    "manager": "all",
    "other_project_worker": "all",
    "school_staff": {"Northgate Academy"},
    "other_school_staff": {"St Anne's Primary"},
    "adult_services": set(),
    "commissioner": "all",
}


@pytest.mark.parametrize(("persona", "expected"), LIST.items())
def test_each_persona_lists_schools(schools, personas, client_for, persona, expected):
    response = client_for(personas[persona]).get("/api/v1/schools/?page_size=100")
    names = {row["name"] for row in response.json()["results"]}
    if expected == "all":
        assert {"Northgate Academy", "St Anne's Primary", "Brookfield Primary School"} <= names
    else:
        assert names == expected
    northgate = client_for(personas[persona]).get(f"/api/v1/schools/{schools.northgate.pk}/")
    assert northgate.status_code == (200 if expected == "all" or "Northgate Academy" in expected else 404)


def test_a_school_shows_its_register_details_lead_and_award(schools, client_for):
    row = client_for(schools.khan).get(f"/api/v1/schools/{schools.northgate.pk}/").json()
    assert (row["urn"], row["phase"], row["local_authority"], row["award_level"]) == (
        "100001",
        "secondary",
        "Riverside",
        "silver",
    )
    assert row["young_carers_lead"]["id"] == schools.khan.pk


def test_the_lead_updates_the_award_but_not_register_fields(schools, client_for):
    khan = client_for(schools.khan)
    url = f"/api/v1/schools/{schools.northgate.pk}/"
    assert_error(khan.patch(url, {"award_level": "gold", "award_expires_on": None}, format="json"), 400)
    done = khan.patch(url, {"award_level": "gold", "award_expires_on": "2029-07-31"}, format="json")
    assert done.status_code == 200 and done.json()["award_level"] == "gold"
    assert_error(khan.patch(url, {"young_carers_lead": schools.ade.pk}, format="json"), 400)
    assert_error(client_for(schools.ade).patch(url, {"award_level": ""}, format="json"), 404)
    assert_error(client_for(schools.priya).patch(url, {"award_level": ""}, format="json"), 403)
    assert client_for(schools.tom).patch(url, {"award_level": ""}, format="json").json()["award_expires_on"] is None


def test_a_manager_links_their_project_to_a_school(schools, client_for):
    from accounts.models import Organisation

    brookfield = Organisation.objects.get(urn="100004")
    url = f"/api/v1/schools/{brookfield.pk}/projects/"
    assert client_for(schools.tom).get(url).json() == []
    assert_error(client_for(schools.priya).post(url, {"project": schools.riverside.pk}), 404)
    assert client_for(schools.tom).post(url, {"project": schools.riverside.pk}).status_code == 201
    assert_error(client_for(schools.tom).post(url, {"project": schools.riverside.pk}), 409)
    assert client_for(schools.tom).get(url).json() == []  # a request until the school accepts it
    assert client_for(schools.tom).delete(f"{url}{schools.riverside.pk}/").status_code == 204


def test_the_dashboard_shows_counts_and_only_its_own_pupils(schools, client_for, submit_referral):
    submit_referral(schools.khan, mia_payload(schools))
    dashboard = client_for(schools.khan).get(f"/api/v1/schools/{schools.northgate.pk}/dashboard/").json()
    assert dashboard["referrals_by_status"]["submitted"] == 1
    assert dashboard["young_carers_identified"]["with_a_record"] == 0  # Sam has not agreed to share with school
    assert [p["first_name"] for p in dashboard["referred_pupils"]] == ["Mia"]  # not Sam: Northgate did not refer him
    worker_view = client_for(schools.priya).get(f"/api/v1/schools/{schools.northgate.pk}/dashboard/").json()
    assert worker_view["referred_pupils"] == [] and worker_view["referrals_by_status"]["submitted"] == 1
    for user in (schools.ade, schools.dev, schools.sam, schools.grace, schools.cleo):
        assert_error(client_for(user).get(f"/api/v1/schools/{schools.northgate.pk}/dashboard/"), 404)


def test_reading_the_dashboard_records_which_referred_pupils_the_school_saw(schools, client_for, submit_referral):
    from audit.models import AuditEntry

    referral = submit_referral(schools.khan, mia_payload(schools))
    url = f"/api/v1/schools/{schools.northgate.pk}/dashboard/"
    assert client_for(schools.khan).get(url).status_code == 200
    read = AuditEntry.objects.filter(
        object_pk=str(referral["id"]), action=AuditEntry.Action.ACCESS, event="referral.dashboard"
    )
    assert [entry.actor_id for entry in read] == [schools.khan.pk]
    assert client_for(schools.priya).get(url).status_code == 200  # figures only: no pupil read, nothing recorded
    assert read.count() == 1


def test_the_school_list_query_count_stays_flat(schools, client_for, django_assert_max_num_queries):
    client = client_for(schools.priya)
    with django_assert_max_num_queries(10) as few:
        response = client.get("/api/v1/schools/?page_size=3")
    baseline = len(few)
    with django_assert_max_num_queries(baseline):
        assert len(client.get("/api/v1/schools/?page_size=50").json()["results"]) == 16
    assert response.status_code == 200
