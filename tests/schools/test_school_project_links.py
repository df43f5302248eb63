"""A project's link to a school is a request until the school's lead accepts it; only accepted links are trusted."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Membership, Organisation, Role
from notifications.models import Notification
from schools.models import SchoolProject
from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def brookfield(schools: Any) -> Organisation:
    """A register school with no links, whose lead is Ms Ade (she leads it as well as teaching at St Anne's)."""
    school = Organisation.objects.get(urn="100004")
    Membership.objects.create(user=schools.ade, organisation=school, role=Role.SCHOOL_LEAD)
    return school


def _links(school: Organisation) -> str:
    return f"/api/v1/schools/{school.pk}/projects/"


def _request(client_for: Any, schools: Any, school: Organisation) -> Any:
    return client_for(schools.tom).post(_links(school), {"project": schools.riverside.pk})


def test_a_manager_asks_and_the_link_waits_for_the_school(schools, brookfield, client_for):
    response = _request(client_for, schools, brookfield)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "requested" and response.json()["requested_by"] == "Tom Barker"
    link = SchoolProject.objects.get(school=brookfield, project=schools.riverside)
    assert (link.status, link.requested_by_id) == (SchoolProject.Status.REQUESTED, schools.tom.pk)
    assert client_for(schools.tom).get(_links(brookfield)).json() == []  # nobody can refer there yet
    assert_error(_request(client_for, schools, brookfield), 409, "already_linked")


def test_the_schools_lead_is_told_of_the_request(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    told = Notification.objects.get(kind="school.link_requested")
    assert told.recipient_id == schools.ade.pk
    assert told.title == f"Riverside Young Carers asked to work with {brookfield.name}"


def test_a_requested_link_opens_neither_the_dashboard_nor_toolkit_progress(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    for url in (f"/api/v1/schools/{brookfield.pk}/dashboard/", f"/api/v1/toolkit/progress/{brookfield.pk}/"):
        refused = client_for(schools.tom).get(url)
        missing = client_for(schools.tom).get(url.replace(str(brookfield.pk), "999999"))
        assert_error(refused, 404)
        assert refused.json() == missing.json()


def test_the_lead_accepts_and_the_link_is_trusted(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    accepted = client_for(schools.ade).post(f"{_links(brookfield)}{schools.riverside.pk}/accept/")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted" and accepted.json()["decided_by"] == "Funmi Ade"
    assert [p["name"] for p in client_for(schools.tom).get(_links(brookfield)).json()] == ["Riverside Young Carers"]
    assert client_for(schools.tom).get(f"/api/v1/schools/{brookfield.pk}/dashboard/").status_code == 200
    assert Notification.objects.filter(kind="school.link_accepted", recipient=schools.tom).exists()
    assert_error(client_for(schools.ade).post(f"{_links(brookfield)}{schools.riverside.pk}/accept/"), 409)


def test_the_lead_declines_a_request_and_ends_an_accepted_link(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    declined = client_for(schools.ade).post(f"{_links(brookfield)}{schools.riverside.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert_error(client_for(schools.tom).get(f"/api/v1/schools/{brookfield.pk}/dashboard/"), 404)
    ended = client_for(schools.khan).post(f"{_links(schools.northgate)}{schools.riverside.pk}/decline/")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert_error(client_for(schools.priya).get(f"/api/v1/schools/{schools.northgate.pk}/dashboard/"), 404)


@pytest.mark.parametrize("persona", ["tom", "priya", "dev", "khan", "sam", "grace", "cleo"])
def test_only_the_schools_lead_decides(schools, brookfield, client_for, persona):
    """The project that asked cannot accept its own request; another school's lead (Mr Khan) cannot either."""
    _request(client_for, schools, brookfield)
    client = client_for(getattr(schools, persona))
    for step in ("accept", "decline"):
        refused = client.post(f"{_links(brookfield)}{schools.riverside.pk}/{step}/")
        missing = client.post(f"{_links(brookfield)}999999/{step}/")
        assert_error(refused, 404)
        assert refused.json() == missing.json()
    assert SchoolProject.objects.get(school=brookfield).status == SchoolProject.Status.REQUESTED


def test_a_referral_goes_only_to_a_project_the_school_accepted(schools, client_for):
    SchoolProject.objects.filter(school=schools.northgate).update(status=SchoolProject.Status.REQUESTED)
    response = client_for(schools.khan).post("/api/v1/referrals/", mia_payload(schools), format="json")
    assert "project" in assert_error(response, 400)["fields"]


def test_the_school_sees_every_request_and_a_project_only_its_own(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    Membership.objects.create(user=schools.dev, organisation=schools.eastbank, role=Role.PROJECT_MANAGER)
    client_for(schools.dev).post(_links(brookfield), {"project": schools.eastbank.pk})
    url = f"/api/v1/schools/{brookfield.pk}/project-links/"
    rows = client_for(schools.ade).get(url).json()
    assert sorted((row["project"]["name"], row["status"]) for row in rows) == [
        ("Eastbank Young Carers", "requested"),
        ("Riverside Young Carers", "requested"),
    ]
    assert [row["project"]["id"] for row in client_for(schools.tom).get(url).json()] == [schools.riverside.pk]


def test_a_manager_asks_only_for_a_project_they_manage(schools, brookfield, client_for):
    refused = client_for(schools.tom).post(_links(brookfield), {"project": schools.eastbank.pk})
    missing = client_for(schools.tom).post(_links(brookfield), {"project": 999999})
    assert_error(refused, 404)
    assert refused.json() == missing.json()
    assert_error(client_for(schools.priya).post(_links(brookfield), {"project": schools.riverside.pk}), 404)
    assert not SchoolProject.objects.filter(school=brookfield).exists()


def test_the_manager_withdraws_and_can_ask_again(schools, brookfield, client_for):
    _request(client_for, schools, brookfield)
    assert client_for(schools.tom).delete(f"{_links(brookfield)}{schools.riverside.pk}/").status_code == 204
    assert SchoolProject.objects.get(school=brookfield).status == SchoolProject.Status.ENDED
    assert_error(client_for(schools.tom).delete(f"{_links(brookfield)}{schools.riverside.pk}/"), 409, "link_not_open")
    again = _request(client_for, schools, brookfield)
    assert again.status_code == 201 and again.json()["status"] == "requested"


def test_the_schools_lead_ends_a_link_and_the_project_is_told(schools, client_for):
    url = f"{_links(schools.northgate)}{schools.riverside.pk}/"
    for user in (schools.priya, schools.dev, schools.ade):
        refused = client_for(user).delete(url)
        assert_error(refused, 404)
        assert refused.json() == client_for(user).delete(f"{_links(schools.northgate)}999999/").json()
    assert client_for(schools.khan).delete(url).status_code == 204
    link = SchoolProject.objects.get(school=schools.northgate, project=schools.riverside)
    assert (link.status, link.decided_by_id) == (SchoolProject.Status.ENDED, schools.khan.pk)
    assert Notification.objects.filter(kind="school.link_declined", recipient=schools.tom).exists()


def test_asking_and_deciding_need_the_second_factor(schools, brookfield, client_for):
    from allauth.mfa.models import Authenticator

    _request(client_for, schools, brookfield)
    Authenticator.objects.filter(user__in=[schools.tom, schools.ade]).delete()
    assert_error(
        client_for(schools.ade).post(f"{_links(brookfield)}{schools.riverside.pk}/accept/"), 403, "mfa_required"
    )
    assert_error(client_for(schools.tom).delete(f"{_links(brookfield)}{schools.riverside.pk}/"), 403, "mfa_required")
    assert_error(client_for(schools.tom).post(_links(schools.northgate), {"project": schools.riverside.pk}), 403)
    assert SchoolProject.objects.get(school=brookfield).status == SchoolProject.Status.REQUESTED
