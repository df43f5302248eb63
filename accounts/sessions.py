"""The staff idle timeout, for every kind of sign-in session (browser cookie, app session token, JWT).

A staff session unused for ``STAFF_IDLE_TIMEOUT_MINUTES`` ends: the session row is deleted,
so its session token, refresh tokens and access tokens all stop working at once. Young
people are not timed out (their phone is theirs; the app locks with the phone).

The last activity lives in the cache, not the session: writing the session on every request
would race with allauth rotating refresh tokens in it. A session that has no activity yet
counts from the time it signed in (set as it signs in; allauth also records each step's time).
"""

from __future__ import annotations

import hashlib
import time
from types import SimpleNamespace
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.core.cache import cache

TOUCH_EVERY_SECONDS = 60  # write at most once a minute per session, not on every request
SIGNED_IN_AT = "signed_in_at"  # set in the session as it signs in (accounts.receivers)


def _key(session_key: str) -> str:
    return "staff-active:" + hashlib.sha256(session_key.encode()).hexdigest()


def _timeout() -> int:
    return int(settings.STAFF_IDLE_TIMEOUT_MINUTES) * 60


def is_staff(user: Any) -> bool:
    from accounts.access import access_for

    return bool(getattr(user, "is_staff", False)) or access_for(user).is_staff_member


def _signed_in_at(session: Any, user: Any) -> float:
    records = get_authentication_records(SimpleNamespace(session=session), user)  # type: ignore[arg-type]
    times = [float(record.get("at", 0)) for record in records]
    return max([*times, float(session.get(SIGNED_IN_AT) or 0)])


def mark_signed_in(session: Any) -> None:
    """Called as a session signs in (before allauth saves it), so its idle time counts from then."""
    session[SIGNED_IN_AT] = time.time()


def record_activity(session_key: str, now: float | None = None) -> None:
    cache.set(_key(session_key), now or time.time(), _timeout())


def idle_expired(session: Any, user: Any) -> bool:
    """Whether this staff session has been idle too long; if not, records this use of it."""
    if not getattr(user, "is_authenticated", False) or not session.session_key or not is_staff(user):
        return False
    now = time.time()
    last = max(float(cache.get(_key(session.session_key)) or 0), _signed_in_at(session, user))
    if now - last > _timeout():
        return True
    if now - last >= TOUCH_EVERY_SECONDS:
        record_activity(session.session_key, now)
    return False


def end_session(session: Any) -> None:
    """Delete the session row: every token issued from it stops working."""
    if session.session_key:
        cache.delete(_key(session.session_key))
        session.delete(session.session_key)
