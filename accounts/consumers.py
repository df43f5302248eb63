"""The live WebSocket: one per signed-in client, joined to a per-user and a per-session group."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework.exceptions import PermissionDenied

from accounts.access import require_case_data_access
from accounts.sockets import session_group
from core.events import user_group
from core.redis import UNREACHABLE

UNAUTHORISED = 4401
MFA_REQUIRED = 4403
TRY_AGAIN_LATER = 1013

logger = logging.getLogger(__name__)


@database_sync_to_async
def _may_receive_case_data(user: Any) -> bool:
    """Live events name children (alerts, questions): staff need MFA for them, as for the API."""
    try:
        require_case_data_access(user)
    except PermissionDenied:
        return False
    return True


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Server-to-client events: ``{"event": "...", "data": {...}}``. The client may send ``{"type": "ping"}``.

    The socket closes (4401) when its credential ends: sign-out of its session, the end of a
    membership or the removal of an authenticator (``accounts.sockets``), or, for a JWT,
    when the token expires. The client then signs in again or refreshes and reconnects.
    """

    groups_joined: tuple[str, ...] = ()
    expiry: asyncio.Task[None] | None = None

    layer_listen: Callable[[], Awaitable[dict[str, Any]]] | None = None
    layer_down = False
    accepted = False

    # channels sets ``channel_receive`` (its listen on the channel layer, run beside the socket) as
    # the consumer starts. With Redis down that listen fails at once and would crash the consumer:
    # a failed handshake or a 1011. Wrapped, a failure becomes one "layer.unreachable" message.
    @property
    def channel_receive(self) -> Callable[[], Awaitable[dict[str, Any]]]:
        return self._listen

    @channel_receive.setter
    def channel_receive(self, listen: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.layer_listen = listen

    async def _listen(self) -> dict[str, Any]:
        assert self.layer_listen is not None
        if not self.layer_down:
            try:
                return await self.layer_listen()
            except UNREACHABLE:
                self.layer_down = True
                return {"type": "layer.unreachable"}
        await asyncio.Event().wait()  # reported once; wait until the socket ends and this is cancelled
        raise AssertionError("unreachable")

    async def layer_unreachable(self, message: dict[str, Any]) -> None:
        """Redis went away: close an open socket with 1013; before the handshake, connect() answers."""
        if self.accepted:
            await self._try_again_later()

    async def _try_again_later(self) -> None:
        # No live event could reach this socket. "Try again later": the app reconnects with backoff
        # and reads its inbox meanwhile, instead of meeting a failed handshake or a 1011.
        logger.warning("live socket closed with 1013: the channel layer is unreachable")
        if not self.accepted:
            await self.accept()
        await self.close(code=TRY_AGAIN_LATER)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or self._expired():
            await self.close(code=UNAUTHORISED)
            return
        if not await _may_receive_case_data(user):
            await self.close(code=MFA_REQUIRED)
            return
        session_key = self.scope.get("session_key")
        self.groups_joined = (user_group(user.pk), *([session_group(session_key)] if session_key else []))
        try:
            for group in self.groups_joined:
                await self.channel_layer.group_add(group, self.channel_name)
        except UNREACHABLE:
            self.groups_joined = ()
            self.layer_down = True
        if self.layer_down:
            await self._try_again_later()
            return
        await self.accept()
        self.accepted = True
        await self.send_json({"event": "hello", "data": {"user_id": user.pk}})
        if self.scope.get("expires_at"):
            self.expiry = asyncio.create_task(self._close_at_expiry())

    def _expired(self) -> bool:
        expires_at = self.scope.get("expires_at")
        return expires_at is not None and time.time() >= expires_at

    async def _close_at_expiry(self) -> None:
        await asyncio.sleep(max(0.0, self.scope["expires_at"] - time.time()))
        await self.close(code=UNAUTHORISED)

    async def disconnect(self, code: int) -> None:
        if self.expiry is not None:
            self.expiry.cancel()
        with contextlib.suppress(*UNREACHABLE):  # Redis gone: the memberships expire on their own
            for group in self.groups_joined:
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self._expired():  # belt and braces: a ping never outlives the token either
            await self.close(code=UNAUTHORISED)
            return
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong", "data": {}})

    async def push_event(self, message: dict[str, Any]) -> None:
        if self._expired():
            await self.close(code=UNAUTHORISED)
            return
        await self.send_json({"event": message["event"], "data": message["data"]})

    async def credentials_revoked(self, message: dict[str, Any]) -> None:
        await self.close(code=UNAUTHORISED)
