"""Done when: Sam's phone gets a discreet reminder at the right hour and not at night; a session cancelled
tonight reaches Sam at once; Priya's alert arrives on her socket and her phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from backend.asgi import application
from notifications.kinds import KINDS, Category, Kind, declare
from notifications.models import Delivery, Notification
from notifications.services import notify
from tests.conftest import session_token_for

# Kinds for these scenarios only, shaped like the sessions module's: a reminder that expires when the
# session starts, and a short-notice cancellation that is urgent.
REMINDER = "scenario.session_reminder"
CANCELLED_TONIGHT = "scenario.session_cancelled_tonight"
if REMINDER not in KINDS:
    declare(
        Kind(
            REMINDER,
            Category.REMINDER,
            _("{group} starts at {time}"),
            _("See you at {venue}."),
            deep_link="app://sessions/{session_id}",
            discreet_title=_("Reminder"),
            discreet_body=_("You have something coming up."),
        )
    )
if CANCELLED_TONIGHT not in KINDS:
    declare(
        Kind(
            CANCELLED_TONIGHT,
            Category.CHANGE,
            _("{group} tonight is cancelled"),
            _("{note}"),
            urgent=True,
            deep_link="app://sessions/{session_id}",
            discreet_title=_("Change to your plans"),
            discreet_body=_("Open the app to see the details."),
        )
    )

SESSION = {
    "group": "Riverside Young Carers Tuesday group",
    "time": "16:30",
    "venue": "the youth centre",
    "session_id": 12,
}
MONDAY_NIGHT = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # Monday 21:30 in London (GMT)
TUESDAY_MORNING = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
TUESDAY_SESSION = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)


def _register_sams_phone(client_for, cast):
    response = client_for(cast.sam).post(
        "/api/v1/devices/", {"token": "sams-phone", "platform": "android", "app_version": "2.1.0"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_sams_phone_gets_a_discreet_reminder_at_the_right_hour_and_not_at_night(cast, client_for, fcm, run_tasks):
    _register_sams_phone(client_for, cast)
    with time_machine.travel(MONDAY_NIGHT, tick=False):
        notify(recipients=[cast.sam], kind=REMINDER, context=SESSION, expires_at=TUESDAY_SESSION)
        run_tasks()
    with time_machine.travel(TUESDAY_MORNING - timedelta(minutes=1), tick=False):
        run_tasks()
    assert fcm.sends == 0  # nothing in the night

    with time_machine.travel(TUESDAY_MORNING, tick=False):
        run_tasks()
    assert fcm.delivered_tokens() == {"sams-phone": 1}
    lock_screen = fcm.received[0].message["notification"]
    assert lock_screen == {"title": "Reminder", "body": "You have something coming up."}
    for word in ("carer", "Carer", "Sam", "Riverside", "youth centre"):
        assert word not in str(lock_screen)
    # After unlock, the inbox has the full text.
    inbox = client_for(cast.sam).get("/api/v1/notifications/").json()["results"]
    assert inbox[0]["title"] == "Riverside Young Carers Tuesday group starts at 16:30"


@pytest.mark.django_db
def test_a_reminder_in_the_school_day_waits_for_the_bell_and_one_past_its_session_is_dropped(
    cast, client_for, fcm, run_tasks
):
    _register_sams_phone(client_for, cast)
    ten_am = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    with time_machine.travel(ten_am, tick=False):
        notify(recipients=[cast.sam], kind=REMINDER, context=SESSION, expires_at=TUESDAY_SESSION)
        lunch = {**SESSION, "time": "12:00", "session_id": 13}
        notify(
            recipients=[cast.sam], kind=REMINDER, context=lunch, expires_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        )
        run_tasks()
    assert fcm.sends == 0
    with time_machine.travel(datetime(2026, 11, 24, 15, 30, tzinfo=UTC), tick=False):
        run_tasks()
    assert fcm.delivered_tokens() == {"sams-phone": 1}
    assert fcm.received[0].message["data"]["deep_link"] == "app://sessions/12"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent", "expired"}
    assert Notification.objects.filter(recipient=cast.sam).count() == 2  # both kept in the inbox


@pytest.mark.django_db
def test_a_session_cancelled_tonight_reaches_sam_at_once(cast, client_for, fcm, run_tasks):
    _register_sams_phone(client_for, cast)
    with time_machine.travel(MONDAY_NIGHT, tick=False):
        notify(
            recipients=[cast.sam], kind=CANCELLED_TONIGHT, context={**SESSION, "note": "Sorry, the centre is closed."}
        )
        run_tasks()
    assert fcm.delivered_tokens() == {"sams-phone": 1}
    sent = fcm.received[0].message
    assert sent["notification"]["title"] == "Change to your plans"
    assert sent["android"]["priority"] == "high"


@pytest.mark.django_db
def test_sam_can_choose_to_hear_about_reminders_at_night(cast, client_for, fcm, run_tasks):
    _register_sams_phone(client_for, cast)
    client_for(cast.sam).patch("/api/v1/notification-preferences/", {"quiet_hours": []}, format="json")
    with time_machine.travel(MONDAY_NIGHT, tick=False):
        notify(recipients=[cast.sam], kind=REMINDER, context=SESSION, expires_at=TUESDAY_SESSION)
        run_tasks()
    assert fcm.delivered_tokens() == {"sams-phone": 1}


@pytest.mark.django_db(transaction=True)
def test_priyas_alert_arrives_on_her_socket_and_her_phone(cast, client_for, fcm, run_tasks):
    assert (
        client_for(cast.priya)
        .post("/api/v1/devices/", {"token": "priyas-phone", "platform": "ios"}, format="json")
        .status_code
        == 201
    )
    token = session_token_for(cast.priya)

    def raise_alert() -> None:
        with transaction.atomic():
            notify(recipients=[cast.priya], kind="alert.raised", context={"alert_id": 41})

    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/v1/", headers=[(b"x-session-token", token.encode())])
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        await communicator.receive_json_from(timeout=5)  # hello
        await sync_to_async(raise_alert)()
        message = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return message

    message = async_to_sync(scenario)()
    assert message["event"] == "notification.created"
    assert message["data"]["kind"] == "alert.raised" and message["data"]["urgent"] is True
    assert message["data"]["deep_link"] == "portal://alerts/41"
    run_tasks()
    assert fcm.delivered_tokens() == {"priyas-phone": 1}
    sent = fcm.received[0].message
    assert sent["apns"]["headers"]["apns-priority"] == "10"
    assert sent["notification"]["title"] == "Safeguarding alert: open the portal"
