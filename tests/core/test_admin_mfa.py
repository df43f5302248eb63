from __future__ import annotations

import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(cast):
    cast.tom.is_staff = True
    cast.tom.is_superuser = True
    cast.tom.save()
    return cast.tom


def sign_in(client, user, *, second_factor: bool) -> None:
    """A browser session as allauth leaves it: the password step, and the second factor if passed."""
    client.force_login(user)
    session = client.session
    records = [{"method": "password", "at": time.time()}]
    if second_factor:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def test_the_admin_opens_for_staff_whose_session_passed_mfa(client, admin_user):
    sign_in(client, admin_user, second_factor=True)
    assert client.get("/admin/").status_code == 200


def test_the_admin_is_closed_to_a_session_that_skipped_the_second_factor(client, admin_user):
    sign_in(client, admin_user, second_factor=False)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_is_closed_to_staff_without_mfa(client, admin_user):
    sign_in(client, admin_user, second_factor=True)
    Authenticator.objects.filter(user=admin_user).delete()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(f"/admin/cases/youngcarer/{admin_user.pk}/change/").status_code == 302
