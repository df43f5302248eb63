"""An alert nobody acknowledges never goes quiet: after the escalations, the managers are reminded until someone does."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Membership
from api.wellbeing.models import Alert
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _help(client_for, who) -> None:
    assert client_for(who).post("/api/v1/help/", {"id": str(uuid.uuid4())}, format="json").status_code == 201


def _at(start, minutes: int, run_tasks) -> int:
    with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
        run_tasks()
    return Alert.objects.get().escalation_level


def _reminders(user) -> int:
    return Notification.objects.filter(kind="alert.escalated", recipient=user).count()


def test_after_two_escalations_the_manager_is_reminded_every_hour_until_someone_acknowledges(
    cast, client_for, run_tasks
):
    start = timezone.now()
    _help(client_for, cast.sam)
    assert [_at(start, m, run_tasks) for m in (31, 62)] == [1, 2]
    assert _at(start, 100, run_tasks) == 2  # the reminder is an hour after the last escalation, not sooner
    assert [_at(start, m, run_tasks) for m in (123, 184)] == [3, 4]
    assert _reminders(cast.tom) == 4
    alert = Alert.objects.get()
    assert client_for(cast.priya).post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 200
    assert _at(start, 300, run_tasks) == 4
    assert _reminders(cast.tom) == 4


def test_reminders_go_to_the_managers_on_duty_when_there_are_any(cast, client_for, run_tasks, settings):
    settings.ALERT_MAX_ESCALATIONS = 1
    settings.ALERT_REMINDER_MINUTES = 10
    Membership.objects.filter(user=cast.priya, organisation=cast.riverside).update(role="project_manager")
    start = timezone.now()
    _help(client_for, cast.sam)
    assert [_at(start, m, run_tasks) for m in (31, 42)] == [1, 2]
    assert (_reminders(cast.tom), _reminders(cast.priya)) == (1, 2)  # both escalated to; only Priya is on duty


def _setting_from_env(name: str, value: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "SECRET_KEY"}}
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backend.settings'; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env={**clean, "DEBUG": "true", name: value}, capture_output=True, text=True
    )


def test_the_escalation_settings_are_read_from_the_environment():
    assert _setting_from_env("ALERT_REMINDER_MINUTES", "15").stdout.strip() == "15"
    assert _setting_from_env("ALERT_ESCALATION_MINUTES", "20").stdout.strip() == "20"
    refused = _setting_from_env("ALERT_REMINDER_MINUTES", "often")
    assert refused.returncode != 0 and "ALERT_REMINDER_MINUTES" in refused.stderr
