"""Live events to connected WebSocket clients, sent only after the transaction commits.

The socket is a fast path; the database (inbox, alert list) is the truth. A channel
layer that is down (Redis restarting) is logged and skipped: it never fails the
write that caused the event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


Event = tuple[int, str, dict[str, Any]]  # (user id, event name, payload)


def _send_all(events: list[Event]) -> None:
    """Send every event in one trip through the event loop; a failure is logged, never raised."""
    layer = get_channel_layer()
    if layer is None or not events:
        return

    async def send() -> list[Any]:
        return await asyncio.gather(
            *(
                layer.group_send(user_group(user_id), {"type": "push.event", "event": event, "data": payload})
                for user_id, event, payload in events
            ),
            return_exceptions=True,
        )

    try:
        failures = [result for result in async_to_sync(send)() if isinstance(result, BaseException)]
    except Exception as exc:  # noqa: BLE001 - a down channel layer must not break the caller
        failures = [exc]
    if failures:
        logger.warning(
            "%d of %d live event(s) not sent: channel layer unavailable (%s)", len(failures), len(events), failures[0]
        )


def send_events_on_commit(events: Iterable[Event]) -> None:
    """Send many users their events once the current transaction commits (fan-out in one batch)."""
    batch = list(events)
    if batch:
        transaction.on_commit(lambda: _send_all(batch))


def send_event_on_commit(user_ids: Iterable[int], event: str, payload: dict[str, Any]) -> None:
    """Send ``event`` to each user's sockets once the current transaction commits."""
    send_events_on_commit((user_id, event, payload) for user_id in sorted(set(user_ids)))
