"""Nothing lost, nothing doubled: FCM down for an hour, a worker killed half-way, Redis down."""

from __future__ import annotations

import time
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
from tests.fakes.fcm_server import FakeFcmServer
from tests.workers import run_script, shared_database, start_worker, wait_for

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


def _attempt_times(token: str) -> list[datetime]:
    delivery = Delivery.objects.get(device__token=token)
    return list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("pk").values_list("attempted_at", flat=True))


def test_after_a_long_fcm_outage_an_alert_push_retries_on_its_own_short_schedule(cast, phone, fcm, settings, run_tasks):
    phone(cast.sam, "sam-phone")
    phone(cast.priya, "priya-phone")
    fcm.go_down(status=503)
    with time_machine.travel(EVENING, tick=False):
        notify(recipients=[cast.sam], kind="message.from_worker", context=CONTEXT)
        notify(recipients=[cast.priya], kind="alert.raised", context={"alert_id": 1})
        run_tasks()
    back_at = EVENING + timedelta(hours=1)
    while (due := _next_retry()) is not None:
        if due >= back_at:
            fcm.come_back()
        with time_machine.travel(due, tick=False):
            run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 1, "priya-phone": 1}
    cap = timedelta(seconds=settings.PUSH_URGENT_RETRY_CAP_SECONDS)
    alert_tries = _attempt_times("priya-phone")
    assert max(b - a for a, b in zip(alert_tries, alert_tries[1:], strict=False)) <= cap
    assert alert_tries[-1] - back_at <= cap  # the alert reached Priya within half a minute of FCM's return
    message_tries = _attempt_times("sam-phone")
    assert max(b - a for a, b in zip(message_tries, message_tries[1:], strict=False)) > 5 * cap  # the rest back off


SEED_FAN_OUT = """
    import django
    django.setup()
    from django.utils import timezone
    from accounts.models import User
    from notifications.models import Device
    from notifications.services import notify
    worker = User.objects.create_user(email="on-call@example.org")
    Device.objects.bulk_create(
        Device(user=worker, token=f"phone-{n:03}", platform="android", last_seen_at=timezone.now()) for n in range(200)
    )
    notify(recipients=[worker], kind="message.from_worker", context={"sender_name": "Priya", "preview": "x"})
"""


def test_a_worker_process_killed_mid_fan_out_doubles_at_most_the_call_in_flight(tmp_path):
    """200 pushes sent 10 per call to a slow FCM; the worker is SIGKILLed part-way and another takes over."""
    per_call = 10
    with FakeFcmServer() as fcm:
        fcm.delay = 0.1
        env = shared_database(
            tmp_path,
            PUSH_TRANSPORT="fcm",
            FCM_CREDENTIALS=fcm.service_account_json(),
            FCM_ENDPOINT=fcm.url,
            PUSH_LEASE_SECONDS="10",
            PUSHES_PER_CALL=str(per_call),
        )
        run_script(env, SEED_FAN_OUT)
        first = start_worker(env, tmp_path / "first.log")
        try:
            wait_for(lambda: fcm.sends >= 75, timeout=90, what="the fan-out to be under way")
            first.kill()  # SIGKILL: nothing after this line runs in the worker
            first.wait(timeout=10)
            before = sum(fcm.delivered_tokens().values())
            second = start_worker(env, tmp_path / "second.log")
            try:
                wait_for(lambda: len(fcm.delivered_tokens()) == 200, timeout=90, what="every phone to get its push")
                time.sleep(1)  # anything still to come would arrive now
            finally:
                second.kill()
        finally:
            first.kill()
    counts = fcm.delivered_tokens()
    doubled = sorted(token for token, count in counts.items() if count > 1)
    assert before < 200  # the kill landed mid fan-out
    assert set(counts) == {f"phone-{n:03}" for n in range(200)}
    assert max(counts.values()) <= 2
    assert len(doubled) <= per_call, doubled  # at most the one call in flight when the worker died
