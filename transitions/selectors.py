"""Everything that reads transitions, always scoped by the actor."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import access_for, require_case_data_access
from accounts.models import Organisation
from api.peer import selectors as peer_selectors
from api.wellbeing import selectors as wellbeing_selectors
from cases.models import YoungCarer
from core.errors import NotFound
from transitions import workflow
from transitions.models import Handover, Milestone, State, Transition
from transitions.road import birthday, milestone_dates

# "Approaching 18": turning 18 within this many months (those already past 18 and still open are listed first).
AT_RISK_WINDOW_MONTHS = 12


def transitions_visible_to(user: Any) -> QuerySet[Transition]:
    """Transitions of the actor's projects' young carers (project staff only)."""
    access = require_case_data_access(user)
    return (
        Transition.objects.filter(case__organisation_id__in=access.project_ids)
        .select_related("case", "case__key_worker", "case__organisation")
        .order_by("case__date_of_birth", "id")
    )


def transition_detail(transition: Transition) -> Transition:
    """The transition with everything its detail view shows, in a handful of queries."""
    return (
        Transition.objects.select_related("case", "case__key_worker", "case__organisation", "assessment", "plan")
        .prefetch_related(
            Prefetch("handovers", queryset=Handover.objects.select_related("organisation", "worker")),
            Prefetch("case__transition_milestones", queryset=Milestone.objects.order_by("due_on")),
            "notes__author",
        )
        .get(pk=transition.pk)
    )


def handovers_visible_to(user: Any) -> QuerySet[Handover]:
    """Adult services: hand-overs sent to their organisations. Project staff: their projects' hand-overs."""
    access = require_case_data_access(user)
    receiving = access.org_ids(kind=Organisation.Kind.ADULT_SERVICES)
    return (
        Handover.objects.filter(
            Q(organisation_id__in=receiving) | Q(transition__case__organisation_id__in=access.project_ids)
        )
        .select_related(
            "transition",
            "transition__case",
            "transition__case__organisation",
            "transition__case__key_worker",
            "organisation",
            "worker",
        )
        .order_by("-referred_at", "-id")
    )


@dataclass(frozen=True)
class AtRisk:
    case: YoungCarer
    turns_18_on: date
    days_to_18: int
    transition: Transition | None

    @property
    def state(self) -> str:
        return self.transition.state if self.transition else State.NOT_STARTED


def at_risk_for(user: Any, *, today: date | None = None) -> list[AtRisk]:
    """Open cases approaching 18 (or past it) without an agreed plan, soonest first."""
    access = require_case_data_access(user)
    today = today or timezone.localdate()
    latest_birth = today + relativedelta(months=AT_RISK_WINDOW_MONTHS) - relativedelta(years=18)
    earliest_birth = today - relativedelta(years=19)
    settled = list(workflow.WITH_PLAN) + [State.CLOSED]
    cases = (
        YoungCarer.objects.filter(organisation_id__in=access.project_ids)
        .exclude(status=YoungCarer.Status.CLOSED)
        .filter(date_of_birth__gt=earliest_birth, date_of_birth__lte=latest_birth)
        .filter(Q(transition__isnull=True) | ~Q(transition__state__in=settled))
        .select_related("key_worker", "transition")
        .order_by("date_of_birth", "id")
    )
    rows = []
    for case in cases:
        eighteen = birthday(case.date_of_birth, 18)
        rows.append(AtRisk(case, eighteen, (eighteen - today).days, getattr(case, "transition", None)))
    return rows


def mine_for(user: Any) -> tuple[YoungCarer, Transition | None]:
    """The young person's own case and transition (if any)."""
    young_carer_id = access_for(user).young_carer_id
    if young_carer_id is None:  # not a young person
        raise NotFound()
    case = YoungCarer.objects.select_related("key_worker", "organisation").get(pk=young_carer_id)
    transition = (
        Transition.objects.select_related("plan")
        .prefetch_related(Prefetch("handovers", queryset=Handover.objects.select_related("organisation", "worker")))
        .filter(case=case)
        .first()
    )
    return case, transition


