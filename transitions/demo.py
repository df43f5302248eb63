"""Demo data for transitions: Alex's hand-over waiting for Grace, and Riley approaching 18 without a plan.

Idempotent: each step runs only if the transition has not got that far yet. Built through the services, so the
audit trail and notifications look as they would in real use.
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from backend.demo import Cast
from cases.models import CaringRole, YoungCarer
from transitions import services
from transitions.models import Eligibility, State, Transition

ALEX_ASSESSMENT = {
    "able_to_care_now": True,
    "willing_to_care_now": True,
    "able_to_care_after_18": True,
    "willing_to_care_after_18": False,
    "caring_notes": "Alex manages Dad's medication and appointments and wants to share this with Aunt Carol from September.",
    "wellbeing_impact": "Tired in the mornings; missed coursework deadlines last term. Sleeps better since joining the group.",
    "outcome_education_work_training": "Finish the Level 3 course at Hillside College and start an apprenticeship.",
    "outcome_independent_living": "Learn to budget and, in time, live nearer college.",
    "outcome_friends_community": "Keep going to the young adult carers group on Thursdays.",
    "outcome_health": "A regular bedtime; see the GP about sleep.",
    "likely_eligibility": Eligibility.LIKELY,
    "advice_given": "Carer's assessment from 18, Carer's Allowance at 16+ if 35 hours a week, student finance support.",
    "advocate_needed": False,
}

ALEX_PLAN_GOALS = [
    "Finish college and start an apprenticeship",
    "Share Dad's care with Aunt Carol so I have evenings free",
    "Meet my adult services worker before my birthday",
]


def _alex_actions() -> list[dict[str, object]]:
    day = timezone.localdate()
    return [
        {"action": "Introduce Alex to the adult carers service", "owner": "Priya", "due": day + timedelta(days=21)},
        {"action": "Apply for the college bursary", "owner": "Alex", "due": day + timedelta(days=30)},
        {
            "action": "Family meeting with Aunt Carol about sharing care",
            "owner": "Priya",
            "due": day + timedelta(days=45),
        },
    ]


def _walk_alex(cast: Cast) -> None:
    priya, case = cast.priya, cast.alex_case
    transition = Transition.objects.filter(case=case).first() or services.transition_open(actor=priya, case=case)
    if transition.state == State.NOT_STARTED:
        transition = services.transition_consider(
            actor=priya,
            transition=transition,
            significant_benefit=True,
            reasons="Alex will go on caring for Dad after 18 and wants help planning college and work around it.",
        )
    if transition.state == State.CONSIDERED:
        transition = services.transition_schedule_assessment(
            actor=priya, transition=transition, scheduled_for=timezone.now(), assessor=priya
        )
    if transition.state == State.ASSESSMENT_SCHEDULED:
        transition = services.transition_complete_assessment(actor=priya, transition=transition, **ALEX_ASSESSMENT)
    if transition.state == State.ASSESSMENT_COMPLETED:
        transition = services.transition_agree_plan(
            actor=priya, transition=transition, goals=ALEX_PLAN_GOALS, actions=_alex_actions()
        )
    if transition.state == State.PLAN_AGREED:
        services.transition_refer(
            actor=priya,
            transition=transition,
            organisation=cast.adult_services,
            message="Alex is keen to meet you before the summer. Thursdays after 4pm work best.",
        )


def _riley(cast: Cast) -> YoungCarer:
    """Riley, 17 years and 2 months, considered for an assessment but with no plan yet: the at-risk list shows them."""
    case = YoungCarer.objects.filter(organisation=cast.riverside, first_name="Riley", last_name="Evans").first()
    if case is None:
        case = YoungCarer.objects.create(
            organisation=cast.riverside,
            first_name="Riley",
            last_name="Evans",
            date_of_birth=timezone.localdate() - relativedelta(years=17, months=2),
            key_worker=cast.priya,
            status=YoungCarer.Status.ACTIVE,
            school=cast.hillside,
        )
        CaringRole.objects.create(
            case=case,
            cared_for="Mum",
            relationship=CaringRole.Relationship.PARENT,
            condition_category=CaringRole.Condition.PHYSICAL_DISABILITY,
            caring_tasks=["domestic", "personal_care"],
        )
    transition = Transition.objects.filter(case=case).first() or services.transition_open(actor=cast.priya, case=case)
    if transition.state == State.NOT_STARTED:
        services.transition_consider(
            actor=cast.priya,
            transition=transition,
            significant_benefit=True,
            reasons="Riley provides personal care for Mum and is likely to have needs as a carer after 18.",
        )
    return case


@transaction.atomic
def load(cast: Cast) -> None:
    _walk_alex(cast)
    _riley(cast)
    services.milestones_mark()
