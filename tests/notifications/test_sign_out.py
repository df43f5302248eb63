"""Signing out through allauth removes the devices that session registered: nothing more reaches that phone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from notifications.models import Device

pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"


def sign_in(email: str) -> dict:
    response = APIClient().post(LOGIN, {"email": email, "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["meta"]


def register(headers: dict, token: str) -> None:
    response = APIClient(**headers).post("/api/v1/devices/", {"token": token, "platform": "android"})
    assert response.status_code == 201, response.json()


def test_signing_out_removes_the_phone_that_signed_in(cast):
    phone = sign_in("sam@demo.example")
    tablet = sign_in("sam@demo.example")
    register({"HTTP_X_SESSION_TOKEN": phone["session_token"]}, "phone-token-1")
    register({"HTTP_AUTHORIZATION": f"Bearer {tablet['access_token']}"}, "tablet-token-1")
    assert set(Device.objects.filter(user=cast.sam).values_list("token", flat=True)) == {
        "phone-token-1",
        "tablet-token-1",
    }

    response = APIClient(HTTP_X_SESSION_TOKEN=phone["session_token"]).delete(SESSION)
    assert response.status_code == 401  # allauth: signed out

    assert list(Device.objects.filter(user=cast.sam).values_list("token", flat=True)) == ["tablet-token-1"]


def test_a_jwt_session_signing_out_removes_its_device(cast):
    tablet = sign_in("sam@demo.example")
    register({"HTTP_AUTHORIZATION": f"Bearer {tablet['access_token']}"}, "tablet-token-2")
    APIClient(HTTP_AUTHORIZATION=f"Bearer {tablet['access_token']}").delete(SESSION)
    assert not Device.objects.filter(token="tablet-token-2").exists()
