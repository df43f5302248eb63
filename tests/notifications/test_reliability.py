"""Nothing lost, nothing doubled: FCM down for an hour, a worker killed half-way, Redis down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django_tasks_db.models import DBTaskResult

from core.events import user_group
from notifications import delivery
from notifications.models import Delivery, DeliveryAttempt, Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
CONTEXT = {"sender_name": "Priya", "preview": "See you Thursday"}


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def _next_retry() -> datetime | None:
    task = (
        DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_pushes").order_by("run_after").first()
    )
    return task.run_after if task else None


def test_fcm_down_for_an_hour_loses_nothing_and_delivers_once_within_the_ttl(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    phone(cast.priya, "priya-phone")
    fcm.go_down(status=503)
    with time_machine.travel(EVENING, tick=False):
        notify(
            recipients=[cast.sam, cast.priya],
            kind="message.from_worker",
            context=CONTEXT,
            expires_at=EVENING + timedelta(hours=6),
        )
        run_tasks()
    back_at = EVENING + timedelta(hours=1)
    now = EVENING
    while (due := _next_retry()) is not None:
        now = due
        if now >= back_at:
            fcm.come_back()
        with time_machine.travel(now, tick=False):
            run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 1, "priya-phone": 1}
    assert back_at <= now < EVENING + timedelta(hours=6)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    retries = DeliveryAttempt.objects.filter(outcome="retry")
    assert retries.count() >= 2 * 6  # backed off, not hammered: a dozen or so tries each over the hour
    assert set(retries.values_list("status_code", flat=True)) == {503}


@time_machine.travel(EVENING, tick=False)
def test_fcm_down_past_the_ttl_drops_the_push_but_keeps_the_inbox_item(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    fcm.go_down(status=503)
    notify(
        recipients=[cast.sam], kind="message.from_worker", context=CONTEXT, expires_at=EVENING + timedelta(minutes=5)
    )
    run_tasks()
    while (due := _next_retry()) is not None:
        with time_machine.travel(due, tick=False):
            run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.EXPIRED
    assert Notification.objects.filter(recipient=cast.sam).count() == 1
    assert fcm.delivered_tokens() == {}


@time_machine.travel(EVENING, tick=False)
def test_a_worker_killed_half_way_through_a_batch_resumes_without_sending_anyone_twice(cast, phone, fcm, monkeypatch):
    for n in range(7):
        phone(cast.sam if n % 2 else cast.priya, f"phone-{n}")
    notify(recipients=[cast.sam, cast.priya], kind="message.from_worker", context=CONTEXT)
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    monkeypatch.setattr(delivery, "PER_CALL", 3)

    def kill_before_second_chunk(index: int) -> None:
        if index == 1:
            raise WorkerKilled

    monkeypatch.setattr(delivery, "chunk_hook", kill_before_second_chunk)
    with pytest.raises(WorkerKilled):
        delivery.deliveries_send(ids)
    assert sum(fcm.delivered_tokens().values()) == 3

    monkeypatch.setattr(delivery, "chunk_hook", None)
    delivery.deliveries_send(ids)  # the task, recovered and run again
    delivery.deliveries_send(ids)  # and once more for good measure
    assert fcm.delivered_tokens() == {f"phone-{n}": 1 for n in range(7)}


def test_a_claim_left_by_a_dead_worker_is_sent_after_the_lease_with_the_same_collapse_id(
    cast, phone, fcm, settings, run_tasks
):
    phone(cast.sam, "sam-phone")
    with time_machine.travel(EVENING, tick=False):
        item = notify(recipients=[cast.sam], kind="message.from_worker", context=CONTEXT)[0]
        # The worker claimed the delivery and died before it could send or record anything.
        Delivery.objects.update(status=Delivery.Status.SENDING, claimed_at=EVENING)
        DBTaskResult.objects.all().delete()
        delivery.deliveries_send(list(Delivery.objects.values_list("pk", flat=True)))
        assert fcm.sends == 0  # still within the lease: another worker may be sending it
    with time_machine.travel(EVENING + timedelta(seconds=settings.PUSH_LEASE_SECONDS + 60 * 30), tick=False):
        assert delivery.deliveries_recover() == 1
        run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 1}
    assert fcm.received[0].message["android"]["collapse_key"] == f"n{item.pk}"


@time_machine.travel(EVENING, tick=False)
def test_redis_down_still_writes_the_inbox_and_queues_the_push(
    cast, phone, settings, django_capture_on_commit_callbacks
):
    pytest.importorskip("channels_redis")
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    phone(cast.sam, "sam-phone")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.sam], kind="message.from_worker", context=CONTEXT)
    assert Notification.objects.filter(recipient=cast.sam).count() == 1
    assert Delivery.objects.get().status == Delivery.Status.PENDING


@time_machine.travel(EVENING, tick=False)
def test_the_live_event_reaches_the_persons_socket_group_after_commit(cast, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(cast.sam.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        item = notify(recipients=[cast.sam], kind="message.from_worker", context=CONTEXT)[0]
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "notification.created"
    assert message["data"]["id"] == item.pk
    assert message["data"]["title"] == "Message from Priya"
