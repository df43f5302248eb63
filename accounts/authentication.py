"""DRF authentication on allauth headless tokens (session token and JWT), stamping the audit context."""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import (
    JWTTokenAuthentication,
    XSessionTokenAuthentication,
)
from django.contrib.sessions.backends.base import SessionBase
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from audit.context import update as update_audit_context


def _stamp(result: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    if result is not None:
        update_audit_context(actor=result[0])
    return result


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:  # type: ignore[override]
        return _stamp(super().authenticate(request))

    def authenticate_header(self, request: Request) -> str:
        return "X-Session-Token"


class JWTAuthentication(JWTTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return _stamp(super().authenticate(request))


class BrowserSessionAuthentication(SessionAuthentication):
    """The portal and the browsable API, signed in through allauth's browser client (CSRF enforced)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:  # type: ignore[override]
        return _stamp(super().authenticate(request))


def session_key_of(request: Request) -> str:
    """The sign-in session behind an API request, whichever credential carried it ("" if none)."""
    credential = request.auth
    if isinstance(credential, SessionBase):  # X-Session-Token
        return credential.session_key or ""
    if isinstance(credential, dict) and credential.get("sid"):  # JWT access token
        from allauth.headless.tokens.strategies.jwt.internal import session_key_from_sid

        return session_key_from_sid(credential["sid"]) or ""
    session = getattr(request._request, "session", None)  # the portal's browser session
    return (session.session_key or "") if session is not None else ""
