"""The live WebSocket: one per signed-in client, joined to a per-user group."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework.exceptions import PermissionDenied

from accounts.access import require_case_data_access
from core.events import user_group

UNAUTHORISED = 4401
MFA_REQUIRED = 4403


@database_sync_to_async
def _may_receive_case_data(user: Any) -> bool:
    """Live events name children (alerts, questions): staff need MFA for them, as for the API."""
    try:
        require_case_data_access(user)
    except PermissionDenied:
        return False
    return True


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Server-to-client events: ``{"event": "...", "data": {...}}``. The client may send ``{"type": "ping"}``."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHORISED)
            return
        if not await _may_receive_case_data(user):
            await self.close(code=MFA_REQUIRED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"event": "hello", "data": {"user_id": user.pk}})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong", "data": {}})

    async def push_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"event": message["event"], "data": message["data"]})
