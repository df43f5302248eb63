"""Pushes through the real firebase-admin 7 async client to the fake FCM server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_tasks_db.models import DBTaskResult

from notifications import delivery
from notifications.models import Delivery, DeliveryAttempt, Device, Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
CONTEXT = {"sender_name": "Priya", "preview": "See you Thursday"}


def _message(recipients, **kwargs):
    return notify(recipients=recipients, kind="message.from_worker", context=CONTEXT, **kwargs)


def _due_tasks() -> int:
    return DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_pushes").count()


@time_machine.travel(EVENING, tick=False)
def test_it_pushes_through_firebase_admin_with_the_discreet_text_and_a_collapse_id(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    item = _message([cast.sam])[0]
    run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 1}
    sent = fcm.received[0].message
    assert sent["notification"] == {"title": "You have a new update", "body": "Open the app to see it."}
    assert sent["android"]["collapse_key"] == f"n{item.pk}"
    assert sent["apns"]["headers"]["apns-collapse-id"] == f"n{item.pk}"
    assert sent["data"]["deep_link"] == "app://inbox"
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.outcome, attempt.status_code, attempt.error_code) == ("sent", 200, "")
    assert DeliveryAttempt.objects.get().message_id.startswith("projects/demo-project/messages/")
    assert fcm.token_requests == 1  # the OAuth token came from the service account's token_uri


@time_machine.travel(EVENING, tick=False)
def test_each_send_records_its_own_latency_and_keeps_no_timings_behind(cast, phone, fcm, run_tasks, monkeypatch):
    from notifications.transports import get_transport

    transports = []

    def tracked():
        transports.append(get_transport())
        return transports[-1]

    monkeypatch.setattr(delivery, "get_transport", tracked)
    fcm.delay = 0.05
    phone(cast.sam, "sam-phone")
    for _round in range(2):  # two tasks, so two transports over the one cached firebase app
        _message([cast.sam])
        run_tasks()
    assert len(transports) == 2
    assert fcm.delivered_tokens() == {"sam-phone": 2}
    assert [a.latency_ms >= 50 for a in DeliveryAttempt.objects.order_by("pk")] == [True, True]
    assert [t._latency for t in transports] == [{}, {}]


@time_machine.travel(EVENING, tick=False)
def test_an_unregistered_token_deactivates_the_device_and_is_not_retried(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    phone(cast.sam, "sam-old-phone")
    fcm.unregistered.add("sam-old-phone")
    _message([cast.sam])
    run_tasks()
    old = Device.objects.get(token="sam-old-phone")
    assert (old.is_active, old.deactivated_reason) == (False, "UNREGISTERED")
    assert Delivery.objects.get(device=old).status == Delivery.Status.FAILED
    assert Device.objects.get(token="sam-phone").is_active
    assert _due_tasks() == 0
    # The next notification does not even try the dead token.
    _message([cast.sam])
    run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 2}
    assert [r.token for r in fcm.received].count("sam-old-phone") == 1


@time_machine.travel(EVENING, tick=False)
def test_an_invalid_token_deactivates_the_device(cast, phone, fcm, run_tasks):
    phone(cast.sam, "not-a-token")
    fcm.invalid.add("not-a-token")
    _message([cast.sam])
    run_tasks()
    assert not Device.objects.get().is_active
    assert DeliveryAttempt.objects.get().error_code == "INVALID_ARGUMENT"


@time_machine.travel(EVENING, tick=False)
def test_a_429_is_retried_after_the_retry_after_the_server_asked_for(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    fcm.fail_next(1, status=429, retry_after=120)
    _message([cast.sam])
    run_tasks()
    assert fcm.delivered_tokens() == {}
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="deliver_pushes")
    assert retry.run_after == EVENING + timedelta(seconds=120)
    assert DeliveryAttempt.objects.get().error_code == "QUOTA_EXCEEDED"
    with time_machine.travel(EVENING + timedelta(seconds=121), tick=False):
        run_tasks()
    assert fcm.delivered_tokens() == {"sam-phone": 1}
    assert list(DeliveryAttempt.objects.values_list("outcome", "status_code")) == [("retry", 429), ("sent", 200)]


@time_machine.travel(EVENING, tick=False)
def test_only_the_messages_that_failed_are_sent_again(cast, phone, fcm, run_tasks):
    for n in range(4):
        phone(cast.sam if n < 2 else cast.priya, f"phone-{n}")
    fcm.fail_next(1, status=500)
    _message([cast.sam, cast.priya])
    run_tasks()
    assert sum(fcm.delivered_tokens().values()) == 3
    with time_machine.travel(EVENING + timedelta(hours=1), tick=False):
        run_tasks()
    assert fcm.delivered_tokens() == {f"phone-{n}": 1 for n in range(4)}
    assert Delivery.objects.filter(status="sent").count() == 4


@time_machine.travel(EVENING, tick=False)
def test_other_errors_are_recorded_as_permanent_and_not_retried(cast, phone, fcm, run_tasks):
    phone(cast.sam, "sam-phone")
    fcm.fail_next(1, status=403)
    _message([cast.sam])
    run_tasks()
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    assert DeliveryAttempt.objects.get().outcome == "permanent"
    assert Device.objects.get().is_active  # the device is fine; the message could not go
    assert _due_tasks() == 0


def test_a_push_configuration_that_cannot_work_stops_start_up_naming_it(settings):
    settings.PUSH_TRANSPORT = "fcm"
    settings.FCM_CREDENTIALS = ""
    with pytest.raises(SystemCheckError, match="FCM_CREDENTIALS"):
        call_command("check")
    settings.FCM_CREDENTIALS = "{not json"
    with pytest.raises(SystemCheckError, match="not valid JSON"):
        call_command("check")


def test_the_log_transport_is_the_default_and_counts_as_sent(cast, phone, run_tasks, settings):
    assert settings.PUSH_TRANSPORT == "log"
    phone(cast.priya, "priya-phone")
    with time_machine.travel(EVENING, tick=False):
        notify(recipients=[cast.priya], kind="alert.raised", context={"alert_id": 1})
        run_tasks()
    assert Delivery.objects.get().status == "sent"
    assert Notification.objects.get().urgent


@time_machine.travel(EVENING, tick=False)
def test_a_batch_larger_than_one_call_is_all_sent_and_recorded(cast, phone, fcm, run_tasks):
    from notifications.transports import fcm as fcm_transport

    count = fcm_transport.PER_CALL + 5
    for n in range(count):
        phone(cast.sam, f"phone-{n}")
    _message([cast.sam])
    run_tasks()
    assert fcm.delivered_tokens() == {f"phone-{n}": 1 for n in range(count)}
    assert Delivery.objects.filter(status="sent").count() == count
    assert DeliveryAttempt.objects.filter(outcome="sent").count() == count
