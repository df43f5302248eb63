"""The live WebSocket: one per signed-in client, joined to a per-user group."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.events import user_group

UNAUTHORISED = 4401


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Server-to-client events: ``{"event": "...", "data": {...}}``. The client may send ``{"type": "ping"}``."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHORISED)
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
