"""The embedded SQLite set-up (WAL, BEGIN IMMEDIATE, busy timeout) lets the web process and the worker write at once.

Two processes each run read-then-write transactions against one database file: the pattern that fails with
"database is locked" under SQLite's default deferred transactions. Here every transaction must succeed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

WRITER = textwrap.dedent(
    """
    import os, time, django
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings_test"
    django.setup()
    from django.db import transaction
    from core.models import PeriodicRun
    from django.utils import timezone
    from datetime import timedelta
    name = os.environ["WRITER_NAME"]
    base = timezone.now()
    start_at = float(os.environ["START_AT"])
    time.sleep(max(0.0, start_at - time.time()))  # both writers start together
    for i in range(60):
        with transaction.atomic():
            PeriodicRun.objects.filter(name=name).count()  # read first: the lock upgrade that deadlocks
            time.sleep(0.002)
            PeriodicRun.objects.create(name=name, slot=base + timedelta(seconds=i))
    print("ok")
    """
)


def test_two_processes_write_to_the_sqlite_file_without_database_is_locked(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "shared.sqlite3"), "VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    migrate = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v0", "--settings=backend.settings_test"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    import time

    env["START_AT"] = str(time.time() + 8)
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WRITER],
            cwd=root,
            env={**env, "WRITER_NAME": name},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("web", "worker")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0 and out.strip() == "ok", err[-2000:]
    import sqlite3

    with sqlite3.connect(tmp_path / "shared.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM core_periodicrun").fetchone()[0] == 120
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
