"""Redis for the cache and the channel layer, built so that Redis going away degrades the service, never stops it.

* :func:`cache_settings` and :func:`channel_layer_settings` build the ``CACHES`` and
  ``CHANNEL_LAYERS`` entries for a Redis URL (settings and tests use the same shapes).
* :class:`FallbackRedisCache` is Django's Redis cache that, while Redis is unreachable,
  answers from this process's local memory instead of raising: sign-in rate limits,
  throttles and short-lived caches keep working per process. The outage is logged once
  when it starts and once when Redis is back.
* :func:`redis_ping` is the readiness probe's check of Redis itself.

This module is imported by the settings, so it imports nothing from Django's settings at import time.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# What "Redis is unreachable" looks like from redis-py; anything else (a bad command) is a bug and is raised.
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def cache_settings(url: str, *, connect_timeout: float, socket_timeout: float, retry_seconds: float) -> dict[str, Any]:
    return {
        "BACKEND": "core.redis.FallbackRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": connect_timeout, "socket_timeout": socket_timeout},
        "RETRY_SECONDS": retry_seconds,
    }


def channel_layer_settings(url: str, *, prefix: str, connect_timeout: float, socket_timeout: float) -> dict[str, Any]:
    """channels-redis waits up to 5 s for each listen (BZPOPMIN); redis-py's default 5 s socket timeout
    equals it, so an idle socket's listen timed out and the consumer closed with 1011. The socket
    timeout here stays well above the listen wait."""
    host = {"address": url, "socket_connect_timeout": connect_timeout, "socket_timeout": socket_timeout}
    return {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [host], "prefix": prefix}}


class _Outage:
    """Whether a Redis location is being skipped, shared by every thread's cache instance in the process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until: dict[str, float] = {}

    def skipping(self, location: str) -> bool:
        return time.monotonic() < self.down_until.get(location, 0.0)

    def went_down(self, location: str, retry_seconds: float, exc: BaseException) -> None:
        with self.lock:
            first = location not in self.down_until
            self.down_until[location] = time.monotonic() + retry_seconds
        if first:
            logger.error(
                "Redis cache at %s is unreachable (%s): using this process's memory until it answers again",
                _safe(location),
                type(exc).__name__,
            )

    def came_back(self, location: str) -> None:
        with self.lock:
            was_down = self.down_until.pop(location, None) is not None
        if was_down:
            logger.warning("Redis cache at %s answers again", _safe(location))


_outage = _Outage()


def _safe(url: str) -> str:
    """The URL without a password, for logs."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else url


class FallbackRedisCache(BaseCache):
    """Django's RedisCache, falling back to a per-process LocMemCache while Redis is unreachable.

    After a failure Redis is not tried again for ``RETRY_SECONDS`` (default 10), so an outage
    costs one connection attempt per process per interval rather than one per call.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._location = server
        self._retry_seconds = float(params.get("RETRY_SECONDS", 10))
        self._redis = RedisCache(server, params)
        local: dict[str, Any] = {
            k: params[k] for k in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION") if k in params
        }
        self._local = LocMemCache(f"redis-fallback:{server}", local)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not _outage.skipping(self._location):
            try:
                result = getattr(self._redis, name)(*args, **kwargs)
            except UNREACHABLE as exc:
                _outage.went_down(self._location, self._retry_seconds, exc)
            else:
                _outage.came_back(self._location)
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        self._local.clear()
        return self._call("clear")

    def close(self, **kwargs: Any) -> None:
        self._redis.close(**kwargs)


def redis_ping(url: str, *, timeout: float = 1.0) -> None:
    """Raise unless Redis at ``url`` answers a PING within ``timeout`` seconds."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()
