"""Tasks used by the task-plumbing tests (importable by path, as the worker needs)."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache

from core.tasks import TransientError, periodic, retrying_task


@retrying_task(max_attempts=3, base_delay=10)
def flaky(key: str, failures: int) -> str:
    """Fails transiently ``failures`` times, then succeeds."""
    calls = cache.get_or_set(key, 0, timeout=None)
    cache.set(key, calls + 1, timeout=None)
    if calls < failures:
        raise TransientError("dependency down")
    return "done"


@retrying_task(max_attempts=3)
def polite(key: str) -> str:
    calls = cache.get_or_set(key, 0, timeout=None)
    cache.set(key, calls + 1, timeout=None)
    if calls == 0:
        raise TransientError("rate limited", retry_after=120)
    return "done"


@retrying_task()
def broken(key: str) -> None:
    cache.set(key, (cache.get(key) or 0) + 1)
    raise ValueError("a bug, not worth retrying")


@periodic(every=timedelta(hours=1))
@retrying_task()
def hourly() -> None:
    cache.set("hourly-ran", (cache.get("hourly-ran") or 0) + 1)
