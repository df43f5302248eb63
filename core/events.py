"""Live events to connected WebSocket clients, sent only after the transaction commits.

The socket is a fast path; the database (inbox, alert list) is the truth. A channel
layer that is down (Redis restarting) is logged and skipped: it never fails the
write that caused the event.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _send(group: str, event: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "push.event", "event": event, "data": payload})
    except Exception:  # noqa: BLE001 - a down channel layer must not break the caller
        logger.warning("live event %s to %s not sent: channel layer unavailable", event, group, exc_info=True)


def send_event_on_commit(user_ids: list[int] | set[int], event: str, payload: dict[str, Any]) -> None:
    """Send ``event`` to each user's sockets once the current transaction commits."""
    targets = sorted(set(user_ids))

    def deliver() -> None:
        for user_id in targets:
            _send(user_group(user_id), event, payload)

    transaction.on_commit(deliver)
