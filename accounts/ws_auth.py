"""WebSocket authentication on allauth headless tokens, and the Origin check.

allauth has no channels integration, so this validates the same tokens its DRF
classes do: ``X-Session-Token`` or ``Authorization: Bearer <JWT>`` headers. Browsers
cannot set headers on a WebSocket, so a JWT access token may also come in the query
(``?access_token=``): it lives minutes, so a copy left in a proxy log soon expires. A
session token never comes in the query: it lives as long as the sign-in.

The scope gets the user (with the credential's second-factor state), the sign-in session's
key (so signing out closes the socket) and, for a JWT, when it expires (the consumer closes
the socket then). A missing or bad token leaves the user anonymous and the consumer refuses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from allauth.headless.tokens.strategies.jwt.internal import (
    get_token_session,
    session_key_from_sid,
    validate_access_token,
)
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from accounts.credentials import MFA_CLAIM, mark_credential, session_passed_mfa
from accounts.sessions import idle_expired


def _credentials(scope: dict[str, Any]) -> tuple[str | None, str | None]:
    headers = {name.decode("latin1").lower(): value.decode("latin1") for name, value in scope.get("headers", [])}
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    session_token = headers.get("x-session-token")
    access_token = None
    authorization = headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        access_token = authorization.removeprefix("Bearer ").strip()
    access_token = access_token or (query.get("access_token") or [None])[0]
    return session_token, access_token


Signed = dict[str, Any]  # user, session_key, expires_at
ANONYMOUS: Signed = {"user": AnonymousUser(), "session_key": None, "expires_at": None}


def _by_session_token(token: str) -> Signed | None:
    result = authenticate_by_x_session_token(token)
    if not result:
        return None
    user, session = result
    mark_credential(user, mfa_passed=session_passed_mfa(session, user))
    if idle_expired(session, user):
        return None
    return {"user": user, "session_key": session.session_key, "expires_at": None}


def _by_access_token(token: str) -> Signed | None:
    result = validate_access_token(token)
    if not result or not result[0].is_active:
        return None
    user, payload = result
    mark_credential(user, mfa_passed=payload.get(MFA_CLAIM) is True)
    session = get_token_session(payload)
    if session is None or idle_expired(session, user):
        return None
    return {"user": user, "session_key": session_key_from_sid(payload["sid"]), "expires_at": payload["exp"]}


@database_sync_to_async
def _signed_in(session_token: str | None, access_token: str | None) -> Signed:
    if session_token:
        return _by_session_token(session_token) or ANONYMOUS
    if access_token:
        return _by_access_token(access_token) or ANONYMOUS
    return ANONYMOUS


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        signed = await _signed_in(*_credentials(scope))
        scope = {**scope, **signed}
        return await super().__call__(scope, receive, send)


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or base URL, with the default port filled in."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def trusted_origins() -> set[tuple[str, str, int]]:
    """The configured browser origins and our own public address."""
    urls = [*settings.WEBSOCKET_ALLOWED_ORIGINS, settings.PUBLIC_BASE_URL]
    return {origin for origin in map(_origin, urls) if origin is not None}


def origin_allowed(origin: str | None) -> bool:
    """Native apps send no Origin. A browser's must match a trusted origin in scheme, host and port."""
    if not origin:
        return True
    parsed = _origin(origin)
    return parsed is not None and parsed in trusted_origins()


class OriginCheckMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin")
        if not origin_allowed(origin.decode("latin1") if origin else None):
            return await WebsocketDenier()(scope, receive, send)
        return await super().__call__(scope, receive, send)
