"""Refresh-token reuse revokes the whole family; staff sessions end after an idle spell."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from tests.accounts.signin import app_sign_in
from tests.conftest import session_token_for

pytestmark = pytest.mark.django_db

REFRESH = "/_allauth/app/v1/tokens/refresh"
ME = "/api/v1/me/"


def refresh(token: str):
    return APIClient().post(REFRESH, {"refresh_token": token}, format="json")


def test_a_reused_refresh_token_revokes_the_whole_family_and_its_session(cast):
    meta = app_sign_in(cast.sam)
    fresh = refresh(meta["refresh_token"]).json()["data"]
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}").get(ME).status_code == 200

    assert refresh(meta["refresh_token"]).status_code >= 400  # the spent one, replayed

    assert refresh(fresh["refresh_token"]).status_code >= 400  # its newer sibling is dead too
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}").get(ME).status_code == 401
    assert APIClient(HTTP_X_SESSION_TOKEN=meta["session_token"]).get(ME).status_code == 401
    assert not Session.objects.filter(session_key=meta["session_token"]).exists()


def test_another_sign_in_of_the_same_person_survives_a_reuse(cast):
    stolen, other = app_sign_in(cast.sam), app_sign_in(cast.sam)
    refresh(stolen["refresh_token"])
    refresh(stolen["refresh_token"])
    assert refresh(other["refresh_token"]).status_code == 200


@pytest.mark.parametrize(("minutes", "signed_in"), [(29, True), (31, False)])
def test_a_staff_session_token_ends_after_the_idle_timeout(cast, minutes, signed_in):
    token = session_token_for(cast.priya)
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
        status = APIClient(HTTP_X_SESSION_TOKEN=token).get(ME).status_code
    assert status == (200 if signed_in else 401)
    assert Session.objects.filter(session_key=token).exists() is signed_in


def test_using_a_staff_session_keeps_it_alive(cast):
    token = session_token_for(cast.priya)
    start = timezone.now()
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert APIClient(HTTP_X_SESSION_TOKEN=token).get(ME).status_code == 200


def test_the_idle_timeout_is_a_setting(cast, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 5
    token = session_token_for(cast.priya)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert APIClient(HTTP_X_SESSION_TOKEN=token).get(ME).status_code == 401


def test_a_young_person_is_not_timed_out(cast):
    token = session_token_for(cast.sam)
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        assert APIClient(HTTP_X_SESSION_TOKEN=token).get(ME).status_code == 200


def test_an_idle_staff_jwt_session_cannot_be_refreshed(cast):
    meta = app_sign_in(cast.priya)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert refresh(meta["refresh_token"]).status_code >= 400
    assert refresh(meta["refresh_token"]).status_code >= 400  # and the session is gone for good


def test_an_idle_staff_browser_session_is_signed_out(client, cast):
    from tests.core.test_admin_mfa import sign_in

    cast.tom.is_staff = cast.tom.is_superuser = True
    cast.tom.save()
    sign_in(client, cast.tom, second_factor=True)
    assert client.get("/admin/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302