# --- the hand-over pack ---------------------------------------------------------------------------------------------

NO_SCORES = "no questionnaire scores recorded"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def handover_pack(handover: Handover) -> dict[str, Any]:
    """Everything adult services need to take the young person on, from the record."""
    transition = transition_detail(handover.transition)
    case = transition.case
    scores = wellbeing_selectors.scores_for_case(case)
    groups = peer_selectors.groups_of_case(case)
    flags = wellbeing_selectors.safeguarding_summary_for_case(case)
    return {
        "handover": _handover_summary(handover),
        "personal_details": _personal(case),
        "caring_roles": [_caring_role(role) for role in case.caring_roles.all()],
        "questionnaire_scores": _jsonable(scores) if scores else NO_SCORES,
        "assessment": _assessment(transition),
        "plan": _plan(transition),
        "consent_basis": _consent_basis(handover),
        "continuing_services": _jsonable(groups),
        "safeguarding_summary": _jsonable(flags) if flags else "no safeguarding flags recorded",
        "contingency_plan": case.contingency_plan or "no contingency plan recorded",
        "key_contacts": _contacts(case, handover),
        "road_to_18": [
            {"milestone": kind, "due_on": day.isoformat()} for kind, day in milestone_dates(case.date_of_birth).items()
        ],
    }


def _handover_summary(handover: Handover) -> dict[str, Any]:
    return {
        "id": handover.pk,
        "status": handover.status,
        "adult_service": handover.organisation.name,
        "referred_at": handover.referred_at.isoformat(),
        "respond_by": handover.respond_by.isoformat(),
        "message": handover.message,
    }


def _personal(case: YoungCarer) -> dict[str, Any]:
    return {
        "name": case.full_name,
        "preferred_name": case.preferred_name,
        "reference": case.reference,
        "date_of_birth": case.date_of_birth.isoformat(),
        "age": case.age(),
        "turns_18_on": birthday(case.date_of_birth, 18).isoformat(),
        "school_or_college": case.school.name if case.school else "",
        "language": case.language,
        "interpreter_needed": case.interpreter_needed,
        "communication_needs": case.communication_needs,
    }


def _caring_role(role: Any) -> dict[str, Any]:
    from cases.models import CaringRole

    labels = dict(CaringRole.Task.choices)
    return {
        "cared_for": role.cared_for,
        "relationship": role.get_relationship_display(),
        "condition": role.get_condition_category_display(),
        "tasks": [labels.get(code, code) for code in role.caring_tasks],
        "hours_per_week": role.hours_per_week,
    }


def _assessment(transition: Transition) -> dict[str, Any] | None:
    assessment = getattr(transition, "assessment", None)
    if assessment is None:
        return None
    return {
        "completed_on": timezone.localdate(assessment.completed_at).isoformat(),
        "significant_benefit_reasons": transition.consideration_reasons,
        "able_to_care_now": assessment.able_to_care_now,
        "willing_to_care_now": assessment.willing_to_care_now,
        "able_to_care_after_18": assessment.able_to_care_after_18,
        "willing_to_care_after_18": assessment.willing_to_care_after_18,
        "caring_notes": assessment.caring_notes,
        "wellbeing_impact": assessment.wellbeing_impact,
        "outcomes_wanted": {
            "education_work_training": assessment.outcome_education_work_training,
            "independent_living": assessment.outcome_independent_living,
            "friends_and_community": assessment.outcome_friends_community,
            "health": assessment.outcome_health,
        },
        "likely_eligibility": assessment.get_likely_eligibility_display(),
        "advice_given": assessment.advice_given,
        "advocate_needed": assessment.advocate_needed,
        "advocate_name": assessment.advocate_name,
    }


def _plan(transition: Transition) -> dict[str, Any] | None:
    plan = getattr(transition, "plan", None)
    if plan is None:
        return None
    return {
        "agreed_on": timezone.localdate(plan.agreed_at).isoformat(),
        "agreed_with_young_person": plan.agreed_with_young_person,
        "goals": plan.goals,
        "actions": plan.actions,
    }


