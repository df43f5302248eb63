from __future__ import annotations

import pytest

from audit.models import AppendOnlyError, AuditEntry
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_a_change_to_a_case_records_who_changed_which_fields(cast, client_for):
    response = client_for(cast.priya).patch(
        f"/api/v1/young-carers/{cast.sam_case.pk}/", {"communication_needs": "Prefers text messages"}
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_pk=str(cast.sam_case.pk)).latest("id")
    assert entry.actor == cast.priya
    assert entry.changes["communication_needs"] == ["", "Prefers text messages"]
    assert entry.organisation_id == cast.riverside.pk and entry.case_id == cast.sam_case.pk


def test_recording_a_consent_is_audited(cast, client_for):
    response = client_for(cast.priya).post(
        f"/api/v1/young-carers/{cast.jo_case.pk}/consents/",
        {
            "subject": "photos",
            "given": True,
            "basis": "parent",
            "given_by_name": "Karen Taylor",
            "given_by_relationship": "mother",
        },
    )
    assert response.status_code == 201, response.json()
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.CREATE, content_type__model="consent", object_pk=str(response.json()["id"])
    )
    assert entry.actor == cast.priya and entry.case_id == cast.jo_case.pk


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("manager", True),
        ("key_worker", False),
        ("other_project_worker", False),
        ("young_carer", False),
        ("school_staff", False),
        ("adult_services", False),
        ("commissioner", False),
    ],
)
def test_only_managers_list_their_organisations_trail(personas, cast, client_for, persona, sees):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    response = client_for(personas[persona]).get("/api/v1/audit/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert bool(rows) is sees
    if sees:
        assert all(row["case_id"] in (None, cast.sam_case.pk, cast.jo_case.pk, cast.alex_case.pk) for row in rows)


def test_another_projects_trail_is_not_shown_to_our_manager(cast, client_for):
    client_for(cast.dev).get(f"/api/v1/young-carers/{cast.kai_case.pk}/")
    rows = client_for(cast.tom).get("/api/v1/audit/", {"case": cast.kai_case.pk}).json()["results"]
    assert rows == []


def test_the_trail_filters_by_case_and_action(cast, client_for):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    rows = client_for(cast.tom).get("/api/v1/audit/", {"case": cast.sam_case.pk, "action": "access"}).json()["results"]
    assert rows and all(row["action"] == "access" and row["case_id"] == cast.sam_case.pk for row in rows)


def test_audit_entries_cannot_be_changed_or_deleted(cast, client_for):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    entry = AuditEntry.objects.latest("id")
    entry.object_repr = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_to_change_the_trail(cast, client_for):
    from django.db import DatabaseError, connection

    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_repr = 'tampered'")


def test_staff_without_mfa_cannot_read_the_trail(cast, client_for):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.tom).delete()
    assert_error(client_for(cast.tom).get("/api/v1/audit/"), 403, "mfa_required")
