"""The young person's own view of their transition, in plain words. Never the workers' notes or the assessment."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cases.models import YoungCarer
from transitions.models import Handover, Milestone, State, Transition
from transitions.road import birthday, milestone_dates

STAGE_WORDS = {
    State.NOT_STARTED: "We haven't started planning for when you turn 18 yet.",
    State.CONSIDERED: "We've talked about whether a check-in about turning 18 (an assessment) would help you.",
    State.ASSESSMENT_SCHEDULED: "A meeting to talk about your future is booked.",
    State.ASSESSMENT_COMPLETED: "We've talked about your future. Next we'll write a plan with you.",
    State.PLAN_AGREED: "You have a plan for turning 18.",
    State.HANDOVER_REFERRED: "We've asked the adult carers service to get to know you.",
    State.ACCEPTED: "The adult carers service has said yes and named someone to support you.",
    State.RETURNED: "The adult carers service can't take this on yet. Your key worker is sorting out what happens next.",
    State.JOINT_WORKING: "Your key worker and your new adult services worker are working together.",
    State.CLOSED: "Your planning for turning 18 is finished.",
}

NEXT_WORDS = {
    State.NOT_STARTED: "Your key worker will talk with you about growing up and what you want next.",
    State.CONSIDERED: "Your key worker will tell you if a meeting about your future is going to happen.",
    State.ASSESSMENT_SCHEDULED: "Go to the meeting. You can bring someone with you.",
    State.ASSESSMENT_COMPLETED: "Your key worker will write a plan with you.",
    State.PLAN_AGREED: "With your OK, we'll introduce you to the adult carers service.",
    State.HANDOVER_REFERRED: "The adult carers service will reply within about two weeks. We keep supporting you meanwhile.",
    State.ACCEPTED: "You'll meet your new worker. We keep supporting you until they are ready.",
    State.RETURNED: "We keep supporting you. Your key worker will talk with you about what's next.",
    State.JOINT_WORKING: "We keep supporting you until your new worker has everything in place.",
    State.CLOSED: "If anything changes, you can always ask your key worker.",
}

ROAD_WORDS = {
    Milestone.Kind.AGE_14: "Start talking about growing up and what you want next",
    Milestone.Kind.AGE_16: "Young adult carer groups open to you; we think about a meeting about your future",
    Milestone.Kind.AGE_17: "Your meeting about your future should be done",
    Milestone.Kind.AGE_17_HALF: "Meet the adult carers service",
    Milestone.Kind.AGE_18: "Your support carries on with adult services",
}


def _contact(transition: Transition | None) -> dict[str, Any] | None:
    if transition is None:
        return None
    handovers = [
        h for h in transition.handovers.all() if h.status in (Handover.Status.PENDING, Handover.Status.ACCEPTED)
    ]
    if not handovers:
        return None
    current = handovers[0]
    if current.status == Handover.Status.ACCEPTED and current.worker:
        return {
            "name": current.worker.first_name or current.worker.display_name,
            "organisation": current.organisation.name,
            "confirmed": True,
        }
    return {"name": None, "organisation": current.organisation.name, "confirmed": False}


def my_transition(case: YoungCarer, transition: Transition | None, today: Any) -> dict[str, Any]:
    state = transition.state if transition else State.NOT_STARTED
    plan = getattr(transition, "plan", None) if transition else None
    return {
        "stage": state,
        "stage_in_words": _(STAGE_WORDS[State(state)]),
        "turns_18_on": birthday(case.date_of_birth, 18),
        "road": [
            {"when": day, "what": _(ROAD_WORDS[Milestone.Kind(kind)]), "reached": day <= today}
            for kind, day in milestone_dates(case.date_of_birth).items()
        ],
        "goals": list(plan.goals) if plan else [],
        "actions": [{"action": a["action"], "who": a["owner"], "by": a["due"]} for a in plan.actions] if plan else [],
        "what_happens_next": _(NEXT_WORDS[State(state)]),
        "key_worker": case.key_worker.first_name if case.key_worker else None,
        "adult_services_contact": _contact(transition),
    }
