"""Real sign-ins through allauth for tests: the password, then the TOTP code of the user's authenticator."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from rest_framework.test import APIClient

PASSWORD = "demo-pass-2026"
APP_LOGIN = "/_allauth/app/v1/auth/login"
APP_2FA = "/_allauth/app/v1/auth/2fa/authenticate"


def totp_code(user: Any) -> str:
    """The current code, made usable again (allauth refuses a code twice; tests sign in more than once a period)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, counter))
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def app_sign_in(user: Any, *, client: APIClient | None = None, **extra: Any) -> dict[str, Any]:
    """Sign in as the app does: password, then the second factor if the user has one. Returns allauth's meta."""
    client = client or APIClient()
    response = client.post(APP_LOGIN, {"email": user.email, "password": PASSWORD}, format="json", **extra)
    if response.status_code == 401:  # the second factor is pending
        pending = response.json()["meta"]["session_token"]
        response = client.post(APP_2FA, {"code": totp_code(user)}, format="json", HTTP_X_SESSION_TOKEN=pending, **extra)
    assert response.status_code == 200, response.json()
    return response.json()["meta"]
