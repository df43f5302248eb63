"""The embedded default: logs what would have been pushed, and counts it as sent."""

from __future__ import annotations

import logging

from notifications.transports.base import Outcome, PushMessage, PushResult

logger = logging.getLogger("notifications.push")


class LogTransport:
    def send(self, messages: list[PushMessage]) -> list[PushResult]:
        results = []
        for message in messages:
            logger.info(
                "push to %s device …%s: %r / %r (link %s, ttl %ss%s)",
                message.platform,
                message.token[-6:],
                message.title,
                message.body,
                message.deep_link or "-",
                message.ttl_seconds,
                ", urgent" if message.urgent else "",
            )
            results.append(
                PushResult(key=message.key, outcome=Outcome.SENT, status_code=200, message_id=f"log/{message.key}")
            )
        return results
