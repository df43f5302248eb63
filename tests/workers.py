"""Real processes for reliability tests: a migrated SQLite file they share, scripts run against it, task workers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = textwrap.dedent(
    """
    import os, sys
    import django
    django.setup()
    from django.core.management import call_command
    from notifications import delivery
    if os.environ.get("PUSHES_PER_CALL"):
        delivery.PER_CALL = int(os.environ["PUSHES_PER_CALL"])
    call_command("worker", *sys.argv[1:])
    """
)


def shared_database(directory: Path, **extra: str) -> dict[str, str]:
    """The environment of processes sharing a freshly migrated SQLite file in ``directory``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings_test",
        PYTHONPATH=str(ROOT),
        SQLITE_PATH=str(directory / "shared.sqlite3"),
        VAR_DIR=str(directory),
        **extra,
    )
    migrate = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    return env


def run_script(env: dict[str, str], script: str) -> str:
    """Run ``script`` (which calls django.setup()) against the shared database; its standard output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``manage.py worker`` (checking for tasks every 0.2 s, maintenance every second), logging to ``log``."""
    command = [sys.executable, "-c", WORKER, "--no-startup-delay", "--interval", "0.2", "--maintenance-interval", "1"]
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [*command, *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
