"""Helpers to put a young carer's transition at any step, through the services (as the API would)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from transitions import services
from transitions.models import Eligibility, Handover, State, Transition

ASSESSMENT = {
    "able_to_care_now": True,
    "willing_to_care_now": True,
    "able_to_care_after_18": True,
    "willing_to_care_after_18": False,
    "caring_notes": "Manages medication.",
    "wellbeing_impact": "Tired at college.",
    "outcome_education_work_training": "Start an apprenticeship.",
    "outcome_independent_living": "",
    "outcome_friends_community": "Keep the Thursday group.",
    "outcome_health": "",
    "likely_eligibility": Eligibility.LIKELY,
    "advice_given": "Carer's assessment at 18.",
    "advocate_needed": False,
}

ORDER = [
    State.NOT_STARTED,
    State.CONSIDERED,
    State.ASSESSMENT_SCHEDULED,
    State.ASSESSMENT_COMPLETED,
    State.PLAN_AGREED,
    State.HANDOVER_REFERRED,
    State.ACCEPTED,
    State.JOINT_WORKING,
]


def plan_actions(today: date | None = None) -> list[dict[str, Any]]:
    day = today or timezone.localdate()
    return [{"action": "Meet adult services", "owner": "Priya", "due": day + timedelta(days=14)}]


def walk(cast: Any, case: Any, to: str) -> Transition:
    """Move ``case``'s transition forward, step by step, until it is in state ``to``."""
    actor = cast.priya
    transition = Transition.objects.filter(case=case).first() or services.transition_open(actor=actor, case=case)
    steps = {
        State.NOT_STARTED: lambda t: services.transition_consider(
            actor=actor, transition=t, significant_benefit=True, reasons="Likely needs after 18."
        ),
        State.CONSIDERED: lambda t: services.transition_schedule_assessment(
            actor=actor, transition=t, scheduled_for=timezone.now() + timedelta(days=1)
        ),
        State.ASSESSMENT_SCHEDULED: lambda t: services.transition_complete_assessment(
            actor=actor, transition=t, **ASSESSMENT
        ),
        State.ASSESSMENT_COMPLETED: lambda t: services.transition_agree_plan(
            actor=actor, transition=t, goals=["Finish college"], actions=plan_actions()
        ),
        State.PLAN_AGREED: lambda t: (
            services.transition_refer(
                actor=actor,
                transition=t,
                organisation=cast.adult_services,
                basis="best_interests" if not _has_consent(case) else "consent",
                basis_note="" if _has_consent(case) else "Best-interests meeting on file.",
            ).transition
        ),
        State.HANDOVER_REFERRED: lambda t: (
            services.handover_accept(
                actor=cast.grace, handover=t.handovers.get(status=Handover.Status.PENDING), worker=cast.grace
            ).transition
        ),
        State.ACCEPTED: lambda t: services.transition_start_joint_working(actor=actor, transition=t),
    }
    while transition.state != to:
        transition = steps[transition.state](transition)
        transition.refresh_from_db()
    return transition


def _has_consent(case: Any) -> bool:
    from cases.services import consent_in_force

    consent = consent_in_force(case, "share_with_adult_services")
    return consent is not None and consent.basis in ("own", "gillick")


@pytest.fixture
def other_adult_service(cast: Any) -> tuple[Organisation, User]:
    """Another adult service, with Hugo, a worker there (with TOTP)."""
    organisation = Organisation.objects.create(name="Eastbank Adult Social Care", kind=Organisation.Kind.ADULT_SERVICES)
    hugo = User.objects.create_user("hugo@demo.example", "pw-hugo-2026", first_name="Hugo", last_name="Reyes")
    Membership.objects.create(user=hugo, organisation=organisation, role=Role.ADULT_WORKER)
    TOTP.activate(hugo, generate_totp_secret())
    return organisation, hugo


@pytest.fixture
def adult_manager(cast: Any) -> User:
    """Nadia, a manager at Riverside Adult Carers Service."""
    nadia = User.objects.create_user("nadia@demo.example", "pw-nadia-2026", first_name="Nadia", last_name="Khan")
    Membership.objects.create(user=nadia, organisation=cast.adult_services, role=Role.PROJECT_MANAGER)
    TOTP.activate(nadia, generate_totp_secret())
    return nadia
