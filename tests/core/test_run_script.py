"""``make run`` for real (scripts/run.sh) on another port: the links it makes and the worker it starts.

Under DEBUG the worker used to run behind Django's autoreloader, so the PID visible to an operator
was the reloader's and killing it left the real worker running; and links pointed at port 8000
whatever PORT said.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workers import ROOT, wait_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
            return bool(response.status == 200)
    except OSError:
        return False


def _post(url: str, body: dict, headers: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return dict(json.loads(response.read()))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """scripts/run.sh on a free port, with its own SQLite file; stopped (its whole group) afterwards."""
    port = _free_port()
    drop = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TESTING", "DEBUG", "PUBLIC_BASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PORT=str(port), PY=sys.executable, VAR_DIR=str(tmp_path), SQLITE_PATH=str(tmp_path / "demo.sqlite3"))
    with (tmp_path / "run.log").open("wb") as log:
        # Its own session: run.sh's trap ends its whole process group, which must not be ours.
        script = subprocess.Popen(  # noqa: S603 - the script under test
            [shutil.which("bash") or "/bin/bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/health/"), timeout=240, what="make run to serve")
        yield port, script
    finally:
        os.killpg(script.pid, signal.SIGTERM)
        script.wait(timeout=30)


def test_make_run_on_another_port_makes_links_for_that_port_and_a_worker_whose_pid_is_its_own(served):
    port, script = served
    signed_in = _post(
        f"http://127.0.0.1:{port}/_allauth/app/v1/auth/login",
        {"email": "sam@demo.example", "password": "demo-pass-2026"},
    )
    feed = _post(
        f"http://127.0.0.1:{port}/api/v1/calendar/rotate/", {}, {"X-Session-Token": signed_in["meta"]["session_token"]}
    )
    assert feed["url"].startswith(f"http://127.0.0.1:{port}/api/v1/calendar/feed/")

    commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in _children(script.pid)}
    workers = [pid for pid, argv in commands.items() if b"worker" in argv]
    assert len(workers) == 1
    worker = workers[0]
    time.sleep(2)  # an autoreloader would have started its child by now
    assert _children(worker) == []  # no reloader: the process running tasks is the one with this PID
    os.kill(worker, signal.SIGTERM)
    wait_for(lambda: not _alive(worker), timeout=30, what="the worker to stop")
