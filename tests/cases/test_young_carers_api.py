from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from audit.models import AuditEntry
from cases.models import YoungCarer
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

# Who may read Sam's record (Riverside Young Carers): Sam, and Riverside's staff.
READ_SAMS_RECORD = {
    "young_carer": 200,
    "other_young_carer": 404,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


@pytest.mark.parametrize(("persona", "expected"), READ_SAMS_RECORD.items())
def test_each_persona_reading_sams_record(personas, cast, client_for, persona, expected):
    response = client_for(personas[persona]).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["first_name"] == "Sam"
    else:
        assert_error(response, 404, "not_found")


def test_a_missing_record_and_a_forbidden_record_look_the_same(cast, client_for):
    client = client_for(cast.dev)
    forbidden = client.get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    missing = client.get("/api/v1/young-carers/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


@pytest.mark.parametrize("persona", READ_SAMS_RECORD)
def test_each_persona_lists_only_what_they_may_see(personas, cast, client_for, persona):
    response = client_for(personas[persona]).get("/api/v1/young-carers/")
    assert response.status_code == 200
    names = {row["first_name"] for row in response.json()["results"]}
    expected = {
        "young_carer": {"Sam"},
        "other_young_carer": {"Jo"},
        "key_worker": {"Jo", "Sam", "Alex"},
        "manager": {"Jo", "Sam", "Alex"},
        "other_project_worker": {"Kai"},
    }.get(persona, set())
    assert names == expected


def test_staff_without_mfa_cannot_read_case_data(cast, client_for):
    Authenticator.objects.filter(user=cast.priya).delete()
    assert_error(client_for(cast.priya).get("/api/v1/young-carers/"), 403, "mfa_required")
    assert_error(client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/"), 403, "mfa_required")
    # The young person needs no second factor to see their own record.
    assert client_for(cast.sam).get(f"/api/v1/young-carers/{cast.sam_case.pk}/").status_code == 200


def test_demo_relaxation_lets_staff_in_without_mfa(cast, client_for, settings):
    Authenticator.objects.filter(user=cast.priya).delete()
    settings.DEMO_RELAX_MFA = True
    assert client_for(cast.priya).get("/api/v1/young-carers/").status_code == 200


def test_reading_a_record_is_audited_with_who_and_from_which_client(cast, client_for):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/", HTTP_USER_AGENT="YoungCarersApp/2.1")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(cast.sam_case.pk)).latest("id")
    assert entry.actor == cast.priya
    assert entry.client == "app"
    assert entry.user_agent == "YoungCarersApp/2.1"
    assert entry.organisation_id == cast.riverside.pk
    assert entry.case_id == cast.sam_case.pk
    assert entry.event == "case.read"


def test_listing_keeps_a_flat_query_count(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.priya)
    client.get("/api/v1/young-carers/")  # warm caches (content types)
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/young-carers/")
    for index in range(30):
        YoungCarer.objects.create(
            organisation=cast.riverside,
            first_name=f"Extra{index}",
            last_name="Carer",
            date_of_birth=cast.sam_case.date_of_birth,
            key_worker=cast.priya,
            school=cast.northgate,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/young-carers/")
    assert response.json()["count"] == 33


class TestCreate:
    payload = {"first_name": "Lee", "last_name": "Fox", "date_of_birth": "2014-03-02"}

    def test_a_worker_opens_a_record_in_their_project(self, cast, client_for):
        response = client_for(cast.priya).post(
            "/api/v1/young-carers/", {**self.payload, "key_worker": cast.priya.pk, "school": cast.northgate.pk}
        )
        assert response.status_code == 201, response.json()
        case = YoungCarer.objects.get(pk=response.json()["id"])
        assert case.organisation == cast.riverside and case.status == "active"
        created = AuditEntry.objects.get(
            action=AuditEntry.Action.CREATE, object_pk=str(case.pk), content_type__model="youngcarer"
        )
        assert created.actor == cast.priya

    @pytest.mark.parametrize("persona", ["young_carer", "school_staff", "adult_services", "commissioner"])
    def test_others_cannot_open_records(self, personas, cast, client_for, persona):
        response = client_for(personas[persona]).post(
            "/api/v1/young-carers/", {**self.payload, "organisation": cast.riverside.pk}
        )
        assert response.status_code in (403, 404)
        assert not YoungCarer.objects.filter(first_name="Lee").exists()

    def test_a_worker_of_another_project_cannot_open_one_in_ours(self, cast, client_for):
        response = client_for(cast.dev).post(
            "/api/v1/young-carers/", {**self.payload, "organisation": cast.riverside.pk}
        )
        error = assert_error(response, 400)
        assert error["fields"] == {"organisation": ["Choose one of your projects."]}
        assert not YoungCarer.objects.filter(first_name="Lee").exists()

    def test_a_date_of_birth_in_the_future_is_refused(self, cast, client_for):
        response = client_for(cast.priya).post("/api/v1/young-carers/", {**self.payload, "date_of_birth": "2099-01-01"})
        error = assert_error(response, 400)
        assert "date_of_birth" in error["fields"]
        assert not YoungCarer.objects.filter(first_name="Lee").exists()

    def test_a_key_worker_from_another_organisation_is_refused(self, cast, client_for):
        response = client_for(cast.priya).post("/api/v1/young-carers/", {**self.payload, "key_worker": cast.dev.pk})
        error = assert_error(response, 400)
        assert "key_worker" in error["fields"]
        assert not YoungCarer.objects.filter(first_name="Lee").exists()

    def test_an_unknown_school_id_is_a_field_error(self, cast, client_for):
        response = client_for(cast.priya).post("/api/v1/young-carers/", {**self.payload, "school": 987654})
        assert "school" in assert_error(response, 400)["fields"]


def test_filtering_by_an_unknown_or_foreign_id_looks_the_same(cast, client_for):
    client = client_for(cast.priya)
    unknown = client.get("/api/v1/young-carers/", {"key_worker": 999999})
    foreign = client.get("/api/v1/young-carers/", {"key_worker": cast.dev.pk})
    assert unknown.status_code == foreign.status_code == 200
    assert unknown.json()["results"] == foreign.json()["results"] == []
    assert {
        row["first_name"]
        for row in client.get("/api/v1/young-carers/", {"school": cast.northgate.pk}).json()["results"]
    } == {"Sam"}
