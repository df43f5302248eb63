"""Reads: always scoped by the actor, and flat in queries however many rows there are."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.access import access_for, require_case_data_access
from api.wellbeing import scoring
from api.wellbeing.models import (
    Alert,
    Assignment,
    CaseloadMarker,
    CheckIn,
    Instrument,
    InstrumentVersion,
    MoodTag,
    QuestionnaireResponse,
    RiskPhrase,
)
from cases.models import YoungCarer

LONDON = ZoneInfo("Europe/London")
OPEN_ALERT = ~Q(status=Alert.Status.CLOSED)
UNACTIONED = Q(status__in=[Alert.Status.RAISED, Alert.Status.ACKNOWLEDGED])
QUIET_DAYS = 14


def checkins_of(case: YoungCarer) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(case=case).order_by("-recorded_at", "-received_at")


def tags_visible_to(user: Any) -> QuerySet[MoodTag]:
    access = access_for(user)
    if access.is_young_carer:
        org_ids = list(
            YoungCarer.objects.filter(pk=access.young_carer_id or 0).values_list("organisation_id", flat=True)
        )
        return MoodTag.objects.filter(organisation_id__in=org_ids, is_active=True)
    return MoodTag.objects.filter(organisation_id__in=access.project_ids)


def risk_phrases_visible_to(user: Any) -> QuerySet[RiskPhrase]:
    return RiskPhrase.objects.filter(organisation_id__in=require_case_data_access(user).project_ids)


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    access = require_case_data_access(user)
    return Alert.objects.filter(organisation_id__in=access.project_ids).select_related(
        "case", "checkin", "acknowledged_by", "actioned_by", "closed_by"
    )


# --- Trends ------------------------------------------------------------------------------------


def _summary(moods: list[int], tags: Counter[str]) -> dict[str, Any]:
    return {
        "count": len(moods),
        "average": round(sum(moods) / len(moods), 1) if moods else None,
        "lowest": min(moods) if moods else None,
        "highest": max(moods) if moods else None,
        "top_tags": [tag for tag, _ in tags.most_common(3)],
    }


def trends_for(case: YoungCarer, now: datetime | None = None) -> dict[str, Any]:
    """7- and 30-day summaries, a daily series (Europe/London days) and the direction of travel."""
    now = now or timezone.now()
    rows = list(
        checkins_of(case).filter(recorded_at__gte=now - timedelta(days=30)).values_list("recorded_at", "mood", "tags")
    )
    week_start = now - timedelta(days=7)
    week = [(mood, tags) for at, mood, tags in rows if at >= week_start]
    earlier = [mood for at, mood, _ in rows if at < week_start]
    by_day: dict[date, list[int]] = defaultdict(list)
    for at, mood, _ in rows:
        by_day[at.astimezone(LONDON).date()].append(mood)
    today = now.astimezone(LONDON).date()
    daily = []
    for offset in range(29, -1, -1):
        day = today - timedelta(days=offset)
        moods = by_day.get(day, [])
        daily.append(
            {"date": day, "count": len(moods), "average": round(sum(moods) / len(moods), 1) if moods else None}
        )
    week_summary = _summary([m for m, _ in week], Counter(t for _, tags in week for t in tags))
    return {
        "last_7_days": week_summary,
        "last_30_days": _summary([m for _, m, _ in rows], Counter(t for _, _, tags in rows for t in tags)),
        "direction": _direction(week_summary["average"], sum(earlier) / len(earlier) if earlier else None),
        "daily": daily,
    }


def _direction(recent: float | None, before: float | None) -> str:
    if recent is None or before is None:
        return "unknown"
    if recent - before >= 0.5:
        return "better"
    if before - recent >= 0.5:
        return "worse"
    return "steady"


# --- Caseload ----------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    case: YoungCarer
    status: str
    reasons: list[dict[str, str]]
    last_checkin_at: datetime | None
    last_mood: int | None
    average_7_days: float | None
    average_30_days: float | None
    open_alerts: int
    changes: dict[str, Any] = field(default_factory=dict)


def _rag(
    case: Any, stats: dict[str, Any], alerts: dict[str, Any], overdue: int, now: datetime
) -> tuple[str, list[dict[str, str]]]:
    red: list[dict[str, str]] = []
    amber: list[dict[str, str]] = []
    if alerts.get("unactioned"):
        red.append({"code": "open_alert", "text": f"{alerts['unactioned']} safeguarding alert(s) not yet actioned"})
    if case.last_mood == 1:
        red.append({"code": "very_low_mood", "text": "Latest check-in: very low mood"})
    elif case.last_mood == 2:
        amber.append({"code": "low_mood", "text": "Latest check-in: low mood"})
    avg7, avg30 = stats.get("avg7"), stats.get("avg30")
    if avg7 is not None and avg7 <= 2.5:
        amber.append({"code": "low_week", "text": f"Average mood this week {avg7:.1f} of 5"})
    elif avg7 is not None and avg30 is not None and avg30 - avg7 >= 1:
        amber.append(
            {"code": "falling", "text": f"Mood falling: {avg7:.1f} this week against {avg30:.1f} over 30 days"}
        )
    if case.last_checkin_at is None or case.last_checkin_at < now - timedelta(days=QUIET_DAYS):
        amber.append({"code": "quiet", "text": f"No check-in for {QUIET_DAYS} days or more"})
    if overdue:
        amber.append({"code": "questionnaire_overdue", "text": f"{overdue} questionnaire(s) overdue"})
    if red:
        return "red", red + amber
    return ("amber", amber) if amber else ("green", [{"code": "ok", "text": "Checking in, mood steady"}])


def caseload_for(worker: Any, now: datetime | None = None) -> tuple[list[CaseloadRow], datetime | None]:
    """The worker's own caseload with red/amber/green and what changed since they last looked.

    Moves the worker's "last viewed" marker; returns the rows and the time of the previous look.
    """
    require_case_data_access(worker)
    now = now or timezone.now()
    marker = CaseloadMarker.objects.filter(worker=worker).first()
    since = marker.last_viewed_at if marker else None
    latest = CheckIn.objects.filter(case=OuterRef("pk")).order_by("-recorded_at")
    cases = list(
        YoungCarer.objects.filter(key_worker=worker, organisation_id__in=access_for(worker).project_ids)
        .exclude(status=YoungCarer.Status.CLOSED)
        .annotate(
            last_mood=Subquery(latest.values("mood")[:1]), last_checkin_at=Subquery(latest.values("recorded_at")[:1])
        )
        .order_by("last_name", "first_name", "id")
    )
    ids = [case.pk for case in cases]
    stats = _checkin_stats(ids, now, since)
    alerts = _alert_stats(ids, since)
    overdue = dict(
        Assignment.objects.filter(
            case_id__in=ids, status=Assignment.Status.PENDING, due_on__lt=now.astimezone(LONDON).date()
        )
        .values_list("case_id")
        .annotate(n=Count("id"))
    )
    previous = marker.statuses if marker else {}
    rows = []
    for case in cases:
        status, reasons = _rag(case, stats.get(case.pk, {}), alerts.get(case.pk, {}), overdue.get(case.pk, 0), now)
        was = previous.get(str(case.pk))
        changes = {
            "new_checkins": stats.get(case.pk, {}).get("new", 0) if since else None,
            "new_alerts": alerts.get(case.pk, {}).get("new", 0) if since else None,
            "status_was": was if was != status else None,
        }
        rows.append(
            CaseloadRow(
                case,
                status,
                reasons,
                case.last_checkin_at,
                case.last_mood,  # type: ignore[attr-defined]
                stats.get(case.pk, {}).get("avg7"),
                stats.get(case.pk, {}).get("avg30"),
                alerts.get(case.pk, {}).get("open", 0),
                changes,
            )
        )
    _move_marker(worker, now, {str(row.case.pk): row.status for row in rows})
    return rows, since


def _checkin_stats(ids: list[int], now: datetime, since: datetime | None) -> dict[int, dict[str, Any]]:
    week = Q(recorded_at__gte=now - timedelta(days=7))
    rows = (
        CheckIn.objects.filter(case_id__in=ids, recorded_at__gte=now - timedelta(days=30))
        .values("case_id")
        .annotate(avg7=Avg("mood", filter=week), avg30=Avg("mood"))
    )
    out: dict[int, dict[str, Any]] = {row["case_id"]: dict(row) for row in rows}
    if since is not None:
        new = (
            CheckIn.objects.filter(case_id__in=ids, received_at__gt=since)
            .values_list("case_id")
            .annotate(n=Count("id"))
        )
        for case_id, n in new:
            out.setdefault(case_id, {})["new"] = n
    return out


def _alert_stats(ids: list[int], since: datetime | None) -> dict[int, dict[str, Any]]:
    relevant = OPEN_ALERT | Q(raised_at__gt=since) if since else OPEN_ALERT
    counts = {"open": Count("id", filter=OPEN_ALERT), "unactioned": Count("id", filter=UNACTIONED)}
    if since:  # "new" only means something against an earlier look
        counts["new"] = Count("id", filter=Q(raised_at__gt=since))
    rows = Alert.objects.filter(relevant, case_id__in=ids).values("case_id").annotate(**counts)
    return {row["case_id"]: dict(row) for row in rows}


@transaction.atomic
def _move_marker(worker: Any, now: datetime, statuses: dict[str, str]) -> None:
    CaseloadMarker.objects.update_or_create(worker=worker, defaults={"last_viewed_at": now, "statuses": statuses})


# --- Questionnaires ----------------------------------------------------------------------------


def instruments_visible_to(user: Any) -> QuerySet[Instrument]:
    access = require_case_data_access(user)
    if access.is_young_carer:
        return Instrument.objects.filter(assignments__case_id=access.young_carer_id).distinct()
    if not access.project_ids:
        return Instrument.objects.none()
    return Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=access.project_ids))


def latest_versions(instruments: list[Instrument]) -> dict[int, InstrumentVersion]:
    versions = InstrumentVersion.objects.filter(instrument__in=instruments).order_by("instrument_id", "-number")
    out: dict[int, InstrumentVersion] = {}
    for version in versions:
        out.setdefault(version.instrument_id, version)
    return out


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    access = require_case_data_access(user)
    assignments = Assignment.objects.select_related("instrument", "case")
    if access.is_young_carer:
        return assignments.filter(case_id=access.young_carer_id)
    return assignments.filter(case__organisation_id__in=access.project_ids)


def responses_visible_to(user: Any) -> QuerySet[QuestionnaireResponse]:
    access = require_case_data_access(user)
    responses = QuestionnaireResponse.objects.select_related("version__instrument", "case")
    if access.is_young_carer:
        return responses.filter(case_id=access.young_carer_id)
    return responses.filter(case__organisation_id__in=access.project_ids)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def scores_for_case(case: YoungCarer) -> list[dict[str, Any]]:
    """Per instrument: first and latest score with dates, the change, the latest band. For plans and reports.

    Only scored (complete) responses count. ``meaningful`` says whether the change reaches the
    instrument's own threshold (for example 3 points on WEMWBS), when it declares one.
    """
    responses = (
        QuestionnaireResponse.objects.filter(case=case, score__isnull=False)
        .select_related("version__instrument")
        .order_by("submitted_at", "id")
    )
    by_instrument: dict[int, list[QuestionnaireResponse]] = defaultdict(list)
    for response in responses:
        by_instrument[response.version.instrument_id].append(response)
    out = []
    for items in by_instrument.values():
        first, latest = items[0], items[-1]
        definition = latest.version.definition
        change = (
            _number(latest.score - first.score)
            if len(items) > 1 and latest.score is not None and first.score is not None
            else None
        )
        threshold = definition["scoring"].get("meaningful_change")
        out.append(
            {
                "instrument": latest.version.instrument.name,
                "instrument_code": latest.version.instrument.code,
                "first_score": _number(first.score),
                "first_date": first.submitted_at.astimezone(LONDON).date(),
                "latest_score": _number(latest.score),
                "latest_date": latest.submitted_at.astimezone(LONDON).date(),
                "change": change,
                "meaningful": None if change is None or threshold is None else abs(change) >= threshold,
                "higher_is_better": definition["scoring"].get("higher_is_better", True),
                "band": latest.band or scoring.band_for(definition["scoring"].get("bands", []), latest.score),
                "responses": len(items),
            }
        )
    return sorted(out, key=lambda row: row["instrument"])


def safeguarding_summary_for_case(case: YoungCarer) -> list[dict[str, Any]]:
    """Alerts on the case, oldest first: when, how severe, what kind, where they stand. Never their words."""
    return [
        {"raised_at": raised_at, "severity": severity, "reason": reason, "status": status}
        for raised_at, severity, reason, status in Alert.objects.filter(case=case)
        .order_by("raised_at", "id")
        .values_list("raised_at", "severity", "reason", "status")
    ]
