"""The task worker: django-tasks-db's worker plus schedules and recovery of orphaned tasks.

Every ``--maintenance-interval`` seconds a side thread enqueues due periodic jobs
and makes tasks orphaned by a dead worker runnable again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from core.tasks import enqueue_due_periodic_jobs, recover_stale_tasks

logger = logging.getLogger(__name__)


def _maintenance_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            recover_stale_tasks()
            enqueue_due_periodic_jobs()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next round retries
            logger.exception("worker maintenance round failed")
        finally:
            close_old_connections()
        stop.wait(interval)


class Command(DBWorkerCommand):
    help = "Run the background task worker, with periodic jobs and recovery of orphaned tasks."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--maintenance-interval", type=float, default=30.0)
        # django-tasks-db reloads on code changes by default under DEBUG, running the worker as a child
        # of the visible process: killing that PID left the worker behind. Reloading is asked for, or off.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options.pop("maintenance_interval")
        stop = threading.Event()
        thread = threading.Thread(target=_maintenance_loop, args=(stop, interval), daemon=True, name="maintenance")
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
