"""Closing live sockets when the credential behind them ends (sign-out, membership end, MFA removal).

Each socket joins its user's group (``core.events.user_group``) and a group for the sign-in
session it came with, so signing out on one phone closes that phone's socket only, while
losing a membership or an authenticator closes all of the user's sockets.
"""

from __future__ import annotations

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core.events import user_group

logger = logging.getLogger(__name__)

CLOSE = {"type": "credentials.revoked"}


def session_group(session_key: str) -> str:
    """A group name for one sign-in session; hashed, as the key itself is a credential."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def _close(group: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, CLOSE)
    except Exception as exc:  # noqa: BLE001 - a down channel layer must not fail the sign-out itself
        logger.warning("could not close the sockets of %s: %s", group, exc)


def close_user_sockets_on_commit(user_id: int) -> None:
    transaction.on_commit(lambda: _close(user_group(user_id)))


def close_session_sockets_on_commit(session_key: str) -> None:
    transaction.on_commit(lambda: _close(session_group(session_key)))
