from __future__ import annotations

import pytest

from accounts.models import Membership
from audit.models import AuditEntry
from cases.models import YoungCarer
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_me_needs_a_sign_in(client_for):
    assert_error(client_for(None).get("/api/v1/me/"), 401)


@pytest.mark.parametrize(
    ("persona", "organisations"),
    [
        ("young_carer", {"Riverside Young Carers", "Northgate Academy"}),
        ("other_young_carer", {"Riverside Young Carers", "St Anne's Primary"}),
        ("key_worker", {"Riverside Young Carers"}),
        ("manager", {"Riverside Young Carers"}),
        ("other_project_worker", {"Eastbank Young Carers"}),
        ("school_staff", {"Northgate Academy"}),
        ("other_school_staff", {"St Anne's Primary"}),
        ("adult_services", {"Riverside Adult Carers Service"}),
        ("commissioner", {"Riverside Borough Council"}),
    ],
)
def test_each_persona_sees_their_own_organisations(personas, client_for, persona, organisations):
    client = client_for(personas[persona])
    names = {row["name"] for row in client.get("/api/v1/organisations/").json()["results"]}
    assert names == organisations
    me = client.get("/api/v1/me/").json()
    assert me["email"] == personas[persona].email


def test_another_organisation_is_not_found(cast, client_for):
    client = client_for(cast.priya)
    assert client.get(f"/api/v1/organisations/{cast.riverside.pk}/").status_code == 200
    assert_error(client.get(f"/api/v1/organisations/{cast.eastbank.pk}/"), 404)


def test_a_young_carer_changes_their_language(cast, client_for):
    response = client_for(cast.sam).patch("/api/v1/me/", {"locale": "cy"})
    assert response.status_code == 200 and response.json()["locale"] == "cy"
    assert "locale" in assert_error(client_for(cast.sam).patch("/api/v1/me/", {"locale": "xx"}), 400)["fields"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("manager", 200), ("key_worker", 404), ("other_project_worker", 404), ("young_carer", 404)],
)
def test_only_managers_list_members(personas, cast, client_for, persona, expected):
    response = client_for(personas[persona]).get(f"/api/v1/organisations/{cast.riverside.pk}/members/")
    assert response.status_code == expected
    if expected == 200:
        assert {row["email"] for row in response.json()["results"]} == {"priya@demo.example", "tom@demo.example"}


def test_a_manager_ends_a_membership_and_access_goes_with_it(cast, client_for):
    membership = Membership.objects.get(user=cast.priya, organisation=cast.riverside)
    assert client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/").status_code == 200
    url = f"/api/v1/organisations/{cast.riverside.pk}/members/{membership.pk}/end/"
    assert_error(client_for(cast.priya).post(url), 404)
    assert client_for(cast.tom).post(url).status_code == 200
    assert_error(client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/"), 404)
    # She is no longer anyone's key worker there, so no milestone, alert or question about them reaches her.
    assert not YoungCarer.objects.filter(organisation=cast.riverside, key_worker=cast.priya).exists()
    entry = AuditEntry.objects.filter(object_pk=str(cast.sam_case.pk), action=AuditEntry.Action.UPDATE).latest("id")
    assert entry.actor == cast.tom and "key_worker" in entry.changes


def test_a_manager_puts_a_worker_on_duty(cast, client_for):
    membership = Membership.objects.get(user=cast.priya, organisation=cast.riverside)
    url = f"/api/v1/organisations/{cast.riverside.pk}/members/{membership.pk}/on-duty/"
    assert client_for(cast.tom).post(url, {"is_on_duty": False}).json()["is_on_duty"] is False
    assert_error(client_for(cast.dev).post(url, {"is_on_duty": True}), 404)
    membership.refresh_from_db()
    assert membership.is_on_duty is False
