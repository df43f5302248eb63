"""Background work on the Django Tasks API, with the retries and schedules it lacks.

* :func:`retrying_task` wraps a function as a task that re-enqueues itself with
  exponential backoff and jitter when it raises :class:`TransientError` (or one of
  ``retry_on``), up to ``max_attempts``; anything else fails the task for good.
* :func:`periodic` registers a task to be enqueued on a fixed interval; the worker
  command enqueues due runs, once per slot across any number of workers.
* :func:`recover_stale_tasks` makes tasks claimed by a worker that died runnable again.

Tasks are enqueued with the database backend, so an enqueue inside a transaction
is written with that transaction and vanishes if it rolls back.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task

from audit.context import audit_context

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPT_KWARG = "_attempt"
# Task path -> the setting holding its lease, for tasks whose lease is not TASK_LEASE_SECONDS.
LEASE_SETTINGS: dict[str, str] = {}


class TransientError(Exception):
    """A failure worth retrying (a dependency down, a rate limit). ``retry_after`` in seconds if known."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def backoff_delay(attempt: int, *, base: float = 2.0, cap: float = 3600.0) -> float:
    """Full-jitter exponential backoff: a random delay up to ``base * 2**(attempt-1)``, capped."""
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


def retrying_task(
    *,
    max_attempts: int = 8,
    base_delay: float = 2.0,
    max_delay: float = 3600.0,
    retry_on: tuple[type[BaseException], ...] = (TransientError,),
    priority: int = 0,
    queue_name: str = "default",
    lease_setting: str = "TASK_LEASE_SECONDS",
) -> Callable[[Callable[P, R]], Task[P, R | None]]:
    """Decorate a function (that takes JSON-able ids) as a task that retries transient failures.

    ``lease_setting`` names the setting holding how long a claim by a worker that died keeps the
    task from running again (``TASK_LEASE_SECONDS`` unless the task needs a shorter one).
    """

    def decorator(func: Callable[P, R]) -> Task[P, R | None]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> R | None:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                with audit_context(client="task"):
                    return func(*args, **kwargs)
            except retry_on as exc:
                if attempt >= max_attempts:
                    logger.error("%s gave up after %d attempts: %s", func.__qualname__, attempt, exc)
                    raise
                delay = getattr(exc, "retry_after", None) or backoff_delay(attempt, base=base_delay, cap=max_delay)
                run_after = timezone.now() + timedelta(seconds=delay)
                logger.warning("%s attempt %d failed (%s); retrying in %.1fs", func.__qualname__, attempt, exc, delay)
                wrapped.using(run_after=run_after).enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
                return None

        wrapped: Task[P, R | None] = task(priority=priority, queue_name=queue_name)(run)  # type: ignore[arg-type]
        if lease_setting != "TASK_LEASE_SECONDS":
            LEASE_SETTINGS[wrapped.module_path] = lease_setting
        return wrapped

    return decorator


def enqueue_on_commit(task_obj: Task[..., Any], *args: Any, run_after: datetime | None = None, **kwargs: Any) -> None:
    """Enqueue after commit, for work that must not see uncommitted rows. Most callers enqueue in-transaction."""
    configured = task_obj.using(run_after=run_after) if run_after else task_obj
    transaction.on_commit(lambda: configured.enqueue(*args, **kwargs))


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Task[[], Any]


PERIODIC_JOBS: dict[str, PeriodicJob] = {}


def periodic(every: timedelta) -> Callable[[Task[[], Any]], Task[[], Any]]:
    """Register a task (taking no arguments) to run every ``every``. Apply on top of ``@retrying_task``."""

    def decorator(task_obj: Task[[], Any]) -> Task[[], Any]:
        PERIODIC_JOBS[task_obj.module_path] = PeriodicJob(task_obj.module_path, every, task_obj)
        return task_obj

    return decorator


def _slot(now: datetime, every: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo)
    periods = (now - epoch) // every
    return epoch + periods * every


def enqueue_due_periodic_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue each periodic job whose current slot has not been enqueued yet. Safe from many workers."""
    from core.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for job in PERIODIC_JOBS.values():
        slot = _slot(now, job.every)
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, slot=slot)
                job.task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(job.name)
    return enqueued


def recover_stale_tasks(now: datetime | None = None) -> int:
    """Make tasks claimed longer than their lease ago (their worker died) ready to run again."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    leases = {path: int(getattr(settings, name)) for path, name in LEASE_SETTINGS.items()}
    count = 0
    for path, seconds in leases.items():
        count += _make_ready(running.filter(task_path=path), now - timedelta(seconds=seconds))
    count += _make_ready(running.exclude(task_path__in=leases), now - timedelta(seconds=settings.TASK_LEASE_SECONDS))
    if count:
        logger.warning("recovered %d task(s) left running by a dead worker", count)
    return count


def _make_ready(tasks: Any, cutoff: datetime) -> int:
    return int(tasks.filter(started_at__lt=cutoff).update(status=TaskResultStatus.READY, started_at=None))


def run_ready_tasks(*, limit: int = 1000) -> int:
    """Run ready tasks in this process until none is left. For tests, demos and one-off catch-up."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=limit,
        worker_id="inline",
    )
    ran = 0
    while ran < limit:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
