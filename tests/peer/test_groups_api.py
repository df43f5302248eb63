from __future__ import annotations

import pytest

from api.peer.models import GroupMembership, PeerGroup
from audit.models import AuditEntry
from notifications.models import Notification
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "young_carer": 404,
    "other_young_carer": 404,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


@pytest.mark.parametrize("persona", STAFF_ONLY)
def test_each_persona_lists_the_groups_they_may_see(personas, client_for, teens, juniors, persona):
    response = client_for(personas[persona]).get("/api/v1/groups/")
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    expected = {
        "young_carer": {"Thursday Teens"},  # Sam, 15: a member; Juniors are 8-11
        "other_young_carer": {"Tuesday Juniors"},
        "key_worker": {"Thursday Teens", "Tuesday Juniors"},
        "manager": {"Thursday Teens", "Tuesday Juniors"},
    }.get(persona, set())
    assert names == expected


def test_a_young_carer_sees_groups_they_are_eligible_for_but_not_in(cast, client_for, teens):
    teens.memberships.all().delete()
    rows = client_for(cast.sam).get("/api/v1/groups/").json()["results"]
    assert [(r["name"], r["my_status"]) for r in rows] == [("Thursday Teens", None)]


@pytest.mark.parametrize(("persona", "expected"), {**STAFF_ONLY, "young_carer": 200}.items())
def test_each_persona_reading_a_group(personas, client_for, teens, persona, expected):
    response = client_for(personas[persona]).get(f"/api/v1/groups/{teens.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["schedule_summary"] == "Weekly on Thursdays, 16:30-18:00"
    else:
        assert_error(response, 404, "not_found")


PAYLOAD = {
    "name": "Saturday Club",
    "min_age": 8,
    "max_age": 13,
    "recurrence": "FREQ=WEEKLY;BYDAY=SA",
    "starts_on": "2030-01-05",
    "start_time": "10:00",
    "end_time": "12:00",
    "venue": "Library",
    "exception_dates": ["2030-02-16"],
}


@pytest.mark.parametrize("persona", STAFF_ONLY)
def test_only_the_projects_workers_create_groups(personas, client_for, persona):
    response = client_for(personas[persona]).post("/api/v1/groups/", PAYLOAD)
    if STAFF_ONLY[persona] == 200 or persona == "other_project_worker":  # Dev: in Eastbank, his own project
        assert response.status_code == 201, response.json()
        assert response.json()["exception_dates"] == ["2030-02-16"]
        assert AuditEntry.objects.filter(content_type__model="peergroup", action=AuditEntry.Action.CREATE).exists()
    else:
        assert response.status_code == 404
        assert not PeerGroup.objects.filter(name="Saturday Club").exists()


def test_a_worker_of_another_project_cannot_create_one_in_ours(cast, client_for):
    response = client_for(cast.dev).post("/api/v1/groups/", {**PAYLOAD, "organisation": cast.riverside.pk})
    error = assert_error(response, 400)
    assert error["fields"] == {"organisation": ["Choose one of your projects."]}
    assert client_for(cast.dev).post("/api/v1/groups/", PAYLOAD).status_code == 201  # in Eastbank it works


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recurrence": "FREQ=HOURLY"}, "recurrence"),
        ({"end_time": "09:00"}, "end_time"),
        ({"min_age": 14, "max_age": 12}, "min_age"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=SA", "starts_on": None}, "starts_on"),
    ],
)
def test_bad_groups_are_refused_and_nothing_is_written(cast, client_for, change, field):
    response = client_for(cast.priya).post("/api/v1/groups/", {**PAYLOAD, **change})
    error = assert_error(response, 400)
    assert field in error.get("fields", {}), error
    assert not PeerGroup.objects.filter(name="Saturday Club").exists()


def test_a_worker_moves_the_schedule_with_a_patch(cast, client_for, teens):
    response = client_for(cast.priya).patch(f"/api/v1/groups/{teens.pk}/", {"recurrence": "FREQ=WEEKLY;BYDAY=FR"})
    assert response.status_code == 200, response.json()
    assert response.json()["schedule_summary"].startswith("Weekly on Fridays")
    assert_error(client_for(cast.dev).patch(f"/api/v1/groups/{teens.pk}/", {"name": "x"}), 404)


