"""What a transport is given and what it answers, one result per message, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # 429, 500, 503, a timeout: try again later
    UNREGISTERED = "unregistered"  # the token is dead: deactivate the device
    PERMANENT = "permanent"  # anything else: record it, do not retry


@dataclass(frozen=True)
class PushMessage:
    key: int  # the delivery id
    token: str
    platform: str
    title: str
    body: str
    deep_link: str = ""
    collapse_id: str = ""  # the same notification sent twice shows once on the device
    ttl_seconds: int = 3600
    urgent: bool = False
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PushResult:
    key: int
    outcome: Outcome
    status_code: int | None = None
    error_code: str = ""
    message_id: str = ""
    retry_after: float | None = None
    latency_ms: int = 0


class Transport(Protocol):
    def send(self, messages: list[PushMessage]) -> list[PushResult]:
        """Send each message; never raise for one message's failure: answer it in its result."""
        ...
