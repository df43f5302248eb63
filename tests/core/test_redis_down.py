"""With Redis unreachable (REDIS_URL pointing at a closed port) the API keeps working and /ready/ says why not.

Sign-in rate limits, throttles and caches fall back to the process's memory, logged once; the
live socket says "try again later" (1013) instead of failing its handshake.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlparse

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.core.cache import caches

from backend.asgi import application
from core import redis as core_redis
from tests.conftest import session_token_for
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"  # nothing listens here


@pytest.fixture
def redis_down(settings):
    """The settings a process started with REDIS_URL=redis://127.0.0.1:6390/0 builds, sign-in rate limits on."""
    settings.REDIS_URL = CLOSED_PORT
    settings.CACHES = {
        "default": core_redis.cache_settings(CLOSED_PORT, connect_timeout=1, socket_timeout=1, retry_seconds=10)
    }
    settings.CHANNEL_LAYERS = {
        "default": core_redis.channel_layer_settings(CLOSED_PORT, prefix="down", connect_timeout=1, socket_timeout=30)
    }
    settings.ACCOUNT_RATE_LIMITS = settings.PRODUCTION_RATE_LIMITS
    core_redis._outage.down_until.pop(CLOSED_PORT, None)  # a fresh process: the outage is not yet known
    caches["default"]._local.clear()  # type: ignore[attr-defined]  # nor has it counted anything
    yield
    core_redis._outage.down_until.pop(CLOSED_PORT, None)


def _sign_in(client_for, email: str = "sam@demo.example", password: str = "demo-pass-2026"):  # noqa: S107 - the demo password
    return client_for(None).post("/_allauth/app/v1/auth/login", {"email": email, "password": password}, format="json")


def test_a_young_carer_can_sign_in_and_the_outage_is_logged_once(cast, client_for, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.redis"):
        first = _sign_in(client_for)
        second = _sign_in(client_for)
    assert first.status_code == 200, first.content[:300]
    assert second.status_code == 200
    assert first.json()["meta"]["session_token"]
    outage_lines = [r for r in caplog.records if r.name == "core.redis"]
    assert len(outage_lines) == 1
    assert "127.0.0.1:6390" in outage_lines[0].getMessage()


def test_sign_in_rate_limits_still_hold_in_process_memory(cast, client_for, redis_down):
    for _ in range(5):
        assert _sign_in(client_for, password="wrong-password").status_code == 400
    right = _sign_in(client_for)  # the account is locked for a while, Redis or not
    assert right.status_code == 400
    assert right.json()["errors"][0]["code"] == "too_many_login_attempts"


def test_the_calendar_feed_and_the_parent_consent_link_answer(cast, client_for, redis_down):
    created = client_for(cast.sam).post("/api/v1/calendar/rotate/")
    assert created.status_code == 201
    feed = client_for(None).get(urlparse(created.json()["url"]).path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    # An unknown consent token: the throttle in front of it ran, and the answer is the usual 404.
    assert_error(client_for(None).get("/api/v1/booking-consent/not-a-real-token/"), 404)


def test_ready_names_redis_as_down_and_fails(client, redis_down):
    response = client.get("/ready/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"].startswith("error")
    assert checks["channel_layer"].startswith("error")
    assert checks["database"] == "ok" and checks["cache"] == "ok"  # the cache answers from memory


@pytest.mark.django_db(transaction=True)
def test_the_socket_handshake_says_try_again_later_instead_of_failing(cast, redis_down):
    token = session_token_for(cast.sam)

    async def scenario() -> tuple[bool, dict]:
        communicator = WebsocketCommunicator(application, "/ws/v1/", headers=[(b"x-session-token", token.encode())])
        connected, _ = await communicator.connect(timeout=10)
        closing = await communicator.receive_output(timeout=10)
        await communicator.wait(timeout=5)
        return connected, closing

    connected, closing = async_to_sync(scenario)()
    assert connected
    assert closing == {"type": "websocket.close", "code": 1013}


@pytest.mark.redis
def test_once_redis_answers_again_the_cache_goes_back_to_it_and_says_so(settings, caplog):
    url = settings.REDIS_URL
    fallback = core_redis.FallbackRedisCache(url, {"KEY_PREFIX": "fallback-test", "RETRY_SECONDS": 0.2})
    core_redis._outage.went_down(url, 0.2, ConnectionError("as if Redis had gone away"))
    fallback.set("answer", "from memory")
    assert fallback._redis.get("answer") is None  # written to memory, not to Redis
    time.sleep(0.3)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.redis"):
        fallback.set("answer", "from redis")
    assert fallback._redis.get("answer") == "from redis"
    assert [r.getMessage() for r in caplog.records if r.name == "core.redis"] == [f"Redis cache at {url} answers again"]
    fallback.delete("answer")
