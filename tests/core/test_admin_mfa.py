from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(cast):
    cast.tom.is_staff = True
    cast.tom.is_superuser = True
    cast.tom.save()
    return cast.tom


def test_the_admin_opens_for_staff_with_mfa(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_the_admin_is_closed_to_staff_without_mfa(client, admin_user):
    Authenticator.objects.filter(user=admin_user).delete()
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(f"/admin/cases/youngcarer/{admin_user.pk}/change/").status_code == 302
