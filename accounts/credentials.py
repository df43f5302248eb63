"""What the credential of a request proves: whether its sign-in session passed the second factor.

Kept apart from ``accounts.access`` so the DRF authentication classes can use it without
importing the API's error module (which itself loads those classes).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.account.authentication import get_authentication_records

# Set on a user by the credential that signed them in (accounts.authentication, accounts.ws_auth).
# A user object loaded in code (a task, a management command) carries none: its caller vouches for it.
MFA_PASSED = "_mfa_passed"
MFA_CLAIM = "mfa"  # in a JWT access token: issued from a session that passed the second factor


def session_passed_mfa(session: Any, user: Any) -> bool:
    """Whether this sign-in session passed the second factor (allauth records each method it used)."""
    records = get_authentication_records(SimpleNamespace(session=session), user)  # type: ignore[arg-type]
    return any(record.get("method") == "mfa" for record in records)


def mark_credential(user: Any, *, mfa_passed: bool) -> None:
    """Record on the request's user whether the credential it came with passed the second factor."""
    setattr(user, MFA_PASSED, mfa_passed)
    user.__dict__.pop("_access", None)  # accounts.access caches per user object: recompute with this
