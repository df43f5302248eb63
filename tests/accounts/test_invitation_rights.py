"""Who may invite whom: nobody makes themselves (or a friend) the lead of a school they do not serve."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, Role
from schools import demo
from schools.models import SchoolProject
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/invitations/"
EMAIL = "new.staff@demo.example"


@pytest.fixture
def schools(cast: Any) -> Any:
    """The demo schools: Riverside serves Northgate, St Anne's and Hillside (accepted); Eastbank serves St Anne's."""
    demo.load_schools(cast)
    return cast


def _invite(client_for: Any, user: Any, organisation_id: int, role: str) -> Any:
    return client_for(user).post(URL, {"kind": "staff", "organisation": organisation_id, "role": role, "email": EMAIL})


def _refused_like_missing(client_for: Any, user: Any, organisation: Organisation, role: str) -> None:
    refused = _invite(client_for, user, organisation.pk, role)
    missing = _invite(client_for, user, 999999, role)
    assert_error(refused, 404)
    assert refused.json() == missing.json()
    assert not Invitation.objects.filter(email=EMAIL).exists()


@pytest.mark.parametrize("persona", ["priya", "dev"])
def test_a_project_worker_cannot_make_anyone_a_schools_lead(schools, client_for, persona):
    _refused_like_missing(client_for, getattr(schools, persona), schools.northgate, Role.SCHOOL_LEAD)
    _refused_like_missing(client_for, getattr(schools, persona), schools.northgate, Role.SCHOOL_STAFF)


def test_a_manager_invites_to_a_school_their_project_serves(schools, client_for):
    response = _invite(client_for, schools.tom, schools.northgate.pk, Role.SCHOOL_LEAD)
    assert response.status_code == 201, response.json()
    assert Invitation.objects.get(email=EMAIL).organisation_id == schools.northgate.pk


def test_a_manager_cannot_invite_to_a_school_that_has_not_agreed(schools, client_for):
    brookfield = Organisation.objects.get(urn="100004")
    _refused_like_missing(client_for, schools.tom, brookfield, Role.SCHOOL_LEAD)
    SchoolProject.objects.create(school=brookfield, project=schools.riverside)  # requested, never accepted
    _refused_like_missing(client_for, schools.tom, brookfield, Role.SCHOOL_LEAD)
    SchoolProject.objects.filter(school=schools.northgate).update(status=SchoolProject.Status.ENDED)
    _refused_like_missing(client_for, schools.tom, schools.northgate, Role.SCHOOL_STAFF)


def test_a_schools_lead_invites_their_own_staff_but_grants_no_admin(schools, client_for):
    assert _invite(client_for, schools.khan, schools.northgate.pk, Role.SCHOOL_STAFF).status_code == 201
    Invitation.objects.all().delete()
    _refused_like_missing(client_for, schools.khan, schools.northgate, Role.ADMIN)
    _refused_like_missing(client_for, schools.khan, schools.st_annes, Role.SCHOOL_STAFF)


def test_school_staff_who_are_not_the_lead_invite_nobody(schools, client_for):
    _refused_like_missing(client_for, schools.ade, schools.st_annes, Role.SCHOOL_STAFF)


def test_only_an_organisations_admin_grants_its_admin_role(schools, client_for):
    _refused_like_missing(client_for, schools.tom, schools.riverside, Role.ADMIN)
    Membership.objects.create(user=schools.tom, organisation=schools.riverside, role=Role.ADMIN)
    assert _invite(client_for, schools.tom, schools.riverside.pk, Role.ADMIN).status_code == 201


@pytest.mark.parametrize(
    ("persona", "organisation", "role"),
    [
        ("grace", "adult_services", Role.ADULT_WORKER),  # a worker, not a manager, of adult services
        ("cleo", "council", Role.COMMISSIONER),
        ("tom", "eastbank", Role.PROJECT_WORKER),  # another project
        ("khan", "riverside", Role.PROJECT_WORKER),  # a school's lead does not staff its project
        ("sam", "riverside", Role.PROJECT_WORKER),
    ],
)
def test_other_organisations_are_refused_like_missing_ones(schools, client_for, persona, organisation, role):
    _refused_like_missing(client_for, getattr(schools, persona), getattr(schools, organisation), role)


def test_a_staff_invitation_needs_the_second_factor(schools, client_for):
    Authenticator.objects.filter(user=schools.tom).delete()
    assert_error(_invite(client_for, schools.tom, schools.riverside.pk, Role.PROJECT_WORKER), 403, "mfa_required")
    assert not Invitation.objects.exists()
    # Where Tom has no right at all, the answer stays the 404: the MFA check never tells him the school exists.
    _refused_like_missing(client_for, schools.tom, Organisation.objects.get(urn="100004"), Role.SCHOOL_LEAD)


def test_someone_who_has_left_no_longer_sees_the_invitations_they_sent(cast, client_for):
    cast.sam_case.account = None
    cast.sam_case.save(update_fields=["account"])
    created = client_for(cast.priya).post(URL, {"kind": "young_carer", "case": cast.sam_case.pk}).json()
    assert [row["id"] for row in client_for(cast.priya).get(URL).json()["results"]] == [created["id"]]
    Membership.objects.filter(user=cast.priya).update(ended_at=timezone.now())
    assert client_for(cast.priya).get(URL).json()["results"] == []
    assert_error(client_for(cast.priya).post(f"{URL}{created['id']}/revoke/"), 404)
    assert Invitation.objects.get().state == "pending"
