"""WebSocket authentication on allauth headless tokens, and the Origin check.

allauth has no channels integration, so this validates the same tokens its DRF
classes do: ``X-Session-Token`` or ``Authorization: Bearer <JWT>`` headers, or (for
clients that cannot set headers on a WebSocket) ``?session_token=`` / ``?access_token=``.
A missing or bad token leaves the user anonymous and the consumer refuses the socket.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from allauth.headless.tokens.strategies.jwt.internal import validate_access_token
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


def _credentials(scope: dict[str, Any]) -> tuple[str | None, str | None]:
    headers = {name.decode("latin1").lower(): value.decode("latin1") for name, value in scope.get("headers", [])}
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    session_token = headers.get("x-session-token") or (query.get("session_token") or [None])[0]
    access_token = None
    authorization = headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        access_token = authorization.removeprefix("Bearer ").strip()
    access_token = access_token or (query.get("access_token") or [None])[0]
    return session_token, access_token


@database_sync_to_async
def _user_for(session_token: str | None, access_token: str | None) -> Any:
    if session_token:
        result = authenticate_by_x_session_token(session_token)
        if result:
            return result[0]
    if access_token:
        payload = validate_access_token(access_token)
        if payload:
            user = payload[0]
            return user if user.is_active else AnonymousUser()
    return AnonymousUser()


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        session_token, access_token = _credentials(scope)
        scope = {**scope, "user": await _user_for(session_token, access_token)}
        return await super().__call__(scope, receive, send)


def origin_allowed(origin: str | None) -> bool:
    """Native apps send no Origin. A browser's must be one we trust."""
    if not origin:
        return True
    parsed = urlparse(origin)
    if origin in settings.WEBSOCKET_ALLOWED_ORIGINS:
        return True
    return parsed.hostname in settings.ALLOWED_HOSTS and parsed.scheme in {"http", "https"}


class OriginCheckMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin")
        if not origin_allowed(origin.decode("latin1") if origin else None):
            return await WebsocketDenier()(scope, receive, send)
        return await super().__call__(scope, receive, send)
