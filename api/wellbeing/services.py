"""Writes for check-ins, help requests, safeguarding alerts and the lists projects keep.

Every write that can raise an alert evaluates the rules and writes the alert in its own
transaction, enqueues the escalation in that transaction too (the task row commits or
rolls back with the alert), and tells people through ``notify`` in a savepoint: a failure
to tell anyone never loses the alert, and the escalation clock still runs.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, access_for
from accounts.models import Membership, Organisation
from api.wellbeing import rules
from api.wellbeing.access import MANAGER_ROLES
from api.wellbeing.models import Alert as AlertModel
from api.wellbeing.models import CheckIn, MoodTag, QuestionnaireResponse, RiskPhrase
from audit.services import record_event
from cases.models import YoungCarer
from core.errors import Conflict, NotFound, ServiceError
from core.events import send_event_on_commit
from notifications.services import notify

logger = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=5)
OLDEST_CHECKIN = timedelta(days=14)
MAX_TAGS = 10


def escalation_minutes() -> int:
    return int(getattr(settings, "ALERT_ESCALATION_MINUTES", 30))


def max_escalations() -> int:
    return int(getattr(settings, "ALERT_MAX_ESCALATIONS", 2))


def reminder_minutes() -> int:
    return int(getattr(settings, "ALERT_REMINDER_MINUTES", 60))


def _wait_after(level: int) -> timedelta:
    """Escalations come every ``ALERT_ESCALATION_MINUTES``; after the last, reminders every ``ALERT_REMINDER_MINUTES``
    for as long as nobody acknowledges: an unacknowledged alert never goes quiet."""
    return timedelta(minutes=escalation_minutes() if level < max_escalations() else reminder_minutes())


@dataclass
class Outcome:
    """What the young person is shown after a check-in, a help tap or a questionnaire."""

    alert: AlertModel | None = None
    worker_told: bool = False
    crisis_lines: list[dict[str, str]] = field(default_factory=lambda: list(rules.CRISIS_LINES))

    @property
    def alert_raised(self) -> bool:
        return self.alert is not None


# --- Check-ins ---------------------------------------------------------------------------------


def _check_recorded_at(recorded_at: datetime, now: datetime) -> None:
    if recorded_at > now + CLOCK_SKEW:
        raise ServiceError("recorded_at is in the future: check the phone's clock.", field="recorded_at")
    if recorded_at < now - OLDEST_CHECKIN:
        raise ServiceError(
            "recorded_at is more than 14 days ago: check-ins that old cannot be sent.", field="recorded_at"
        )


def _check_tags(case: YoungCarer, tags: list[str]) -> list[str]:
    unique = list(dict.fromkeys(tags))
    if len(unique) > MAX_TAGS:
        raise ServiceError(f"Choose at most {MAX_TAGS} tags.", field="tags")
    known = set(
        MoodTag.objects.filter(organisation_id=case.organisation_id, is_active=True, code__in=unique).values_list(
            "code", flat=True
        )
    )
    unknown = [tag for tag in unique if tag not in known]
    if unknown:
        raise ServiceError(f"Unknown tag: {', '.join(unknown)}.", code="unknown_tag", field="tags")
    return unique


def _same_checkin(
    existing: CheckIn, case: YoungCarer, mood: int, tags: list[str], words: str, recorded_at: datetime
) -> bool:
    return (
        existing.case_id == case.pk
        and existing.mood == mood
        and sorted(existing.tags) == sorted(tags)
        and existing.words == words
        and existing.recorded_at == recorded_at
    )


def _replay(
    existing: CheckIn, case: YoungCarer, mood: int, tags: list[str], words: str, recorded_at: datetime
) -> tuple[CheckIn, Outcome]:
    if not _same_checkin(existing, case, mood, tags, words, recorded_at):
        raise Conflict("This check-in id was already used for a different check-in.", code="checkin_id_reused")
    alert = existing.alerts.first()
    return existing, Outcome(alert=alert, worker_told=bool(alert and alert.worker_told))


def checkin_submit(
    *, actor: Any, case: YoungCarer, id: uuid.UUID, mood: int, tags: list[str], words: str, recorded_at: datetime
) -> tuple[CheckIn, Outcome, bool]:
    """Record a check-in (or return the one already sent with this id). Returns (check-in, outcome, created)."""
    words = words.strip()
    existing = CheckIn.objects.filter(pk=id).first()
    if existing is not None:
        return (*_replay(existing, case, mood, tags, words, recorded_at), False)
    now = timezone.now()
    _check_recorded_at(recorded_at, now)
    tags = _check_tags(case, tags)
    try:
        checkin, outcome = _record_checkin(actor, case, id, mood, tags, words, recorded_at, now)
    except IntegrityError:
        # The same id arrived twice at once: the other request won; answer as a replay.
        existing = CheckIn.objects.filter(pk=id).first()
        if existing is None:
            raise
        return (*_replay(existing, case, mood, tags, words, recorded_at), False)
    return checkin, outcome, True


@transaction.atomic
def _record_checkin(
    actor: Any,
    case: YoungCarer,
    id: uuid.UUID,
    mood: int,
    tags: list[str],
    words: str,
    recorded_at: datetime,
    now: datetime,
) -> tuple[CheckIn, Outcome]:
    # Serialise check-ins of one young person so "twice in a row" sees the one before.
    YoungCarer.objects.select_for_update().filter(pk=case.pk).first()
    checkin = CheckIn.objects.create(
        id=id,
        case=case,
        mood=mood,
        tags=tags,
        words=words,
        recorded_at=recorded_at,
        received_at=now,
        submitted_by=actor,
    )
    matches = [m for m in (_low_mood(checkin, now), _risk_words(case, words)) if m is not None]
    if not matches:
        return checkin, Outcome()
    alert, told = alert_raise(case=case, matches=matches, actor=actor, checkin=checkin, now=now)
    return checkin, Outcome(alert=alert, worker_told=told)


def _low_mood(checkin: CheckIn, now: datetime) -> rules.Match | None:
    if checkin.mood != rules.VERY_LOW_MOOD:
        return None
    others = CheckIn.objects.filter(case_id=checkin.case_id).exclude(pk=checkin.pk)
    before = (
        others.filter(recorded_at__lte=checkin.recorded_at)
        .order_by("-recorded_at")
        .values_list("mood", flat=True)
        .first()
    )
    after = (
        others.filter(recorded_at__gt=checkin.recorded_at)
        .order_by("recorded_at")
        .values_list("mood", flat=True)
        .first()
    )
    in_window = others.filter(mood=rules.VERY_LOW_MOOD, recorded_at__gte=now - rules.LOW_MOOD_WINDOW).count() + 1
    match = rules.low_mood_match(in_a_row=1 + int(before == 1) + int(after == 1), very_low_in_window=in_window)
    if (
        match
        and AlertModel.objects.filter(case_id=checkin.case_id, reason=AlertModel.Reason.LOW_MOOD)
        .exclude(status=AlertModel.Status.CLOSED)
        .exists()
    ):
        return None  # an open low-mood alert already has a worker's attention
    return match


def phrases_for(organisation_id: int) -> list[tuple[str, str]]:
    """The project's own list, or the shipped defaults if it has never set one up."""
    rows = list(
        RiskPhrase.objects.filter(organisation_id=organisation_id).values_list("phrase", "category", "is_active")
    )
    if not rows:
        return list(rules.default_phrases())
    return [(phrase, category) for phrase, category, active in rows if active]