class TestMembership:
    def test_a_worker_enrols_an_eligible_young_carer(self, cast, client_for, teens):
        teens.memberships.all().delete()
        response = client_for(cast.priya).post(f"/api/v1/groups/{teens.pk}/members/", {"young_carer": cast.sam_case.pk})
        assert response.status_code == 201, response.json()
        assert Notification.objects.filter(recipient=cast.sam, kind="group.joined").exists()

    def test_an_ineligible_young_carer_cannot_be_enrolled(self, cast, client_for, teens):
        response = client_for(cast.priya).post(f"/api/v1/groups/{teens.pk}/members/", {"young_carer": cast.jo_case.pk})
        assert_error(response, 400, "not_eligible")
        assert not teens.memberships.filter(case=cast.jo_case).exists()

    def test_a_young_carer_of_another_project_cannot_be_enrolled(self, cast, client_for, teens):
        response = client_for(cast.priya).post(f"/api/v1/groups/{teens.pk}/members/", {"young_carer": cast.kai_case.pk})
        assert_error(response, 404)

    def test_a_full_group_takes_no_one_else(self, cast, client_for, teens):
        teens.capacity = 1
        teens.save()
        response = client_for(cast.priya).post(
            f"/api/v1/groups/{teens.pk}/members/", {"young_carer": cast.alex_case.pk}
        )
        assert_error(response, 409, "group_full")

    @pytest.mark.parametrize("persona", STAFF_ONLY)
    def test_only_workers_see_the_member_list(self, personas, client_for, teens, persona):
        response = client_for(personas[persona]).get(f"/api/v1/groups/{teens.pk}/members/")
        assert response.status_code == STAFF_ONLY[persona]
        if response.status_code == 200:
            assert [m["young_carer"]["first_name"] for m in response.json()] == ["Sam"]

    def test_asking_to_join_then_approval(self, cast, client_for, teens):
        teens.memberships.all().delete()
        asked = client_for(cast.sam).post(f"/api/v1/groups/{teens.pk}/join/")
        assert asked.status_code == 201 and asked.json()["status"] == "requested"
        assert Notification.objects.filter(recipient=cast.priya, kind="group.join_requested").exists()
        assert_error(client_for(cast.sam).post(f"/api/v1/groups/{teens.pk}/join/"), 409, "already_requested")
        assert_error(client_for(cast.sam).post(f"/api/v1/groups/{teens.pk}/members/{cast.sam_case.pk}/approve/"), 404)
        approved = client_for(cast.priya).post(f"/api/v1/groups/{teens.pk}/members/{cast.sam_case.pk}/approve/")
        assert approved.status_code == 200 and approved.json()["status"] == "active"

    def test_a_young_carer_cannot_ask_to_join_a_group_they_cannot_see(self, cast, client_for, juniors, teens):
        assert_error(client_for(cast.sam).post(f"/api/v1/groups/{juniors.pk}/join/"), 404)
        assert_error(client_for(cast.khan).post(f"/api/v1/groups/{teens.pk}/join/"), 404)

    def test_declining_and_removing(self, cast, client_for, teens):
        client = client_for(cast.priya)
        assert client.post(f"/api/v1/groups/{teens.pk}/members/{cast.sam_case.pk}/remove/").json()["status"] == "left"
        client_for(cast.sam).post(f"/api/v1/groups/{teens.pk}/join/")
        assert (
            client.post(f"/api/v1/groups/{teens.pk}/members/{cast.sam_case.pk}/decline/").json()["status"] == "declined"
        )
        assert not GroupMembership.objects.filter(group=teens, status__in=["active", "requested"]).exists()


def test_the_group_list_keeps_a_flat_query_count(cast, client_for, teens, django_assert_max_num_queries):
    from api.peer import services

    client = client_for(cast.priya)
    client.get("/api/v1/groups/")
    with django_assert_max_num_queries(20) as small:
        client.get("/api/v1/groups/")
    for index in range(15):
        services.group_create(
            actor=cast.priya, organisation=cast.riverside, name=f"Group {index}", min_age=8, max_age=17
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/groups/")
    assert response.json()["count"] == 16
