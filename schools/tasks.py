"""Background work for the schools module."""

from __future__ import annotations

from datetime import timedelta

from core.tasks import periodic, retrying_task
from schools.services import referrals


@periodic(every=timedelta(hours=1))
@retrying_task(max_attempts=5)
def remind_overdue_referrals_task() -> int:
    """Referrals past their acknowledgement time: tell the project once. Safe to run twice."""
    return referrals.referrals_remind_overdue()