def _risk_words(case: YoungCarer, words: str) -> rules.Match | None:
    return rules.risk_words_match(words, phrases_for(case.organisation_id)) if words else None


# --- Help now ----------------------------------------------------------------------------------


@transaction.atomic
def help_request(*, actor: Any, case: YoungCarer, request_id: uuid.UUID | None) -> Outcome:
    """ "I need help now": always an alert (one per request id), at once."""
    if request_id is not None:
        existing = AlertModel.objects.filter(help_request_id=request_id).first()
        if existing is not None:
            if existing.case_id != case.pk:
                raise Conflict("This help request id was already used.", code="help_id_reused")
            return Outcome(alert=existing, worker_told=existing.worker_told)
    match = rules.Match(AlertModel.Reason.HELP_REQUESTED, AlertModel.Severity.HIGH, {"rule": "help_now"})
    alert, told = alert_raise(case=case, matches=[match], actor=actor, help_request_id=request_id, now=timezone.now())
    return Outcome(alert=alert, worker_told=told)


# --- Alerts ------------------------------------------------------------------------------------

_REASON_PRIORITY = [
    AlertModel.Reason.HELP_REQUESTED,
    AlertModel.Reason.RISK_WORDS,
    AlertModel.Reason.LOW_MOOD,
    AlertModel.Reason.SCORE_FALL,
]


