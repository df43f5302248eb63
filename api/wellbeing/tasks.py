"""Background work: escalating unacknowledged alerts, the sweep that backs it up, and questionnaire reviews."""

from __future__ import annotations

from datetime import timedelta

from core.tasks import periodic, retrying_task


@retrying_task(max_attempts=10, base_delay=5.0, max_delay=300.0)
def escalate_alert(alert_id: int, level: int) -> bool:
    """Enqueued with the alert, to run when it falls due. Re-checks the alert: a re-run does nothing twice."""
    from api.wellbeing.services import alert_escalate_if_due

    return alert_escalate_if_due(alert_id=alert_id, level=level)


@periodic(every=timedelta(minutes=2))
@retrying_task(max_attempts=3)
def sweep_overdue_alerts() -> int:
    """Escalates any alert whose escalation task was lost (a dead worker, a restored backup)."""
    from api.wellbeing.services import escalate_overdue_alerts

    return escalate_overdue_alerts()


@periodic(every=timedelta(hours=6))
@retrying_task(max_attempts=3)
def create_due_questionnaire_reviews() -> int:
    """Creates the six-monthly review questionnaires that have fallen due."""
    from api.wellbeing.questionnaires import create_due_reviews

    return create_due_reviews()
