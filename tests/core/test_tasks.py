from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import backoff_delay, enqueue_due_periodic_jobs, recover_stale_tasks
from tests.core import sample_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


def test_a_transient_failure_is_retried_later_with_backoff(run_tasks):
    sample_tasks.flaky.enqueue("flaky-1", failures=1)
    assert run_tasks() == 1
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    delay = (retry.run_after - timezone.now()).total_seconds()
    assert 4 <= delay <= 10  # attempt 1: full jitter within [base/2, base]
    assert run_tasks() == 0  # not due yet
    with time_machine.travel(retry.run_after + timedelta(seconds=1)):
        assert run_tasks() == 1
    assert cache.get("flaky-1") == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_it_gives_up_after_max_attempts(run_tasks):
    sample_tasks.flaky.enqueue("flaky-2", failures=10)
    start = timezone.now()
    for attempt in range(1, 4):
        with time_machine.travel(start + timedelta(hours=2 * attempt)):
            run_tasks()
    assert cache.get("flaky-2") == 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_retry_after_from_the_dependency_is_honoured(run_tasks):
    sample_tasks.polite.enqueue("polite")
    run_tasks()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert 119 <= (retry.run_after - timezone.now()).total_seconds() <= 120


def test_a_permanent_error_is_not_retried(run_tasks):
    sample_tasks.broken.enqueue("broken")
    run_tasks()
    assert cache.get("broken") == 1
    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED and "ValueError" in failed.exception_class_path


def test_backoff_grows_and_is_capped():
    assert all(1 <= backoff_delay(1) <= 2 for _ in range(50))
    assert all(32 <= backoff_delay(6) <= 64 for _ in range(50))
    assert all(backoff_delay(30, cap=3600) <= 3600 for _ in range(50))


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(run_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        sample_tasks.flaky.enqueue("rolled-back", failures=0)
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == 0


def test_a_dead_workers_claimed_task_is_picked_up_again(run_tasks, settings):
    sample_tasks.flaky.enqueue("orphan", failures=0)
    orphan = DBTaskResult.objects.get()
    orphan.claim("worker-that-died")
    assert run_tasks() == 0  # running elsewhere, as far as anyone knows
    assert recover_stale_tasks() == 0  # still within its lease
    later = timezone.now() + timedelta(seconds=settings.TASK_LEASE_SECONDS + 1)
    with time_machine.travel(later):
        assert recover_stale_tasks() == 1
        assert run_tasks() == 1
    assert cache.get("orphan") == 1


def test_periodic_jobs_are_enqueued_once_per_slot_however_many_workers_ask(run_tasks):
    now = timezone.now().replace(minute=10)
    assert "tests.core.sample_tasks.hourly" in enqueue_due_periodic_jobs(now)
    assert "tests.core.sample_tasks.hourly" not in enqueue_due_periodic_jobs(now + timedelta(minutes=20))
    assert "tests.core.sample_tasks.hourly" in enqueue_due_periodic_jobs(now + timedelta(hours=1))
    hourly_rows = DBTaskResult.objects.filter(task_path="tests.core.sample_tasks.hourly")
    assert hourly_rows.count() == 2


def test_every_apps_periodic_jobs_are_known_to_any_process():
    from core.tasks import PERIODIC_JOBS

    expected = {
        "api.peer.tasks.expand_sessions",
        "api.wellbeing.tasks.sweep_overdue_alerts",
        "notifications.tasks.prune_devices",
        "schools.tasks.remind_overdue_referrals_task",
        "transitions.tasks.mark_milestones_task",
    }
    assert expected <= set(PERIODIC_JOBS)