def _on_duty_ids(organisation_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            organisation_id=organisation_id, ended_at__isnull=True, is_on_duty=True, role__in=PROJECT_STAFF_ROLES
        ).values_list("user_id", flat=True)
    )


def _manager_ids(organisation_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            organisation_id=organisation_id, ended_at__isnull=True, role__in=MANAGER_ROLES
        ).values_list("user_id", flat=True)
    )


def _reminder_ids(organisation_id: int) -> set[int]:
    """The managers on duty; else every manager; else whoever is on duty (as for an escalation)."""
    managers = _manager_ids(organisation_id)
    on_duty = _on_duty_ids(organisation_id)
    return (managers & on_duty) or managers or on_duty


def alert_recipient_ids(alert: AlertModel) -> set[int]:
    """The key worker and whoever is on duty at the project."""
    ids = _on_duty_ids(alert.organisation_id)
    key_worker_id = YoungCarer.objects.filter(pk=alert.case_id).values_list("key_worker_id", flat=True).first()
    if key_worker_id:
        ids.add(key_worker_id)
    return ids


def _event_payload(alert: AlertModel) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "case_id": alert.case_id,
        "severity": alert.severity,
        "reason": alert.reason,
        "status": alert.status,
        "raised_at": alert.raised_at.isoformat(),
        "escalation_level": alert.escalation_level,
    }


def _tell(recipients: set[int], kind: str, alert: AlertModel, dedupe_key: str) -> bool:
    """Notify in a savepoint: if telling fails, the alert and its escalation clock stay."""
    if not recipients:
        return False
    try:
        with transaction.atomic():
            notify(
                recipients=recipients,
                kind=kind,
                context={"alert_id": alert.pk, "severity": alert.severity},
                dedupe_key=dedupe_key,
            )
    except Exception:  # noqa: BLE001 - any delivery failure; the alert list and escalation are the safety net
        logger.exception("telling workers about alert %s failed; escalation will follow", alert.pk)
        return False
    return True


def alert_raise(
    *,
    case: YoungCarer,
    matches: list[rules.Match],
    actor: Any,
    now: datetime,
    checkin: CheckIn | None = None,
    response: QuestionnaireResponse | None = None,
    help_request_id: uuid.UUID | None = None,
) -> tuple[AlertModel, bool]:
    """One alert for everything one event matched; returns (alert, whether anyone was told)."""
    from api.wellbeing.tasks import escalate_alert

    matches = sorted(matches, key=lambda m: _REASON_PRIORITY.index(AlertModel.Reason(m.reason)))
    severity = AlertModel.Severity.HIGH if any(m.severity == "high" for m in matches) else AlertModel.Severity.MEDIUM
    due = now + timedelta(minutes=escalation_minutes())
    alert = AlertModel.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        severity=severity,
        reason=matches[0].reason,
        trigger={"matches": [{"reason": m.reason, **m.trigger} for m in matches]},
        checkin=checkin,
        response=response,
        help_request_id=help_request_id,
        raised_at=now,
        next_escalation_at=due,
    )
    record_event(
        actor=actor, instance=alert, event="alert.raise", details={"reason": alert.reason, "severity": severity}
    )
    escalate_alert.using(run_after=due).enqueue(alert.pk, 1)
    recipients = alert_recipient_ids(alert)
    told = _tell(recipients, "alert.raised", alert, dedupe_key=f"alert-{alert.pk}-raised")
    if told:
        alert.worker_told = True
        alert.save(update_fields=["worker_told"])
    send_event_on_commit(recipients, "alert.raised", _event_payload(alert))
    return alert, told


