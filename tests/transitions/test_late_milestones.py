"""A record first seen after a milestone has passed: the latest late milestone needing attention is told at once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from cases.models import YoungCarer
from notifications.kinds import get_kind
from notifications.models import Notification
from transitions.models import Milestone
from transitions.services import milestones_mark

pytestmark = pytest.mark.django_db


def _case(cast, born: date) -> YoungCarer:
    return YoungCarer.objects.create(
        organisation=cast.riverside,
        first_name="Robin",
        last_name="Hale",
        date_of_birth=born,
        key_worker=cast.priya,
        status=YoungCarer.Status.ACTIVE,
    )


def test_a_record_first_seen_at_17_years_11_months_tells_the_key_worker_and_a_manager_at_once(cast):
    case = _case(cast, date(2008, 12, 20))
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False):
        milestones_mark()
        assert milestones_mark() == 0  # a second run the same day tells nobody again
    notified = dict(Milestone.objects.filter(case=case).values_list("kind", "notified"))
    assert notified == {"age_14": False, "age_16": False, "age_17": False, "age_17_half": True}
    about_robin = Notification.objects.filter(context__young_person="Robin Hale")
    told = about_robin.filter(kind="transition.milestone_late")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([cast.priya.pk, cast.tom.pk])
    context = told.first().context
    assert context["young_person"] == "Robin Hale" and context["due_on"] == "20 June 2026"
    assert context["milestone"] == Milestone(kind="age_17_half").get_kind_display()
    assert get_kind("transition.milestone_late").urgent  # passes quiet hours: it cannot wait for the morning
    assert about_robin.count() == 2  # one each, not one per late milestone


def test_late_milestones_that_need_nothing_stay_quiet(cast):
    case = _case(cast, date(2012, 8, 1))
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False):
        assert milestones_mark() >= 1
    assert list(Milestone.objects.filter(case=case).values_list("kind", "notified")) == [("age_14", False)]
    assert not Notification.objects.filter(context__young_person="Robin Hale").exists()
