from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notifications import kinds
from notifications.checks import check_kinds
from notifications.kinds import UnknownKind
from notifications.models import Delivery, DeliveryAttempt, Notification, Preference
from notifications.services import notify

pytestmark = pytest.mark.django_db

# Tuesday 24 November 2026, 18:00 in London (GMT, so UTC too): outside every default quiet window.
EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@time_machine.travel(EVENING, tick=False)
def test_it_writes_one_inbox_item_per_recipient_and_one_delivery_per_active_device(cast, phone):
    phone(cast.sam, "sam-phone")
    phone(cast.sam, "sam-tablet", "ios")
    dead = phone(cast.priya, "priya-old")
    dead.is_active = False
    dead.save()
    phone(cast.priya, "priya-phone")

    items = notify(
        recipients=[cast.sam, cast.priya.pk, cast.sam],
        kind="message.from_worker",
        context={"sender_name": "Priya", "preview": "See you Thursday"},
    )

    assert sorted(i.recipient_id for i in items) == sorted([cast.sam.pk, cast.priya.pk])
    tokens = set(Delivery.objects.values_list("device__token", flat=True))
    assert tokens == {"sam-phone", "sam-tablet", "priya-phone"}
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_pushes").count() == 1


@time_machine.travel(EVENING, tick=False)
def test_a_young_carer_gets_discreet_lock_screen_text_and_the_full_text_in_the_inbox(cast, phone, run_tasks, caplog):
    phone(cast.sam, "sam-phone")
    phone(cast.priya, "priya-phone")
    notify(
        recipients=[cast.sam, cast.priya],
        kind="message.from_worker",
        context={"sender_name": "Priya", "preview": "Your brother's appointment"},
    )

    sam_item = Notification.objects.get(recipient=cast.sam)
    assert sam_item.title == "Message from Priya"
    assert sam_item.push_title == "You have a new update"
    assert "Priya" not in sam_item.push_body and "brother" not in sam_item.push_body
    priya_item = Notification.objects.get(recipient=cast.priya)
    assert priya_item.push_title == priya_item.title  # staff see the real text
    with caplog.at_level("INFO", logger="notifications.push"):
        run_tasks()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    lines = [r.getMessage() for r in caplog.records if r.name == "notifications.push"]
    sams = next(line for line in lines if "You have a new update" in line)
    assert "brother" not in sams and "Priya" not in sams


@time_machine.travel(EVENING, tick=False)
def test_a_welsh_speaker_gets_welsh_text(cast, phone):
    cast.jo.locale = "cy"
    cast.jo.save()
    notify(
        recipients=[cast.jo, cast.sam], kind="message.from_worker", context={"sender_name": "Priya", "preview": "Helo"}
    )
    jo_item = Notification.objects.get(recipient=cast.jo)
    assert jo_item.title == "Neges gan Priya"
    assert jo_item.push_title == "Mae gennych ddiweddariad newydd"
    assert Notification.objects.get(recipient=cast.sam).title == "Message from Priya"


def test_a_kind_that_is_not_declared_is_refused_and_nothing_is_written(cast):
    with pytest.raises(UnknownKind, match="no.such"):
        notify(recipients=[cast.sam], kind="no.such", context={})
    assert not Notification.objects.exists()


def test_a_kind_without_discreet_lock_screen_text_fails_the_start_up_check(monkeypatch):
    assert check_kinds() == []
    loud = kinds.Kind("test.loud", kinds.Category.MESSAGE, "Sam's mum is ill", "Body", discreet_title=" ")
    monkeypatch.setitem(kinds.KINDS, loud.name, loud)
    assert [(e.id, e.msg) for e in check_kinds()] == [
        ("notifications.E011", "notification kind 'test.loud' has an empty discreet_title.")
    ]


