"""App sign-in through allauth headless: invitation-only sign-up, session tokens, JWTs with refresh, MFA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Invitation, Membership, Role, User
from accounts.services import invitation_create_for_staff, invitation_create_for_young_carer
from cases.models import YoungCarer

pytestmark = pytest.mark.django_db

SIGNUP = "/_allauth/app/v1/auth/signup"
LOGIN = "/_allauth/app/v1/auth/login"
PASSWORD = "a-long-enough-secret-2026"


def new_case(cast) -> YoungCarer:
    return YoungCarer.objects.create(
        organisation=cast.riverside,
        first_name="Mia",
        last_name="Hughes",
        date_of_birth=cast.sam_case.date_of_birth,
        key_worker=cast.priya,
        status="active",
    )


def signup(email: str, invitation: str, **extra) -> object:
    return APIClient().post(
        SIGNUP, {"email": email, "password": PASSWORD, "invitation": invitation, **extra}, format="json"
    )


def test_a_young_person_signs_up_with_their_invitation_and_is_linked_to_their_case(cast):
    case = new_case(cast)
    invitation, token = invitation_create_for_young_carer(actor=cast.priya, case=case, email="mia@demo.example")
    response = signup("mia@demo.example", token)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["meta"]["is_authenticated"] is True
    assert body["meta"]["session_token"]
    assert body["meta"]["access_token"] and body["meta"]["refresh_token"]
    case.refresh_from_db()
    invitation.refresh_from_db()
    assert case.account.email == "mia@demo.example"
    assert invitation.accepted_by == case.account and invitation.state == "accepted"


def test_the_session_token_and_the_jwt_both_authenticate_the_api(cast):
    case = new_case(cast)
    _, token = invitation_create_for_young_carer(actor=cast.priya, case=case)
    meta = signup("mia@demo.example", token).json()["meta"]
    by_session = APIClient(HTTP_X_SESSION_TOKEN=meta["session_token"]).get("/api/v1/me/")
    by_jwt = APIClient(HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}").get("/api/v1/me/")
    assert by_session.status_code == by_jwt.status_code == 200
    assert by_session.json()["young_carer_id"] == by_jwt.json()["young_carer_id"] == case.pk


def test_a_refresh_token_gives_a_new_access_token_and_rotates(cast):
    case = new_case(cast)
    _, token = invitation_create_for_young_carer(actor=cast.priya, case=case)
    meta = signup("mia@demo.example", token).json()["meta"]
    response = APIClient().post(
        "/_allauth/app/v1/tokens/refresh", {"refresh_token": meta["refresh_token"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    fresh = response.json()["data"]
    assert fresh["access_token"] and fresh["refresh_token"] != meta["refresh_token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}").get("/api/v1/me/").status_code == 200
    reused = APIClient().post(
        "/_allauth/app/v1/tokens/refresh", {"refresh_token": meta["refresh_token"]}, format="json"
    )
    assert reused.status_code >= 400


def test_there_is_no_open_sign_up(cast):
    response = APIClient().post(SIGNUP, {"email": "stranger@demo.example", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert any(error.get("param") == "invitation" for error in response.json()["errors"])
    assert not User.objects.filter(email="stranger@demo.example").exists()


@pytest.mark.parametrize("problem", ["unknown", "expired", "used", "revoked", "other_email"])
def test_a_bad_invitation_is_refused_naming_the_problem_and_writes_nothing(cast, problem):
    case = new_case(cast)
    invitation, token = invitation_create_for_young_carer(actor=cast.priya, case=case, email="mia@demo.example")
    email = "mia@demo.example"
    if problem == "unknown":
        token = "not-a-real-invitation"
    elif problem == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    elif problem == "used":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    elif problem == "revoked":
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    else:
        email = "someone-else@demo.example"
    users_before = User.objects.count()
    response = signup(email, token)
    assert response.status_code == 400
    messages = " ".join(error["message"] for error in response.json()["errors"]).lower()
    expected_word = {
        "unknown": "not recognised",
        "expired": "expired",
        "used": "accepted",
        "revoked": "revoked",
        "other_email": "different email",
    }[problem]
    assert expected_word in messages
    assert User.objects.count() == users_before
    case.refresh_from_db()
    assert case.account is None


def test_an_invitation_cannot_be_used_twice(cast):
    case = new_case(cast)
    _, token = invitation_create_for_young_carer(actor=cast.priya, case=case)
    assert signup("mia@demo.example", token).status_code == 200
    second = signup("mia2@demo.example", token)
    assert second.status_code == 400
    assert not User.objects.filter(email="mia2@demo.example").exists()


def test_a_duplicate_email_is_refused(cast):
    case = new_case(cast)
    _, token = invitation_create_for_young_carer(actor=cast.priya, case=case)
    response = signup("sam@demo.example", token)
    assert response.status_code == 400
    assert any(error.get("param") == "email" for error in response.json()["errors"])


def test_staff_sign_up_with_a_staff_invitation_and_join_the_organisation(cast):
    _, token = invitation_create_for_staff(
        actor=cast.tom, organisation=cast.riverside, role=Role.PROJECT_WORKER, email="nia@demo.example"
    )
    assert signup("nia@demo.example", token).status_code == 200
    assert Membership.objects.filter(
        user__email="nia@demo.example", organisation=cast.riverside, role=Role.PROJECT_WORKER
    ).exists()


def test_new_staff_must_set_up_mfa_before_reading_case_data(cast):
    _, token = invitation_create_for_staff(
        actor=cast.tom, organisation=cast.riverside, role=Role.PROJECT_WORKER, email="nia@demo.example"
    )
    meta = signup("nia@demo.example", token).json()["meta"]
    client = APIClient(HTTP_X_SESSION_TOKEN=meta["session_token"])
    me = client.get("/api/v1/me/").json()
    assert me["mfa_required"] is True and me["mfa_enabled"] is False
    response = client.get("/api/v1/young-carers/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"


def test_a_demo_person_signs_in_with_email_and_password(cast):
    response = APIClient().post(LOGIN, {"email": "sam@demo.example", "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200, response.json()
    token = response.json()["meta"]["session_token"]
    assert APIClient(HTTP_X_SESSION_TOKEN=token).get("/api/v1/me/").json()["email"] == "sam@demo.example"


def test_staff_with_totp_are_asked_for_their_second_factor_at_sign_in(cast):
    assert Authenticator.objects.filter(user=cast.priya, type="totp").exists()
    response = APIClient().post(LOGIN, {"email": "priya@demo.example", "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending") is True


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(cast, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = settings.PRODUCTION_RATE_LIMITS
    client = APIClient()
    for _ in range(5):
        wrong = client.post(LOGIN, {"email": "sam@demo.example", "password": "wrong-password"}, format="json")
        assert wrong.status_code == 400
    # Now even the right password is refused until the window passes.
    right = client.post(LOGIN, {"email": "sam@demo.example", "password": "demo-pass-2026"}, format="json")
    assert right.status_code == 400
    assert right.json()["errors"][0]["code"] == "too_many_login_attempts"


def test_allauth_serves_its_openapi_spec(client):
    response = client.get("/_allauth/openapi.json")
    assert response.status_code == 200
    assert "/_allauth/{client}/v1/auth/login" in response.json()["paths"]