def _locked(alert: AlertModel) -> AlertModel:
    return AlertModel.objects.select_for_update().select_related("case").get(pk=alert.pk)


def _announce(alert: AlertModel, event: str) -> None:
    send_event_on_commit(alert_recipient_ids(alert) | _manager_ids(alert.organisation_id), event, _event_payload(alert))


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: AlertModel) -> AlertModel:
    alert = _locked(alert)
    if alert.status != AlertModel.Status.RAISED:
        raise Conflict(f"This alert is already {alert.get_status_display().lower()}.", code="alert_not_raised")
    alert.status = AlertModel.Status.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.next_escalation_at = None
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_escalation_at"])
    record_event(actor=actor, instance=alert, event="alert.acknowledge")
    _announce(alert, "alert.updated")
    return alert


@transaction.atomic
def alert_action(*, actor: Any, alert: AlertModel, action: str, note: str) -> AlertModel:
    alert = _locked(alert)
    if alert.status not in (AlertModel.Status.RAISED, AlertModel.Status.ACKNOWLEDGED):
        raise Conflict(f"This alert is already {alert.get_status_display().lower()}.", code="alert_already_actioned")
    now = timezone.now()
    if alert.status == AlertModel.Status.RAISED:
        alert.acknowledged_at, alert.acknowledged_by = now, actor
    alert.status = AlertModel.Status.ACTIONED
    alert.action, alert.action_note = action, note.strip()
    alert.actioned_at, alert.actioned_by = now, actor
    alert.next_escalation_at = None
    alert.save()
    record_event(actor=actor, instance=alert, event="alert.action", details={"action": action})
    _announce(alert, "alert.updated")
    return alert


@transaction.atomic
def alert_close(*, actor: Any, alert: AlertModel, note: str) -> AlertModel:
    alert = _locked(alert)
    if alert.status != AlertModel.Status.ACTIONED:
        raise Conflict("Record what was done (action) before closing the alert.", code="alert_not_actioned")
    alert.status = AlertModel.Status.CLOSED
    alert.closed_at, alert.closed_by, alert.close_note = timezone.now(), actor, note.strip()
    alert.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    record_event(actor=actor, instance=alert, event="alert.close")
    _announce(alert, "alert.updated")
    return alert


@transaction.atomic
def alert_escalate_if_due(*, alert_id: int, level: int, now: datetime | None = None) -> bool:
    """Escalate to the project's managers if still unacknowledged, then keep reminding them until someone
    acknowledges. Safe to run any number of times.

    ``level`` is the escalation this caller means to perform; if it has happened (or the
    alert was acknowledged, or it is not due yet) nothing is done.
    """
    from api.wellbeing.tasks import escalate_alert

    now = now or timezone.now()
    alert = AlertModel.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None or alert.status != AlertModel.Status.RAISED or alert.escalation_level != level - 1:
        return False
    if alert.next_escalation_at is None or alert.next_escalation_at > now:
        return False
    alert.escalation_level = level
    alert.escalated_at = now
    alert.next_escalation_at = now + _wait_after(level)
    alert.save(update_fields=["escalation_level", "escalated_at", "next_escalation_at"])
    reminder = level > max_escalations()
    managers = (
        _reminder_ids(alert.organisation_id)
        if reminder
        else (_manager_ids(alert.organisation_id) or _on_duty_ids(alert.organisation_id))
    )
    _tell(managers, "alert.escalated", alert, dedupe_key=f"alert-{alert.pk}-escalation-{level}")
    details = {"level": level, "told": len(managers), "reminder": reminder}
    record_event(actor=None, instance=alert, event="alert.escalate", details=details)
    escalate_alert.using(run_after=alert.next_escalation_at).enqueue(alert.pk, level + 1)
    send_event_on_commit(managers | alert_recipient_ids(alert), "alert.escalated", _event_payload(alert))
    return True


