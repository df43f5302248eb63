from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from api.peer import bookings, services
from cases.models import YoungCarer
from cases.services import young_carer_close
from notifications.models import Notification
from tests.peer.conftest import make_event

pytestmark = pytest.mark.django_db


def reminders(user):
    return Notification.objects.filter(recipient=user, kind__endswith=".reminder").order_by("id")


def test_members_get_a_reminder_a_day_and_an_hour_before(cast, next_session, run_tasks):
    with time_machine.travel(next_session.starts_at - timedelta(hours=23), tick=False):
        run_tasks()
        day_before = list(reminders(cast.sam))
    assert [n.title for n in day_before] == ["Thursday Teens starts tomorrow"]
    assert day_before[0].expires_at == next_session.starts_at  # dropped rather than sent late
    with time_machine.travel(next_session.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()
    assert [n.title for n in reminders(cast.sam)][-1] == "Thursday Teens starts in an hour"
    assert reminders(cast.sam).count() == 2
    assert not reminders(cast.jo).exists()


def test_reminders_move_with_the_session(cast, next_session, run_tasks):
    later = next_session.starts_at + timedelta(days=2)
    services.session_move(actor=cast.priya, session=next_session, starts_at=later, ends_at=later + timedelta(hours=1))
    with time_machine.travel(next_session.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()  # the old times come round: nothing is said
    assert not reminders(cast.sam).exists()
    with time_machine.travel(later - timedelta(minutes=30), tick=False):
        run_tasks()
    assert reminders(cast.sam).count() == 2  # a day before and an hour before the new time


def test_a_closed_case_is_not_reminded(cast, next_session, run_tasks):
    young_carer_close(actor=cast.priya, case=cast.sam_case, reason=YoungCarer.ClosedReason.MOVED_AWAY)
    with time_machine.travel(next_session.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()
    assert not reminders(cast.sam).exists()


def test_a_cancelled_session_sends_no_reminders(cast, next_session, run_tasks):
    services.session_cancel(actor=cast.priya, session=next_session)
    with time_machine.travel(next_session.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()
    assert not reminders(cast.sam).exists()


def test_a_reminder_run_twice_tells_once(cast, next_session):
    from api.peer.tasks import session_reminder

    with time_machine.travel(next_session.starts_at - timedelta(hours=2), tick=False):
        for _ in range(2):
            session_reminder.call(next_session.pk, 60, next_session.starts_at.isoformat())
    assert reminders(cast.sam).count() == 1


def test_people_with_a_confirmed_place_are_reminded_of_an_event(cast, run_tasks):
    event = make_event(cast, what_to_bring="Trainers and water")
    bookings.booking_create(actor=cast.priya, event=event, case=cast.alex_case)
    bookings.booking_create(actor=cast.priya, event=event, case=cast.jo_case, parent_email="k@example.org")
    with time_machine.travel(event.starts_at - timedelta(minutes=30), tick=False):
        run_tasks()
    assert [n.body for n in reminders(cast.alex)] == ["Remember: Trainers and water"] * 2
    assert not reminders(cast.jo).exists()  # still waiting for her mum's answer


def test_lock_screen_text_of_peer_kinds_is_discreet():
    from notifications.kinds import KINDS

    for name, kind in KINDS.items():
        if name.split(".")[0] in {"session", "event", "booking", "group"} and kind.deep_link.startswith("app://"):
            text = f"{kind.discreet_title} {kind.discreet_body}".lower()
            assert "carer" not in text and "{" not in text, name
