"""Live delivery across processes through the Redis channel layer (run with REDIS_URL set)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from backend.asgi import application
from core.events import user_group
from notifications.services import notify
from tests.conftest import session_token_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

LISTENER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from core.events import user_group

    async def listen(user_id):
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(user_group(user_id), channel)
        print("ready", flush=True)
        message = await layer.receive(channel)
        print(json.dumps(message), flush=True)

    async_to_sync(listen)(int(sys.argv[1]))
    """
)


def test_a_notification_written_here_reaches_a_socket_served_by_another_process(
    cast, django_capture_on_commit_callbacks
):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings_test", "PYTHONPATH": str(root)}
    listener = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", LISTENER, str(cast.sam.pk)], stdout=subprocess.PIPE, text=True, env=env, cwd=root
    )
    watchdog = threading.Timer(30, listener.kill)  # never hang the suite on a lost message
    watchdog.start()
    try:
        assert listener.stdout is not None
        assert listener.stdout.readline().strip() == "ready"
        with django_capture_on_commit_callbacks(execute=True):
            item = notify(
                recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "Priya", "preview": "x"}
            )[0]
        message = json.loads(listener.stdout.readline())
        listener.wait(timeout=10)
    finally:
        watchdog.cancel()
        listener.kill()
    assert message["event"] == "notification.created"
    assert message["data"]["id"] == item.pk


IDLE_SECONDS = 60


# Run alone (``solo``): alongside the other test worker this test has lost its event after the idle minute in two
# CI runs on PostgreSQL, though it passes on its own and with the notifications and core tests in parallel; the
# cause is not found yet.
@pytest.mark.solo
@pytest.mark.django_db(transaction=True)
def test_three_idle_sockets_stay_open_for_a_minute_and_still_get_their_events(cast):
    """channels-redis listens in 5 s waits; a socket timeout no longer than that closed idle sockets with 1011."""
    tokens = [session_token_for(user) for user in (cast.sam, cast.jo, cast.priya)]
    users = [cast.sam.pk, cast.jo.pk, cast.priya.pk]

    async def scenario() -> tuple[list[bool], list[dict]]:
        sockets = []
        for token in tokens:
            communicator = WebsocketCommunicator(application, "/ws/v1/", headers=[(b"x-session-token", token.encode())])
            connected, _ = await communicator.connect(timeout=5)
            assert connected
            await communicator.receive_json_from(timeout=5)  # hello
            sockets.append(communicator)
        await asyncio.sleep(IDLE_SECONDS)
        # Nothing waiting to be read (a close would be) and each consumer still running.
        still_open = [await c.receive_nothing(timeout=0.1) and not c.future.done() for c in sockets]
        layer = get_channel_layer()
        for user_id in users:
            await layer.group_send(user_group(user_id), {"type": "push.event", "event": "ping.test", "data": {}})
        # Generous: the other test worker may be loading the machine; a socket that was closed never answers at all.
        received = [await communicator.receive_json_from(timeout=20) for communicator in sockets]
        for communicator in sockets:
            await communicator.disconnect()
        return still_open, received

    still_open, received = async_to_sync(scenario)()
    assert still_open == [True, True, True]
    assert received == [{"event": "ping.test", "data": {}}] * 3
