from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from notifications.models import Device
from tests.fakes.fcm_server import FakeFcmServer


@pytest.fixture
def fcm(settings: Any) -> Iterator[FakeFcmServer]:
    """A fake FCM on a local port, with the app configured to push through firebase-admin to it."""
    with FakeFcmServer() as server:
        settings.PUSH_TRANSPORT = "fcm"
        settings.FCM_CREDENTIALS = server.service_account_json()
        settings.FCM_PROJECT_ID = ""
        settings.FCM_ENDPOINT = server.url
        yield server


@pytest.fixture
def phone(cast: Any) -> Any:
    """``phone(user, token)``: a registered, active device."""
    from django.utils import timezone

    def make(user: Any, token: str, platform: str = "android") -> Device:
        return Device.objects.create(user=user, token=token, platform=platform, last_seen_at=timezone.now())

    return make
