from __future__ import annotations

import pytest

from accounts.models import Invitation, Role
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/invitations/"

# Inviting a young person to the app for Sam's case (Riverside): Riverside's staff only.
INVITE_FOR_SAMS_CASE = {
    "young_carer": 404,
    "other_young_carer": 404,
    "key_worker": 201,
    "manager": 201,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


@pytest.fixture
def unlinked_sam(cast):
    cast.sam_case.account = None
    cast.sam_case.save(update_fields=["account"])
    return cast.sam_case


@pytest.mark.parametrize(("persona", "expected"), INVITE_FOR_SAMS_CASE.items())
def test_each_persona_inviting_a_young_person(personas, unlinked_sam, client_for, persona, expected):
    response = client_for(personas[persona]).post(
        URL, {"kind": "young_carer", "case": unlinked_sam.pk, "email": "sam.new@demo.example"}
    )
    assert response.status_code == expected, response.json()
    if expected == 201:
        body = response.json()
        assert body["state"] == "pending" and body["case"] == unlinked_sam.pk
        assert body["emailed"] is True and body["token"] is None  # the code went to the young person alone
    else:
        assert not Invitation.objects.exists()


def test_a_case_that_already_has_an_account_cannot_be_invited_again(cast, client_for):
    response = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": cast.sam_case.pk})
    assert_error(response, 409, "already_linked")


@pytest.mark.parametrize(
    ("persona", "organisation", "role", "expected"),
    [
        ("manager", "riverside", Role.PROJECT_WORKER, 201),
        ("key_worker", "riverside", Role.PROJECT_WORKER, 404),  # workers do not hire
        ("other_project_worker", "riverside", Role.PROJECT_WORKER, 404),
        ("school_staff", "northgate", Role.SCHOOL_STAFF, 201),  # Mr Khan is Northgate's lead
        ("school_staff", "st_annes", Role.SCHOOL_STAFF, 404),
        ("other_school_staff", "st_annes", Role.SCHOOL_STAFF, 404),  # Ms Ade is not a lead
        ("key_worker", "northgate", Role.SCHOOL_STAFF, 404),  # a worker does not staff a school
        ("adult_services", "adult_services", Role.ADULT_WORKER, 404),
        ("commissioner", "council", Role.COMMISSIONER, 404),
        ("young_carer", "riverside", Role.PROJECT_WORKER, 404),
    ],
)
def test_who_may_invite_staff(personas, cast, client_for, persona, organisation, role, expected):
    org = getattr(cast, organisation)
    response = client_for(personas[persona]).post(
        URL, {"kind": "staff", "organisation": org.pk, "role": role, "email": "new.staff@demo.example"}
    )
    assert response.status_code == expected, response.json()
    assert Invitation.objects.filter(email="new.staff@demo.example").exists() == (expected == 201)


def test_a_role_that_does_not_fit_the_organisation_is_refused(cast, client_for):
    response = client_for(cast.tom).post(
        URL, {"kind": "staff", "organisation": cast.riverside.pk, "role": Role.SCHOOL_LEAD, "email": "x@demo.example"}
    )
    assert "role" in assert_error(response, 400)["fields"]


def test_a_staff_invitation_to_an_existing_email_is_made_but_sends_nothing(cast, client_for):
    """The answer must not tell the inviter who has an account (tests/existence compares it with a new address)."""
    response = client_for(cast.tom).post(
        URL,
        {
            "kind": "staff",
            "organisation": cast.riverside.pk,
            "role": Role.PROJECT_WORKER,
            "email": "GRACE@demo.example",
        },
    )
    assert response.status_code == 201


def test_missing_fields_are_named(cast, client_for):
    error = assert_error(client_for(cast.tom).post(URL, {"kind": "staff"}), 400)
    assert {"organisation", "role", "email"} <= set(error["fields"])
    error = assert_error(client_for(cast.priya).post(URL, {"kind": "young_carer"}), 400)
    assert "case" in error["fields"]


def test_managers_list_and_revoke_their_organisations_invitations(cast, client_for, unlinked_sam):
    created = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": unlinked_sam.pk}).json()
    assert [row["id"] for row in client_for(cast.tom).get(URL).json()["results"]] == [created["id"]]
    assert client_for(cast.dev).get(URL).json()["results"] == []
    assert_error(client_for(cast.dev).post(f"{URL}{created['id']}/revoke/"), 404)
    revoked = client_for(cast.tom).post(f"{URL}{created['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert_error(client_for(cast.tom).post(f"{URL}{created['id']}/revoke/"), 409)


def test_an_idempotency_key_replays_the_first_invitation(cast, client_for, unlinked_sam):
    client = client_for(cast.priya)
    first = client.post(URL, {"kind": "young_carer", "case": unlinked_sam.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, {"kind": "young_carer", "case": unlinked_sam.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Invitation.objects.count() == 1