def test_a_missing_context_value_is_named_and_nothing_is_written(cast):
    with pytest.raises(ValueError, match="sender_name"):
        notify(recipients=[cast.sam], kind="message.from_worker", context={"preview": "x"})
    assert not Notification.objects.exists()


def test_the_same_dedupe_key_writes_nothing_twice(cast, phone):
    phone(cast.sam, "sam-phone")
    context = {"sender_name": "Priya", "preview": "x"}
    first = notify(recipients=[cast.sam], kind="message.from_worker", context=context, dedupe_key="msg-1")
    again = notify(recipients=[cast.sam, cast.jo], kind="message.from_worker", context=context, dedupe_key="msg-1")
    assert len(first) == 1
    assert [i.recipient_id for i in again] == [cast.jo.pk]
    assert Delivery.objects.count() == 1


def test_a_rolled_back_transaction_leaves_no_inbox_item_no_delivery_and_no_task(
    cast, phone, django_capture_on_commit_callbacks
):
    phone(cast.sam, "sam-phone")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
            raise RuntimeError("the caller's change failed")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert callbacks == []


@time_machine.travel(EVENING, tick=False)
def test_a_category_switched_off_keeps_the_inbox_item_but_sends_no_push(cast, phone, run_tasks):
    phone(cast.sam, "sam-phone")
    Preference.objects.create(user=cast.sam, disabled_categories=["message"], quiet_hours=[], daily_cap=None)
    notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
    item = Notification.objects.get()
    assert item.push == Notification.Push.CATEGORY_OFF
    assert not Delivery.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_the_daily_cap_stops_non_urgent_pushes_but_not_the_inbox(cast, phone):
    phone(cast.sam, "sam-phone")
    Preference.objects.create(user=cast.sam, quiet_hours=[], daily_cap=2)
    for n in range(4):
        notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": str(n)})
    pushes = list(Notification.objects.order_by("id").values_list("push", flat=True))
    assert pushes == ["queued", "queued", "capped", "capped"]
    assert Delivery.objects.count() == 2


@time_machine.travel(EVENING, tick=False)
def test_no_device_means_inbox_only(cast):
    items = notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
    assert items[0].push == Notification.Push.NO_DEVICE
    assert not Delivery.objects.exists()


@time_machine.travel(EVENING, tick=False)
def test_fan_out_to_a_group_uses_one_recipient_query_and_bulk_inserts(cast, phone, django_assert_max_num_queries):
    from accounts.models import User

    users = [User(email=f"member{i}@example.org") for i in range(300)]
    User.objects.bulk_create(users)
    members = User.objects.filter(email__startswith="member")
    from django.utils import timezone

    from notifications.models import Device

    Device.objects.bulk_create(
        [Device(user=u, token=f"tok-{u.pk}", platform="android", last_seen_at=timezone.now()) for u in members]
    )
    with django_assert_max_num_queries(20) as captured:
        items = notify(recipients=members, kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    # One for the people (preferences and young-carer age joined in), one for their devices; the rest are bulk inserts.
    assert len(selects) == 2
    assert len(items) == 300
    assert Delivery.objects.count() == 300
    assert DeliveryAttempt.objects.count() == 0


@time_machine.travel(EVENING, tick=False)
def test_an_expired_push_is_never_sent_but_the_inbox_item_is_kept(cast, phone, run_tasks):
    phone(cast.sam, "sam-phone")
    notify(
        recipients=[cast.sam],
        kind="message.from_worker",
        context={"sender_name": "P", "preview": "x"},
        expires_at=EVENING - timedelta(minutes=1),
    )
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().status == Delivery.Status.EXPIRED
    run_tasks()
    assert not DeliveryAttempt.objects.exists()


def test_the_demo_data_loads_twice_without_doubling(cast):
    from notifications import demo

    demo.load(cast)
    demo.load(cast)
    assert Notification.objects.filter(recipient=cast.sam).count() == 1
    assert Notification.objects.filter(recipient=cast.priya).count() == 1
