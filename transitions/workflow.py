"""The transition state machine: which step may follow which. Services call :func:`require_step`."""

from __future__ import annotations

from cases.models import YoungCarer
from core.errors import Conflict
from transitions.models import State, Transition

CONSIDER = "consider"
SCHEDULE_ASSESSMENT = "schedule_assessment"
COMPLETE_ASSESSMENT = "complete_assessment"
AGREE_PLAN = "agree_plan"
REFER = "refer"
ACCEPT = "accept"
RETURN = "return"
START_JOINT_WORKING = "start_joint_working"
CONFIRM_STEPS = "confirm_steps"
CLOSE = "close"

ALLOWED: dict[str, tuple[str, ...]] = {
    State.NOT_STARTED: (CONSIDER, CLOSE),
    State.CONSIDERED: (CONSIDER, SCHEDULE_ASSESSMENT, CLOSE),
    State.ASSESSMENT_SCHEDULED: (SCHEDULE_ASSESSMENT, COMPLETE_ASSESSMENT, CLOSE),
    State.ASSESSMENT_COMPLETED: (AGREE_PLAN, CLOSE),
    State.PLAN_AGREED: (AGREE_PLAN, REFER, CLOSE),
    State.HANDOVER_REFERRED: (ACCEPT, RETURN, CLOSE),
    State.ACCEPTED: (START_JOINT_WORKING, CONFIRM_STEPS, CLOSE),
    State.RETURNED: (AGREE_PLAN, REFER, CLOSE),
    State.JOINT_WORKING: (CONFIRM_STEPS, CLOSE),
    State.CLOSED: (),
}

# Where each step leaves the transition (steps not listed leave the state as it is).
TARGET: dict[str, str] = {
    CONSIDER: State.CONSIDERED,
    SCHEDULE_ASSESSMENT: State.ASSESSMENT_SCHEDULED,
    COMPLETE_ASSESSMENT: State.ASSESSMENT_COMPLETED,
    AGREE_PLAN: State.PLAN_AGREED,
    REFER: State.HANDOVER_REFERRED,
    ACCEPT: State.ACCEPTED,
    RETURN: State.RETURNED,
    START_JOINT_WORKING: State.JOINT_WORKING,
    CLOSE: State.CLOSED,
}

# The states in which a young person has an agreed plan (or is past needing one).
WITH_PLAN = {State.PLAN_AGREED, State.HANDOVER_REFERRED, State.ACCEPTED, State.RETURNED, State.JOINT_WORKING}
WITH_ADULT_SERVICES = {State.ACCEPTED, State.JOINT_WORKING}


# Steps adult services take on the hand-over (``/handovers/{id}/<step>/``), not on the transition.
ON_HANDOVER = {ACCEPT, RETURN, CONFIRM_STEPS}


def allowed_steps(state: str) -> list[str]:
    return list(ALLOWED.get(state, ()))


def step_path(step: str) -> str:
    """A step as its URL says it: ``schedule-assessment``."""
    return step.replace("_", "-")


def transition_steps(state: str) -> list[str]:
    """What the project's staff can do now at ``/transitions/{id}/<step>/``, spelt as in the URL."""
    return [step_path(step) for step in allowed_steps(state) if step not in ON_HANDOVER]


def require_step(transition: Transition, step: str) -> None:
    """409 naming the current state and the steps allowed from it, when ``step`` may not follow."""
    allowed = allowed_steps(transition.state)
    if step not in allowed:
        listed = ", ".join(step_path(name) for name in allowed) or "none (the transition is closed)"
        raise Conflict(
            f"Cannot {step.replace('_', ' ')}: the transition is '{transition.state}'. Allowed now: {listed}.",
            code="invalid_step",
        )


def advance(transition: Transition, step: str) -> str:
    """Check ``step`` and return the state it leads to."""
    require_step(transition, step)
    return TARGET.get(step, transition.state)


def accounted_for_at_18(case: YoungCarer, transition: Transition | None) -> bool:
    """Whether a young carer reaching 18 is accounted for: the case closed with a reason, adult services took the
    hand-over (the transition is accepted or in joint working, which only an accepted hand-over leads to), or the
    transition closed with a recorded outcome."""
    if case.status == YoungCarer.Status.CLOSED and case.closed_reason:
        return True
    if transition is None:
        return False
    if transition.state in WITH_ADULT_SERVICES:
        return True
    return transition.state == State.CLOSED and bool(transition.outcome)
