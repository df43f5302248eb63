"""Background work for transitions: the daily road-to-18 job and adult services' response clock."""

from __future__ import annotations

from datetime import timedelta

from core.tasks import periodic, retrying_task
from transitions import services


@periodic(every=timedelta(days=1))
@retrying_task(max_attempts=5)
def mark_milestones_task() -> int:
    """Mark milestones reached today (London date) and tell the key worker and managers. Safe to run twice."""
    return services.milestones_mark()


@retrying_task(max_attempts=5)
def handover_remind_task(handover_id: int) -> bool:
    return services.handover_remind(handover_id=handover_id)


@retrying_task(max_attempts=5)
def handover_escalate_task(handover_id: int) -> bool:
    return services.handover_escalate(handover_id=handover_id)
