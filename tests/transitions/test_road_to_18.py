from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import YoungCarer, age_on
from core.tasks import enqueue_due_periodic_jobs
from notifications.models import Notification
from tests.transitions.conftest import walk
from transitions.models import Milestone, State, Transition
from transitions.road import add_working_days, birthday, milestone_dates
from transitions.services import milestones_mark

pytestmark = pytest.mark.django_db


def _case(cast, born: date, **extra) -> YoungCarer:
    return YoungCarer.objects.create(
        organisation=cast.riverside,
        first_name="Robin",
        last_name="Hale",
        date_of_birth=born,
        key_worker=cast.priya,
        **{"status": YoungCarer.Status.ACTIVE, **extra},
    )


def _kinds(case) -> list[str]:
    return list(Milestone.objects.filter(case=case).order_by("due_on").values_list("kind", flat=True))


def test_milestone_dates_from_a_birthday_on_29_february():
    dates = milestone_dates(date(2008, 2, 29))
    assert dates["age_14"] == date(2022, 3, 1)
    assert dates["age_16"] == date(2024, 2, 29)  # a leap year: the day itself
    assert dates["age_17"] == date(2025, 3, 1)
    assert dates["age_17_half"] == date(2025, 9, 1)
    assert dates["age_18"] == date(2026, 3, 1)
    # The same rule as the case record's age.
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)


def test_a_29_february_birthday_reaches_18_on_1_march(cast):
    case = _case(cast, date(2008, 2, 29))
    with time_machine.travel(datetime(2026, 2, 28, 23, 30, tzinfo=UTC), tick=False):
        milestones_mark()
    assert "age_18" not in _kinds(case)
    with time_machine.travel(datetime(2026, 3, 1, 0, 30, tzinfo=UTC), tick=False):
        milestones_mark()
        assert case.age() == 18
    assert _kinds(case)[-1] == "age_18"


def test_the_london_date_counts_when_the_clocks_go_back(cast):
    # Clocks go back at 01:00 UTC on 25 October 2026; 23:30 UTC on the 24th is already 00:30 on the 25th in London.
    case = _case(cast, date(2009, 10, 25))
    with time_machine.travel(datetime(2026, 10, 24, 22, 30, tzinfo=UTC), tick=False):
        milestones_mark()
    assert "age_17" not in _kinds(case)
    with time_machine.travel(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), tick=False):
        milestones_mark()
    assert "age_17" in _kinds(case)


def test_the_london_date_counts_after_the_clocks_go_forward(cast):
    # 29 March 2026 01:00 UTC the clocks go forward; 23:30 UTC on the 29th is 00:30 on the 30th (BST).
    case = _case(cast, date(2010, 3, 30))
    with time_machine.travel(datetime(2026, 3, 29, 22, 30, tzinfo=UTC), tick=False):
        milestones_mark()
    assert "age_16" not in _kinds(case)
    with time_machine.travel(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), tick=False):
        milestones_mark()
    assert "age_16" in _kinds(case)


def test_travelling_across_every_milestone_marks_each_once_and_tells_the_key_worker_and_manager(cast):
    case = _case(cast, date(2010, 1, 15))
    stops = [
        (datetime(2024, 1, 15, 9, tzinfo=UTC), "age_14", False),
        (datetime(2026, 1, 15, 9, tzinfo=UTC), "age_16", True),
        (datetime(2027, 1, 15, 9, tzinfo=UTC), "age_17", True),
        (datetime(2027, 7, 15, 9, tzinfo=UTC), "age_17_half", True),
        (datetime(2028, 1, 15, 9, tzinfo=UTC), "age_18", True),
    ]
    for moment, kind, attention in stops:
        with time_machine.travel(moment, tick=False):
            assert milestones_mark() >= 1
            assert milestones_mark() == 0  # a second run the same day changes nothing
        milestone = Milestone.objects.get(case=case, kind=kind)
        assert milestone.needs_attention is attention and milestone.notified
        told = Notification.objects.filter(
            context__transition_id=Transition.objects.get(case=case).pk, context__milestone=milestone.get_kind_display()
        )
        assert set(told.values_list("recipient_id", flat=True)) == {cast.priya.pk, cast.tom.pk}
    assert Milestone.objects.filter(case=case).count() == 5
    assert Notification.objects.filter(kind="transition.milestone_attention", recipient=cast.tom).count() == 4


def test_a_case_with_adult_services_at_18_needs_no_attention(cast):
    with time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=UTC), tick=False):
        case = _case(cast, date(2008, 6, 1))
        from cases.models import Consent

        Consent.objects.create(
            case=case,
            subject="share_with_adult_services",
            given=True,
            basis="own",
            given_by_name="Robin Hale",
            given_by_relationship="self",
            given_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        walk(cast, case, State.JOINT_WORKING)
    with time_machine.travel(datetime(2026, 6, 1, 8, tzinfo=UTC), tick=False):
        milestones_mark()
    milestone = Milestone.objects.get(case=case, kind="age_18")
    assert not milestone.needs_attention and "adult services" in milestone.detail


def test_a_record_first_seen_late_records_old_milestones_quietly(cast):
    case = _case(cast, date(2009, 1, 10))
    with time_machine.travel(datetime(2026, 7, 12, 9, tzinfo=UTC), tick=False):
        milestones_mark()
    rows = {m.kind: m.notified for m in Milestone.objects.filter(case=case)}
    assert rows == {"age_14": False, "age_16": False, "age_17": False, "age_17_half": True}


def test_closed_cases_and_the_under_14s_are_left_alone(cast):
    milestones_mark()
    assert not Milestone.objects.filter(case__in=[cast.jo_case, cast.kai_case]).exists()
    closed = _case(
        cast, date(2009, 1, 10), status=YoungCarer.Status.CLOSED, closed_reason="moved_away", closed_at=timezone.now()
    )
    milestones_mark()
    assert not Milestone.objects.filter(case=closed).exists()


def test_the_daily_job_runs_from_the_worker_schedule(cast, run_tasks):
    with time_machine.travel(datetime(2026, 11, 22, 0, 5, tzinfo=UTC), tick=False):
        assert "transitions.tasks.mark_milestones_task" in enqueue_due_periodic_jobs()
        run_tasks()
        due = enqueue_due_periodic_jobs()  # the same slot again: already enqueued, not enqueued twice
        assert "transitions.tasks.mark_milestones_task" not in due
    assert Milestone.objects.filter(case=cast.sam_case, kind="age_14").exists()


def test_working_days_skip_weekends_and_english_bank_holidays():
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)
    assert add_working_days(date(2026, 4, 1), 2) == date(2026, 4, 7)  # Good Friday and Easter Monday
    assert add_working_days(date(2026, 11, 20), 10) == date(2026, 12, 4)


def test_a_recorded_decision_against_an_assessment_is_not_overdue_at_17(cast):
    case = _case(cast, date(2009, 9, 1))
    with time_machine.travel(datetime(2026, 8, 1, 9, tzinfo=UTC), tick=False):
        transition = walk(cast, case, State.NOT_STARTED)
        from transitions.services import transition_consider

        transition_consider(
            actor=cast.priya, transition=transition, significant_benefit=False, reasons="Caring ends soon."
        )
    with time_machine.travel(datetime(2026, 9, 1, 9, tzinfo=UTC), tick=False):
        milestones_mark()
    milestone = Milestone.objects.get(case=case, kind="age_17")
    assert not milestone.needs_attention and "Decided" in milestone.detail
