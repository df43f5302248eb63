"""Shared helpers for benchmarks: a real server on a real database, latency percentiles, auth tokens.

Typical use::

    env = bench.common.bench_env()            # fresh SQLite under a temp dir (or DATABASE_URL from the caller)
    bench.common.setup_django(env)            # migrate, then bulk-create data with the ORM
    with bench.common.server(env) as base:    # daphne on a free port, same database
        figures = bench.common.latency(base + "/api/v1/...", 200, headers=...)
        bare = bench.common.latency(base + "/bench/bare/", 200)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def bench_env(**overrides: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) on a fresh SQLite file unless DATABASE_URL is given."""
    var_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    from backend.devkeys import development_jwt_key

    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "JWT_PRIVATE_KEY": development_jwt_key(var_dir),
        "VAR_DIR": str(var_dir),
        "BENCH_BARE_VIEW": "true",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "backend.settings",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    env.update(overrides)
    return env


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process against the benchmark database and migrate it."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(env: dict[str, str] | None = None, *, workers_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run daphne on a free port against ``env``'s database; yield its base URL."""
    env = env or bench_env()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "backend.asgi:application"],
        cwd=ROOT,
        env={**os.environ, **env, **(workers_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/health/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                err = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"server did not start: {err[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.50), 2),
        "p95_ms": round(pick(0.95), 2),
        "p99_ms": round(pick(0.99), 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def latency(
    url: str,
    n: int,
    *,
    headers: dict[str, str] | None = None,
    warmup: int = 10,
    method: str = "GET",
    json_body: Any = None,
) -> dict[str, float]:
    """Sequential requests on one keep-alive connection; every response must be 2xx."""
    samples = []
    with httpx.Client(headers=headers or {}, timeout=30) as client:
        for index in range(warmup + n):
            started = time.perf_counter()
            response = client.request(method, url, json=json_body)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code >= 300:
                raise RuntimeError(f"{method} {url} answered {response.status_code}: {response.text[:300]}")
            if index >= warmup:
                samples.append(elapsed)
    return percentiles(samples)


def session_token(user: Any) -> str:
    """A real allauth app session token for ``user`` (Django must be set up).

    It records the sign-in steps as allauth does, the second factor too for a user with TOTP: staff
    need a sign-in that passed it to read case data, and a staff sign-in with no recorded time is idle.
    """
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    records: list[dict[str, Any]] = [{"method": "password", "at": time.time()}]
    if Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    store[AUTHENTICATION_METHODS_SESSION_KEY] = records
    store[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    store.create()
    return str(store.session_key)


def emit(name: str, figures: dict[str, Any]) -> None:
    """Print the figures readably, then as the final JSON line."""
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps({"benchmark": name, **figures}))