def escalate_overdue_alerts(now: datetime | None = None) -> int:
    """The sweep: escalate every alert whose escalation is due, in case its task was lost."""
    now = now or timezone.now()
    due = AlertModel.objects.filter(status=AlertModel.Status.RAISED, next_escalation_at__lte=now).values_list(
        "pk", "escalation_level"
    )
    return sum(alert_escalate_if_due(alert_id=pk, level=level + 1, now=now) for pk, level in list(due))


# --- Lists the project keeps ------------------------------------------------------------------


def _require_staff(actor: Any, organisation: Organisation, *roles: str) -> None:
    if not access_for(actor).holds(organisation.pk, *(roles or PROJECT_STAFF_ROLES)):
        raise NotFound()


@transaction.atomic
def mood_tag_create(*, actor: Any, organisation: Organisation, code: str, label: str) -> MoodTag:
    _require_staff(actor, organisation)
    if MoodTag.objects.filter(organisation=organisation, code=code).exists():
        raise Conflict(f"The tag {code!r} already exists.", code="duplicate_tag")
    return MoodTag.objects.create(organisation=organisation, code=code, label=label.strip())


@transaction.atomic
def mood_tag_update(*, actor: Any, tag: MoodTag, **changes: Any) -> MoodTag:
    _require_staff(actor, tag.organisation)
    for name in ("label", "is_active"):
        if name in changes:
            setattr(tag, name, changes[name])
    tag.save()
    return tag


@transaction.atomic
def risk_phrase_create(*, actor: Any, organisation: Organisation, phrase: str, category: str) -> RiskPhrase:
    _require_staff(actor, organisation, *MANAGER_ROLES)
    normalised = rules.normalise(phrase)
    if len(normalised) < 3:
        raise ServiceError("A risk phrase needs at least three letters.", field="phrase")
    if RiskPhrase.objects.filter(organisation=organisation, phrase=normalised).exists():
        raise Conflict("That phrase is already on the list.", code="duplicate_phrase")
    return RiskPhrase.objects.create(organisation=organisation, phrase=normalised, category=category)


@transaction.atomic
def risk_phrase_update(*, actor: Any, phrase: RiskPhrase, is_active: bool) -> RiskPhrase:
    _require_staff(actor, phrase.organisation, *MANAGER_ROLES)
    phrase.is_active = is_active
    phrase.save(update_fields=["is_active"])
    return phrase


@transaction.atomic
def risk_phrases_adopt_defaults(*, actor: Any, organisation: Organisation) -> int:
    """Copy the shipped list into the project's own, to edit from there. Existing phrases are kept."""
    _require_staff(actor, organisation, *MANAGER_ROLES)
    have = set(RiskPhrase.objects.filter(organisation=organisation).values_list("phrase", flat=True))
    new = [
        RiskPhrase(organisation=organisation, phrase=rules.normalise(phrase), category=category)
        for phrase, category in rules.default_phrases()
        if rules.normalise(phrase) not in have
    ]
    RiskPhrase.objects.bulk_create(new)
    return len(new)


def caseload_role_ok(actor: Any) -> None:
    if not access_for(actor).org_ids(*PROJECT_STAFF_ROLES, kind=Organisation.Kind.PROJECT):
        raise NotFound()