def _consent_basis(handover: Handover) -> dict[str, Any]:
    basis: dict[str, Any] = {
        "basis": handover.basis,
        "described": handover.get_basis_display(),
        "note": handover.basis_note,
    }
    if handover.consent_id:
        consent = handover.consent
        assert consent is not None
        basis.update(
            given_by=consent.given_by_name,
            given_on=timezone.localdate(consent.given_at).isoformat(),
            valid_until=consent.valid_until.isoformat() if consent.valid_until else None,
        )
    return basis


def _contacts(case: YoungCarer, handover: Handover) -> list[dict[str, str]]:
    contacts = []
    if case.key_worker:
        contacts.append(
            {
                "role": "Key worker",
                "name": case.key_worker.display_name,
                "organisation": case.organisation.name,
                "email": case.key_worker.email,
            }
        )
    if handover.worker:
        contacts.append(
            {
                "role": "Adult services worker",
                "name": handover.worker.display_name,
                "organisation": handover.organisation.name,
                "email": handover.worker.email,
            }
        )
    return contacts


# --- figures for reports --------------------------------------------------------------------------------------------


def _reached(case: YoungCarer, day: date, today: date) -> bool:
    """The case reached ``day`` while open (and it is not in the future)."""
    if day > today:
        return False
    return case.closed_at is None or timezone.localdate(case.closed_at) >= day


def transition_figures(user: Any, *, today: date | None = None) -> dict[str, Any]:
    """The numbers commissioners ask about, over the actor's projects, as of ``today``."""
    access = require_case_data_access(user)
    return figures_for_projects(access.project_ids, today=today)


def figures_for_projects(project_ids: set[int], *, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    cases = (
        YoungCarer.objects.filter(organisation_id__in=project_ids, date_of_birth__lte=today - relativedelta(years=16))
        .select_related("transition", "transition__assessment")
        .prefetch_related("transition__handovers")
    )
    considered, assessed, accepted = [0, 0], [0, 0], [0, 0]
    unaccounted: list[int] = []
    days: list[float] = []
    for case in cases:
        dates = milestone_dates(case.date_of_birth)
        transition: Transition | None = getattr(case, "transition", None)
        handovers = list(transition.handovers.all()) if transition else []
        taken = [h for h in handovers if h.status == Handover.Status.ACCEPTED and h.responded_at]
        days += [(h.responded_at - h.referred_at).total_seconds() / 86400 for h in taken if h.responded_at]
        _count(considered, case, dates[Milestone.Kind.AGE_16], today, transition and transition.considered_at)
        assessment = getattr(transition, "assessment", None) if transition else None
        _count(
            assessed,
            case,
            dates[Milestone.Kind.AGE_17_HALF],
            today,
            assessment and assessment.completed_at,
            strict=True,
        )
        first_accepted = min((h.responded_at for h in taken if h.responded_at), default=None)
        _count(accepted, case, dates[Milestone.Kind.AGE_18], today, first_accepted, strict=True)
        if _reached(case, dates[Milestone.Kind.AGE_18], today) and not workflow.accounted_for_at_18(case, transition):
            unaccounted.append(case.pk)
    return {
        "considered_by_16": {"count": considered[0], "of": considered[1]},
        "assessed_before_17_and_a_half": {"count": assessed[0], "of": assessed[1]},
        "accepted_before_18": {"count": accepted[0], "of": accepted[1]},
        "median_days_referral_to_acceptance": round(statistics.median(days), 1) if days else None,
        "reached_18_unaccounted": {"count": len(unaccounted), "case_ids": sorted(unaccounted)},
    }


def _count(tally: list[int], case: YoungCarer, day: date, today: date, when: Any, *, strict: bool = False) -> None:
    if not _reached(case, day, today):
        return
    tally[1] += 1
    if when:
        local = timezone.localdate(when)
        if local < day or (not strict and local == day):
            tally[0] += 1
