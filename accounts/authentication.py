"""DRF authentication on allauth headless tokens (session token and JWT), stamping the audit context.

Each class also records on the user whether its credential passed the second factor
(``accounts.access.mark_credential``) and ends a staff session left idle too long
(``accounts.sessions``). The browser session's idle timeout is enforced by
``accounts.middleware.BrowserSessionMiddleware`` before any view runs.
"""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.rest_framework.authentication import (
    JWTTokenAuthentication,
    XSessionTokenAuthentication,
)
from allauth.headless.tokens.strategies.jwt.internal import get_token_session
from django.contrib.sessions.backends.base import SessionBase
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.credentials import MFA_CLAIM, mark_credential, session_passed_mfa
from accounts.sessions import end_session, idle_expired, is_staff
from audit.context import update as update_audit_context


def _stamp(result: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    if result is not None:
        update_audit_context(actor=result[0])
    return result


# A token that was sent but does not work says so: "no credentials" would send a client looking for a missing header.
INVALID_SESSION_TOKEN = "The session token is not valid or has expired: sign in again."  # noqa: S105 (a message)


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:  # type: ignore[override]
        if not self.get_session_token(request):
            return None
        result = super().authenticate(request)
        if result is None:
            raise AuthenticationFailed(INVALID_SESSION_TOKEN)
        user, session = result
        mark_credential(user, mfa_passed=session_passed_mfa(session, user))  # first: access is then loaded once
        if idle_expired(session, user):
            end_session(session)
            raise AuthenticationFailed(INVALID_SESSION_TOKEN)
        return _stamp(result)

    def authenticate_header(self, request: Request) -> str:
        return "X-Session-Token"


class JWTAuthentication(JWTTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, payload = result
        mark_credential(user, mfa_passed=payload.get(MFA_CLAIM) is True)  # first: access is then loaded once
        if is_staff(user):  # only staff time out: spare everyone else the session lookup
            session = get_token_session(payload)
            if session is None or idle_expired(session, user):
                if session is not None:
                    end_session(session)
                return None
        return _stamp(result)


class BrowserSessionAuthentication(SessionAuthentication):
    """The portal and the browsable API, signed in through allauth's browser client (CSRF enforced)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:  # type: ignore[override]
        result = super().authenticate(request)
        if result is not None:
            mark_credential(result[0], mfa_passed=session_passed_mfa(request._request.session, result[0]))
        return _stamp(result)


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
