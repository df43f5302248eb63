"""allauth's JWT strategy, with the second-factor claim, the staff idle timeout and refresh-token reuse detection."""

from __future__ import annotations

import logging
from typing import Any

from allauth.core.internal.httpkit import authenticated_user
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy, internal
from django.http import HttpRequest

from accounts.credentials import MFA_CLAIM, session_passed_mfa
from accounts.sessions import end_session, idle_expired
from accounts.sockets import close_session_sockets_on_commit

logger = logging.getLogger(__name__)


def _claims(user: Any, session: Any) -> dict[str, Any]:
    return {MFA_CLAIM: True} if session_passed_mfa(session, user) else {}


def _revoke_family(session: Any) -> None:
    """Every token issued from this session stops working: its refresh tokens, access tokens and sockets."""
    if session.session_key:
        close_session_sockets_on_commit(session.session_key)
    end_session(session)


class TokenStrategy(JWTTokenStrategy):
    def create_access_token(self, request: HttpRequest) -> str | None:
        user = authenticated_user(request)
        return internal.create_access_token(user, request.session, _claims(user, request.session))

    def refresh_token(self, refresh_token: str) -> tuple[str, str] | None:
        """Rotate the refresh token; a spent one presented again revokes the whole family.

        A token that is well signed, unexpired and names a live session, but is no longer in that
        session's list of live refresh tokens, was rotated already: someone holds a copy.
        """
        payload = internal.decode_token(refresh_token, "refresh")
        session = internal.get_token_session(payload) if payload else None
        if payload is None or session is None:
            return None
        if payload["jti"] not in internal.get_refresh_token_state(session):
            logger.warning("a spent refresh token was presented again: its session is revoked")
            _revoke_family(session)
            return None
        validated = internal.validate_refresh_token(refresh_token)
        if validated is None:
            return None
        user, session, payload = validated
        if idle_expired(session, user):
            _revoke_family(session)
            return None
        access_token = internal.create_access_token(user, session, _claims(user, session))
        internal.invalidate_refresh_token(session, payload)
        next_refresh_token = internal.create_refresh_token(user, session)
        session.save()
        return access_token, next_refresh_token
