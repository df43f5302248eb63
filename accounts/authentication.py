"""DRF authentication on allauth headless tokens (session token and JWT), stamping the audit context."""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import (
    JWTTokenAuthentication,
    XSessionTokenAuthentication,
)
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
