"""Case data needs a session (or a JWT) that passed the second factor, not just an authenticator on file."""

from __future__ import annotations

import jwt
import pytest
from rest_framework.test import APIClient

from tests.accounts.signin import PASSWORD, app_sign_in, totp_code
from tests.conftest import session_token_for, session_token_without_mfa_for

pytestmark = pytest.mark.django_db

CASES = "/api/v1/young-carers/"


def claims(access_token: str) -> dict:
    return jwt.decode(access_token, options={"verify_signature": False})


def test_a_staff_token_without_the_second_factor_is_refused_case_data_though_an_authenticator_is_set_up(cast):
    refused = APIClient(HTTP_X_SESSION_TOKEN=session_token_without_mfa_for(cast.priya))
    response = refused.get(CASES)
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"
    me = refused.get("/api/v1/me/").json()
    assert me["mfa_enabled"] is True and me["mfa_required"] is True
    allowed = APIClient(HTTP_X_SESSION_TOKEN=session_token_for(cast.priya))
    assert allowed.get(CASES).status_code == 200
    assert allowed.get("/api/v1/me/").json()["mfa_required"] is False


@pytest.mark.parametrize("path", ["/api/v1/notifications/", "/api/v1/audit/", "/api/v1/alerts/"])
def test_other_reads_of_case_data_refuse_a_sign_in_that_skipped_the_second_factor(cast, path):
    response = APIClient(HTTP_X_SESSION_TOKEN=session_token_without_mfa_for(cast.tom)).get(path)
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"
    assert APIClient(HTTP_X_SESSION_TOKEN=session_token_for(cast.tom)).get(path).status_code == 200


def test_a_jwt_from_a_sign_in_that_passed_the_second_factor_says_so_and_reads_case_data(cast):
    meta = app_sign_in(cast.priya)
    assert claims(meta["access_token"])["mfa"] is True
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}").get(CASES).status_code == 200
    assert APIClient(HTTP_X_SESSION_TOKEN=meta["session_token"]).get(CASES).status_code == 200


def test_a_refreshed_jwt_keeps_the_second_factor_claim(cast):
    meta = app_sign_in(cast.priya)
    response = APIClient().post("/_allauth/app/v1/tokens/refresh", {"refresh_token": meta["refresh_token"]})
    assert response.status_code == 200, response.json()
    assert claims(response.json()["data"]["access_token"])["mfa"] is True


def test_a_jwt_from_a_password_only_sign_in_is_refused_case_data(cast):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.priya).delete()  # signs in with the password alone
    meta = app_sign_in(cast.priya)
    assert "mfa" not in claims(meta["access_token"])
    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}").get(CASES)
    assert response.status_code == 403 and response.json()["error"]["code"] == "mfa_required"


def test_the_admin_sign_in_page_sends_people_to_the_sign_in_with_the_second_factor(client):
    response = client.get("/admin/login/?next=/admin/cases/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2Fcases%2F"
    outside = client.get("/admin/login/?next=https://evil.example/")
    assert outside["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_the_admin_does_not_accept_a_password_alone(client, cast):
    cast.tom.is_staff = cast.tom.is_superuser = True
    cast.tom.save()
    old_form = client.post("/admin/login/", {"username": cast.tom.email, "password": PASSWORD})
    assert old_form.status_code == 302 and old_form["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302

    password = client.post("/accounts/login/", {"login": cast.tom.email, "password": PASSWORD, "next": "/admin/"})
    assert password.status_code == 302 and "/2fa/" in password["Location"]
    assert client.get("/admin/").status_code == 302
    assert client.get(CASES).status_code in (401, 403)

    second = client.post(password["Location"], {"code": totp_code(cast.tom)})
    assert second.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(CASES).status_code == 200
