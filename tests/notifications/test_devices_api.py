from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from audit.models import AuditEntry
from notifications.models import Delivery, Device, Notification
from notifications.services import notify
from notifications.tasks import prune_devices
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

PERSONAS = [
    "young_carer",
    "other_young_carer",
    "key_worker",
    "manager",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]
EVENING = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def _register(client, token="tok-abc", platform="android", **extra):  # noqa: S107 - a push token, not a password
    return client.post("/api/v1/devices/", {"token": token, "platform": platform, **extra}, format="json")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_registers_lists_and_signs_out_only_their_own_devices(personas, client_for, phone, persona):
    someone_else = personas["other_young_carer" if persona != "other_young_carer" else "young_carer"]
    theirs = phone(someone_else, "not-yours")
    client = client_for(personas[persona])

    created = _register(client, token=f"{persona}-phone", app_version="2.1.0", locale="en")
    assert created.status_code == 201, created.content
    mine = created.json()["id"]
    assert "token" not in created.json()  # a push credential is never echoed back
    assert [d["id"] for d in client.get("/api/v1/devices/").json()] == [mine]

    assert client.get(f"/api/v1/devices/{mine}/").status_code == 200
    assert_error(client.get(f"/api/v1/devices/{theirs.pk}/"), 404, "not_found")
    assert_error(client.delete(f"/api/v1/devices/{theirs.pk}/"), 404, "not_found")
    assert Device.objects.filter(pk=theirs.pk).exists()

    assert client.delete(f"/api/v1/devices/{mine}/").status_code == 204
    assert not Device.objects.filter(pk=mine).exists()


def test_anonymous_requests_are_refused(client_for):
    assert client_for(None).get("/api/v1/devices/").status_code == 401
    assert client_for(None).get("/api/v1/notifications/").status_code == 401
    assert client_for(None).get("/api/v1/notification-preferences/").status_code == 401


def test_registering_again_updates_and_never_duplicates(cast, client_for):
    client = client_for(cast.sam)
    first = _register(client, app_version="2.0.0")
    again = _register(client, app_version="2.1.0", platform="android", locale="cy")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    device = Device.objects.get()
    assert (device.app_version, device.locale) == ("2.1.0", "cy")


@time_machine.travel(EVENING, tick=False)
def test_a_phone_signed_in_as_someone_else_moves_to_them_and_never_gets_the_previous_persons_pushes(
    cast, client_for, run_tasks, caplog
):
    _register(client_for(cast.sam), token="shared-phone")
    # A held push for Sam (quiet hours) is still waiting when Jo signs in on the same phone.
    with time_machine.travel(datetime(2026, 11, 24, 22, 0, tzinfo=UTC), tick=False):
        notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    moved = _register(client_for(cast.jo), token="shared-phone")
    assert moved.status_code == 200
    assert Device.objects.get().user == cast.jo
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    assert client_for(cast.sam).get("/api/v1/devices/").json() == []
    with (
        time_machine.travel(datetime(2026, 11, 25, 7, 1, tzinfo=UTC), tick=False),
        caplog.at_level("INFO", "notifications.push"),
    ):
        run_tasks()
    assert not [r for r in caplog.records if r.name == "notifications.push"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"token": "", "platform": "android"}, "token"),
        ({"token": "   ", "platform": "android"}, "token"),
        ({"token": "x" * 513, "platform": "android"}, "token"),
        ({"token": "has space", "platform": "android"}, "token"),
        ({"token": "ok-token", "platform": "blackberry"}, "platform"),
        ({"token": "ok-token"}, "platform"),
        ({"token": "ok-token", "platform": "ios", "locale": "fr"}, "locale"),
    ],
)
def test_bad_device_input_is_a_400_naming_the_field_and_writes_nothing(cast, client_for, payload, field):
    error = assert_error(client_for(cast.sam).post("/api/v1/devices/", payload, format="json"), 400)
    assert field in error.get("fields", {}) or field in error["message"], error
    assert not Device.objects.exists()


def test_registering_a_device_is_audited_without_the_token(cast, client_for):
    _register(client_for(cast.sam), token="secret-token-123")
    entry = AuditEntry.objects.filter(object_repr__startswith="Device").latest("id")
    assert entry.actor == cast.sam
    assert "secret-token-123" not in str(entry.changes)


def test_devices_not_seen_for_270_days_are_pruned_by_the_periodic_task(cast, phone, run_tasks):
    old = phone(cast.sam, "old-phone")
    Device.objects.filter(pk=old.pk).update(last_seen_at=datetime.now(UTC) - timedelta(days=271))
    recent = phone(cast.sam, "recent-phone")
    Device.objects.filter(pk=recent.pk).update(last_seen_at=datetime.now(UTC) - timedelta(days=269))
    prune_devices.enqueue()
    run_tasks()
    assert list(Device.objects.values_list("token", flat=True)) == ["recent-phone"]


def test_prune_is_registered_as_a_periodic_job():
    from core.tasks import PERIODIC_JOBS

    assert any(name.endswith("prune_devices") for name in PERIODIC_JOBS)
    assert any(name.endswith("recover_deliveries") for name in PERIODIC_JOBS)


@time_machine.travel(EVENING, tick=False)
def test_signing_out_cancels_what_was_waiting_for_that_phone(cast, client_for):
    device_id = _register(client_for(cast.sam), token="sam-phone").json()["id"]
    with time_machine.travel(datetime(2026, 11, 24, 22, 0, tzinfo=UTC), tick=False):
        notify(recipients=[cast.sam], kind="message.from_worker", context={"sender_name": "P", "preview": "x"})
    assert client_for(cast.sam).delete(f"/api/v1/devices/{device_id}/").status_code == 204
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED
    assert Notification.objects.filter(recipient=cast.sam).count() == 1  # the inbox keeps it
