"""Everything that writes to a transition. Each step checks the actor, checks the state machine, records a named
audit event, and tells the people who need to know. Nothing is written when a step is refused."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import PROJECT_STAFF_ROLES, access_for
from accounts.models import Membership, Organisation, Role, User
from audit.services import record_event
from cases.models import Consent, YoungCarer
from cases.services import consent_in_force
from core.errors import Conflict, NotFound, ServiceError
from core.fields import ADULT_WORKER_MESSAGE, WORKER_MESSAGE
from notifications.services import notify
from transitions import workflow
from transitions.models import Assessment, Handover, Milestone, Note, Outcome, Plan, State, Transition
from transitions.road import add_working_days, london_morning, next_working_day, reached_milestones

MANAGER_ROLES = (Role.PROJECT_MANAGER, Role.ADMIN)
SELF_CONSENT_BASES = {Consent.Basis.OWN, Consent.Basis.GILLICK}
# Milestones reached longer ago than this (a record first seen late) are not announced one by one: the
# latest of them that needs attention is told at once, as urgent (``transition.milestone_late``).
ANNOUNCE_WITHIN_DAYS = 7
# Records older than this are young adult carers in their own right; the road to 18 is behind them.
ROAD_ENDS_AT_AGE = 19
# The outcomes the young person wants (Care Act s.64): an assessment records at least one.
OUTCOMES_WANTED = (
    "outcome_education_work_training",
    "outcome_independent_living",
    "outcome_friends_community",
    "outcome_health",
)


def acceptance_working_days() -> int:
    return int(getattr(settings, "TRANSITION_ACCEPTANCE_WORKING_DAYS", 10))


# --- who is told ----------------------------------------------------------------------------------------------------


def _members(organisation_id: int, *roles: str) -> list[int]:
    rows = Membership.objects.filter(organisation_id=organisation_id, ended_at__isnull=True, user__is_active=True)
    if roles:
        rows = rows.filter(role__in=roles)
    return list(rows.values_list("user_id", flat=True).distinct())


def project_recipients(case: YoungCarer, managers: list[int] | None = None) -> list[int]:
    """The key worker and the project's managers (``managers`` when the caller has read them already)."""
    ids = set(_members(case.organisation_id, *MANAGER_ROLES) if managers is None else managers)
    if case.key_worker_id:
        ids.add(case.key_worker_id)
    return sorted(ids)


def _worker_context(transition: Transition, **extra: Any) -> dict[str, Any]:
    case = transition.case
    return {"young_person": case.full_name, "transition_id": transition.pk, **extra}


def _handover_context(handover: Handover, **extra: Any) -> dict[str, Any]:
    return _worker_context(
        handover.transition,
        handover_id=handover.pk,
        project=handover.transition.case.organisation.name,
        adult_service=handover.organisation.name,
        respond_by=handover.respond_by.isoformat(),
        **extra,
    )


# --- opening and the road to 18 -------------------------------------------------------------------------------------


def _require_staff(actor: User, case: YoungCarer) -> None:
    if not access_for(actor).holds(case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()


@transaction.atomic
def transition_open(*, actor: User, case: YoungCarer) -> Transition:
    _require_staff(actor, case)
    if case.status == YoungCarer.Status.CLOSED:
        raise Conflict("The case is closed; reopen it before planning a transition.", code="case_closed")
    if Transition.objects.filter(case=case).exists():
        raise Conflict("This young carer already has a transition record.", code="already_open")
    transition = Transition.objects.create(case=case)
    record_event(actor=actor, instance=transition, event="transition.open")
    return transition


def _ensure_transition(case: YoungCarer) -> Transition:
    transition = Transition.objects.filter(case=case).first()
    if transition is None:
        try:
            with transaction.atomic():
                transition = Transition.objects.create(case=case)
        except IntegrityError:
            transition = Transition.objects.get(case=case)
    transition.case = case  # already loaded with its organisation: no reload per case
    return transition


def _milestone_check(kind: str, transition: Transition) -> tuple[bool, str]:
    """Whether the milestone needs attention, and what to say about it."""
    state = transition.state
    if kind == Milestone.Kind.AGE_14:
        return False, "Time for a preparing-for-adulthood conversation."
    if kind == Milestone.Kind.AGE_16:
        if state == State.NOT_STARTED:
            return True, "Consider a transition assessment (Care Act s.63); young adult carer groups are now open."
        return False, "Young adult carer groups are now open."
    if kind == Milestone.Kind.AGE_17:
        if state == State.CONSIDERED and not assessment_may_go_ahead(transition):
            return False, "Decided against an assessment for now; the reasons are recorded."
        if state in (State.NOT_STARTED, State.CONSIDERED, State.ASSESSMENT_SCHEDULED):
            return True, "The transition assessment is overdue."
        return False, "Transition assessment done."
    if kind == Milestone.Kind.AGE_17_HALF:
        if state in (State.HANDOVER_REFERRED, State.ACCEPTED, State.JOINT_WORKING, State.CLOSED):
            return False, "Hand-over under way."
        return True, "The hand-over to adult services should be under way by now."
    if workflow.accounted_for_at_18(transition.case, transition):
        return False, "With adult services or closed with a reason."
    return True, "Reached 18 without a hand-over to adult services or a recorded reason."


def milestones_mark(*, today: date | None = None) -> int:
    """Mark each reached milestone once per young carer and tell the key worker and managers. Returns how many.

    Reads only ids, dates of birth and the milestones already marked, so a day with nothing new costs two queries.
    """
    today = today or timezone.localdate()
    candidates = YoungCarer.objects.exclude(status=YoungCarer.Status.CLOSED).filter(
        date_of_birth__gt=today - relativedelta(years=ROAD_ENDS_AT_AGE),
        date_of_birth__lte=today - relativedelta(years=14),
    )
    seen: dict[int, set[str]] = defaultdict(set)
    for case_id, kind in Milestone.objects.filter(case__in=candidates).values_list("case_id", "kind"):
        seen[case_id].add(kind)
    due_by_case: dict[int, dict[str, date]] = {}
    for case_id, born in candidates.values_list("id", "date_of_birth"):
        due = {kind: day for kind, day in reached_milestones(born, today).items() if kind not in seen[case_id]}
        if due:
            due_by_case[case_id] = due
    marked = 0
    managers: dict[int, list[int]] = {}  # per project, read once for the whole run
    ids = sorted(due_by_case)
    for chunk in range(0, len(ids), 500):
        for case in YoungCarer.objects.filter(pk__in=ids[chunk : chunk + 500]).select_related("organisation"):
            marked += _mark_case(case, due_by_case[case.pk], today, managers)
    return marked


def _late_one_to_tell(checked: list[tuple[str, date, bool, str]], today: date) -> str | None:
    """A record first seen late: of its late milestones, the latest needing attention is the one to tell now.

    None when a milestone is due this week (it is announced as usual) or nothing late needs attention.
    """
    if any((today - due_on).days <= ANNOUNCE_WITHIN_DAYS for _kind, due_on, _attention, _detail in checked):
        return None
    late = [kind for kind, _due_on, attention, _detail in checked if attention]
    return late[-1] if late else None


@transaction.atomic
def _mark_case(case: YoungCarer, due: dict[str, date], today: date, managers: dict[int, list[int]]) -> int:
    transition = _ensure_transition(case)
    checked = [
        (kind, due_on, *_milestone_check(kind, transition))
        for kind, due_on in sorted(due.items(), key=lambda item: item[1])
    ]
    late_one = _late_one_to_tell(checked, today)
    marked = 0
    for kind, due_on, attention, detail in checked:
        on_time = (today - due_on).days <= ANNOUNCE_WITHIN_DAYS
        try:
            with transaction.atomic():
                milestone = Milestone.objects.create(
                    case=case,
                    kind=kind,
                    due_on=due_on,
                    marked_at=timezone.now(),
                    needs_attention=attention,
                    detail=detail,
                    notified=on_time or kind == late_one,
                )
        except IntegrityError:
            continue  # another worker marked it first
        marked += 1
        if milestone.notified:
            if case.organisation_id not in managers:
                managers[case.organisation_id] = _members(case.organisation_id, *MANAGER_ROLES)
            _announce_milestone(transition, milestone, managers[case.organisation_id], late=not on_time)
    return marked


def _announce_milestone(transition: Transition, milestone: Milestone, managers: list[int], *, late: bool) -> None:
    kind = "transition.milestone_attention" if milestone.needs_attention else "transition.milestone"
    context = _worker_context(transition, milestone=milestone.get_kind_display(), detail=milestone.detail)
    if late:
        kind, context["due_on"] = "transition.milestone_late", date_format(milestone.due_on, "j F Y")
    notify(
        recipients=project_recipients(transition.case, managers),
        kind=kind,
        context=context,
        dedupe_key=f"transition.milestone:{milestone.case_id}:{milestone.kind}",
    )


# --- the workflow ---------------------------------------------------------------------------------------------------


def _lock(transition: Transition) -> Transition:
    rows = Transition.objects.select_for_update(of=("self",)).select_related("case", "case__organisation")
    return rows.get(pk=transition.pk)


def _locked(transition: Transition, actor: User) -> Transition:
    """The transition, locked, once the actor is known to be staff of the young carer's project."""
    locked = _lock(transition)
    _require_staff(actor, locked.case)
    return locked


def _save(transition: Transition, actor: User, step: str, details: dict[str, Any] | None = None) -> Transition:
    transition.save()
    record_event(
        actor=actor,
        instance=transition,
        event=f"transition.{step}",
        details={"state": transition.state, **(details or {})},
    )
    return transition


@transaction.atomic
def transition_consider(
    *,
    actor: User,
    transition: Transition,
    significant_benefit: bool,
    reasons: str,
    young_person_refused: bool = False,
    abuse_or_neglect_suspected: bool = False,
    lacks_capacity: bool = False,
) -> Transition:
    """Record the s.63 decision: is an assessment of significant benefit, and may it go ahead."""
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.CONSIDER)
    if not reasons.strip():
        raise ServiceError("Give the reasons for the significant-benefit decision.", field="reasons")
    if abuse_or_neglect_suspected and not young_person_refused:
        raise ServiceError(
            "The abuse-or-neglect exception only applies when the young person has refused.",
            field="abuse_or_neglect_suspected",
        )
    transition.state = state
    transition.significant_benefit = significant_benefit
    transition.consideration_reasons = reasons.strip()
    transition.young_person_refused = young_person_refused
    transition.abuse_or_neglect_suspected = abuse_or_neglect_suspected
    transition.lacks_capacity = lacks_capacity
    transition.considered_at = timezone.now()
    return _save(
        transition,
        actor,
        workflow.CONSIDER,
        {"significant_benefit": significant_benefit, "refused": young_person_refused},
    )


def assessment_may_go_ahead(transition: Transition) -> bool:
    if not transition.significant_benefit:
        return False
    return not transition.young_person_refused or transition.abuse_or_neglect_suspected


@transaction.atomic
def transition_schedule_assessment(
    *, actor: User, transition: Transition, scheduled_for: datetime, assessor: User | None = None
) -> Transition:
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.SCHEDULE_ASSESSMENT)
    if not assessment_may_go_ahead(transition):
        raise Conflict(
            "An assessment was not found to be of significant benefit, or the young person refused it and no abuse or "
            "neglect is suspected. Record a new decision first.",
            code="assessment_not_warranted",
        )
    if scheduled_for < timezone.now() - timedelta(days=1):
        raise ServiceError("The assessment date is in the past.", field="scheduled_for")
    if assessor is not None and not access_for(assessor).holds(transition.case.organisation_id, *PROJECT_STAFF_ROLES):
        raise ServiceError(WORKER_MESSAGE, field="assessor")
    transition.state = state
    transition.assessment_scheduled_for = scheduled_for
    transition.assessment_assessor = assessor
    return _save(transition, actor, workflow.SCHEDULE_ASSESSMENT, {"scheduled_for": scheduled_for.isoformat()})


@transaction.atomic
def transition_complete_assessment(*, actor: User, transition: Transition, **content: Any) -> Transition:
    """Record the s.64 assessment: caring now and after 18, wellbeing, outcomes wanted, likely eligibility, advice."""
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.COMPLETE_ASSESSMENT)
    for name in ("wellbeing_impact", "advice_given"):
        if not str(content.get(name, "")).strip():
            raise ServiceError("This part of the assessment is required.", field=name)
    if not any(str(content.get(name, "")).strip() for name in OUTCOMES_WANTED):
        raise ServiceError("Record at least one outcome the young person wants.", field=OUTCOMES_WANTED[0])
    if content.get("advocate_needed") is False:
        content["advocate_name"] = ""
    Assessment.objects.update_or_create(
        transition=transition, defaults={**content, "completed_at": timezone.now(), "completed_by": actor}
    )
    transition.state = state
    return _save(
        transition, actor, workflow.COMPLETE_ASSESSMENT, {"likely_eligibility": content.get("likely_eligibility")}
    )


def _clean_plan(goals: list[str], actions: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, str]]]:
    goals = [goal.strip() for goal in goals if goal and goal.strip()]
    if not goals:
        raise ServiceError("A plan needs at least one goal.", field="goals")
    if not actions:
        raise ServiceError("A plan needs at least one action with an owner and a date.", field="actions")
    cleaned = []
    for action in actions:
        if not str(action.get("action", "")).strip() or not str(action.get("owner", "")).strip():
            raise ServiceError("Every action needs a description and an owner.", field="actions")
        due = action["due"]
        cleaned.append({"action": action["action"].strip(), "owner": action["owner"].strip(), "due": due.isoformat()})
    return goals, cleaned


@transaction.atomic
def transition_agree_plan(
    *,
    actor: User,
    transition: Transition,
    goals: list[str],
    actions: list[dict[str, Any]],
    agreed_with_young_person: bool = True,
) -> Transition:
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.AGREE_PLAN)
    goals, cleaned = _clean_plan(goals, actions)
    Plan.objects.update_or_create(
        transition=transition,
        defaults={
            "goals": goals,
            "actions": cleaned,
            "agreed_at": timezone.now(),
            "agreed_by": actor,
            "agreed_with_young_person": agreed_with_young_person,
        },
    )
    transition.state = state
    return _save(transition, actor, workflow.AGREE_PLAN, {"goals": len(goals), "actions": len(cleaned)})


def _consent_to_share(case: YoungCarer) -> Consent:
    consent = consent_in_force(case, Consent.Subject.SHARE_WITH_ADULT_SERVICES)
    if consent is None or consent.basis not in SELF_CONSENT_BASES:
        raise ServiceError(
            "There is no consent in force from the young person to share with adult services. Record their consent, "
            "or give a documented best-interests or safeguarding basis.",
            code="consent_required",
            field="basis",
        )
    return consent


@transaction.atomic
def transition_refer(
    *,
    actor: User,
    transition: Transition,
    organisation: Organisation,
    basis: str = Handover.Basis.CONSENT,
    basis_note: str = "",
    message: str = "",
) -> Handover:
    """Refer the young person to an adult service, with the young person's consent or a documented basis."""
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.REFER)
    if organisation.kind != Organisation.Kind.ADULT_SERVICES or not organisation.is_active:
        raise ServiceError("Hand-overs go to an adult services organisation.", field="organisation")
    consent = None
    if basis == Handover.Basis.CONSENT:
        consent = _consent_to_share(transition.case)
    elif not basis_note.strip():
        raise ServiceError(
            "Document the best-interests or safeguarding basis for sharing.", code="basis_required", field="basis_note"
        )
    now = timezone.now()
    handover = Handover.objects.create(
        transition=transition,
        organisation=organisation,
        basis=basis,
        basis_note=basis_note.strip(),
        consent=consent,
        message=message.strip(),
        referred_at=now,
        referred_by=actor,
        respond_by=add_working_days(timezone.localdate(now), acceptance_working_days()),
    )
    transition.state = state
    _save(
        transition,
        actor,
        workflow.REFER,
        {"handover_id": handover.pk, "organisation_id": organisation.pk, "basis": basis},
    )
    _schedule_follow_ups(handover)
    notify(
        recipients=_members(organisation.pk),
        kind="transition.handover_received",
        context=_handover_context(handover),
        dedupe_key=f"transition.handover_received:{handover.pk}",
    )
    return handover


def _schedule_follow_ups(handover: Handover) -> None:
    from transitions.tasks import handover_escalate_task, handover_remind_task

    remind_on = add_working_days(timezone.localdate(handover.referred_at), max(acceptance_working_days() - 2, 1))
    handover_remind_task.using(run_after=london_morning(remind_on)).enqueue(handover.pk)
    handover_escalate_task.using(run_after=london_morning(next_working_day(handover.respond_by))).enqueue(handover.pk)


def _check_adult_worker(worker: User, organisation_id: int) -> None:
    if worker.pk not in _members(organisation_id):
        raise ServiceError(ADULT_WORKER_MESSAGE, field="worker")


def _require_receiver(actor: User, handover: Handover) -> None:
    if not access_for(actor).holds(handover.organisation_id):
        raise NotFound()


def _locked_handover(handover: Handover) -> tuple[Handover, Transition]:
    transition = _lock(handover.transition)
    handover = Handover.objects.select_for_update().select_related("organisation").get(pk=handover.pk)
    handover.transition = transition
    return handover, transition


def _require_pending(handover: Handover) -> None:
    if handover.status != Handover.Status.PENDING:
        raise Conflict(f"This hand-over is already {handover.status}.", code="invalid_step")


@transaction.atomic
def handover_accept(*, actor: User, handover: Handover, worker: User) -> Handover:
    _require_receiver(actor, handover)
    handover, transition = _locked_handover(handover)
    _require_pending(handover)
    state = workflow.advance(transition, workflow.ACCEPT)
    _check_adult_worker(worker, handover.organisation_id)
    handover.status, handover.worker = Handover.Status.ACCEPTED, worker
    handover.responded_at, handover.responded_by = timezone.now(), actor
    handover.save()
    transition.state = state
    _save(transition, actor, workflow.ACCEPT, {"handover_id": handover.pk, "worker_id": worker.pk})
    notify(
        recipients=project_recipients(transition.case),
        kind="transition.handover_accepted",
        context=_handover_context(handover, worker=worker.display_name),
        dedupe_key=f"transition.handover_accepted:{handover.pk}",
    )
    if worker.pk != actor.pk:  # a manager accepted on someone's behalf: tell the named worker
        notify(
            recipients=[worker],
            kind="transition.handover_assigned",
            context=_handover_context(handover),
            dedupe_key=f"transition.handover_assigned:{handover.pk}",
        )
    return handover


@transaction.atomic
def handover_return(*, actor: User, handover: Handover, reason: str) -> Handover:
    """Adult services send the hand-over back. The young person stays with the project; the clock keeps running."""
    _require_receiver(actor, handover)
    handover, transition = _locked_handover(handover)
    _require_pending(handover)
    state = workflow.advance(transition, workflow.RETURN)
    if not reason.strip():
        raise ServiceError("Say why the hand-over is returned.", field="reason")
    handover.status, handover.return_reason = Handover.Status.RETURNED, reason.strip()
    handover.responded_at, handover.responded_by = timezone.now(), actor
    handover.save()
    transition.state = state
    _save(transition, actor, workflow.RETURN, {"handover_id": handover.pk})
    notify(
        recipients=project_recipients(transition.case),
        kind="transition.handover_returned",
        context=_handover_context(handover, reason=handover.return_reason[:200]),
        dedupe_key=f"transition.handover_returned:{handover.pk}",
    )
    return handover


@transaction.atomic
def transition_start_joint_working(*, actor: User, transition: Transition) -> Transition:
    transition = _locked(transition, actor)
    transition.state = workflow.advance(transition, workflow.START_JOINT_WORKING)
    return _save(transition, actor, workflow.START_JOINT_WORKING)


@transaction.atomic
def handover_confirm_steps(*, actor: User, handover: Handover, note: str) -> Handover:
    """Adult services confirm they have taken the relevant steps (s.66): children's support may now end."""
    _require_receiver(actor, handover)
    handover, transition = _locked_handover(handover)
    workflow.require_step(transition, workflow.CONFIRM_STEPS)
    if handover.status != Handover.Status.ACCEPTED:
        raise Conflict("Only an accepted hand-over can be confirmed.", code="invalid_step")
    if handover.steps_confirmed_at is not None:
        raise Conflict("The relevant steps were already confirmed.", code="already_confirmed")
    if not note.strip():
        raise ServiceError(
            "Say which steps were taken (for example: carer's assessment done, support plan in place).", field="note"
        )
    handover.steps_confirmed_at, handover.steps_note = timezone.now(), note.strip()
    handover.save()
    record_event(
        actor=actor, instance=transition, event="transition.confirm_steps", details={"handover_id": handover.pk}
    )
    notify(
        recipients=project_recipients(transition.case),
        kind="transition.steps_confirmed",
        context=_handover_context(handover),
        dedupe_key=f"transition.steps_confirmed:{handover.pk}",
    )
    return handover


def _accepted_handover(transition: Transition) -> Handover | None:
    return transition.handovers.filter(status=Handover.Status.ACCEPTED).order_by("-responded_at").first()


@transaction.atomic
def transition_close(*, actor: User, transition: Transition, outcome: str, note: str = "") -> Transition:
    transition = _locked(transition, actor)
    state = workflow.advance(transition, workflow.CLOSE)
    if outcome not in Outcome.values:
        raise ServiceError("Choose an outcome.", field="outcome")
    if outcome == Outcome.SUPPORTED_BY_ADULT_SERVICES:
        accepted = _accepted_handover(transition)
        if transition.state != State.JOINT_WORKING or accepted is None or accepted.steps_confirmed_at is None:
            raise Conflict(
                "Children's support continues until adult services confirm the relevant steps (Care Act s.66): "
                "close as supported by adult services only in joint working, after they confirm.",
                code="steps_not_confirmed",
            )
    if outcome == Outcome.NO_ELIGIBLE_NEEDS and not note.strip():
        raise ServiceError("Record the advice given when there are no eligible needs.", field="note")
    for handover in transition.handovers.select_for_update().filter(status=Handover.Status.PENDING):
        handover.status, handover.responded_at = Handover.Status.WITHDRAWN, timezone.now()
        handover.save()  # audited field by field; adult services lose the pack with it
        notify(
            recipients=_members(handover.organisation_id),
            kind="transition.handover_withdrawn",
            context=_handover_context(handover),
            dedupe_key=f"transition.handover_withdrawn:{handover.pk}",
        )
    transition.state, transition.outcome, transition.outcome_note = state, outcome, note.strip()
    transition.closed_at = timezone.now()
    return _save(transition, actor, workflow.CLOSE, {"outcome": outcome})


@transaction.atomic
def note_add(*, actor: User, transition: Transition, text: str) -> Note:
    _require_staff(actor, transition.case)
    if not text.strip():
        raise ServiceError("The note is empty.", field="text")
    return Note.objects.create(transition=transition, author=actor, text=text.strip())


# --- adult services' clock ------------------------------------------------------------------------------------------


@transaction.atomic
def handover_remind(*, handover_id: int) -> bool:
    handover = (
        Handover.objects.select_related("transition__case__organisation", "organisation").filter(pk=handover_id).first()
    )
    if handover is None or handover.status != Handover.Status.PENDING or handover.reminded_at is not None:
        return False
    handover.reminded_at = timezone.now()
    handover.save(update_fields=["reminded_at"])
    notify(
        recipients=_members(handover.organisation_id),
        kind="transition.handover_reminder",
        context=_handover_context(handover),
        dedupe_key=f"transition.handover_reminder:{handover.pk}",
    )
    return True


@transaction.atomic
def handover_escalate(*, handover_id: int) -> bool:
    """Past the response date: tell the adult service's managers and the project's key worker."""
    handover = (
        Handover.objects.select_related("transition__case__organisation", "organisation").filter(pk=handover_id).first()
    )
    if handover is None or handover.status != Handover.Status.PENDING or handover.escalated_at is not None:
        return False
    handover.escalated_at = timezone.now()
    handover.save(update_fields=["escalated_at"])
    recipients = set(_members(handover.organisation_id, *MANAGER_ROLES))
    if handover.transition.case.key_worker_id:
        recipients.add(handover.transition.case.key_worker_id)
    notify(
        recipients=sorted(recipients),
        kind="transition.handover_escalated",
        context=_handover_context(handover),
        dedupe_key=f"transition.handover_escalated:{handover.pk}",
    )
    return True


# --- the young person -----------------------------------------------------------------------------------------------


def young_person_ask(*, actor: User, text: str) -> None:
    """The young person sends a question about their transition to their key worker (or the project's managers)."""
    young_carer_id = access_for(actor).young_carer_id
    if young_carer_id is None:  # not a young person
        raise NotFound()
    text = text.strip()
    if not text:
        raise ServiceError("Write your question first.", field="text")
    case = YoungCarer.objects.select_related("organisation").get(pk=young_carer_id)
    recipients = [case.key_worker_id] if case.key_worker_id else _members(case.organisation_id, *MANAGER_ROLES)
    with transaction.atomic():
        notify(
            recipients=recipients,
            kind="message.to_worker",
            context={
                "young_person": case.preferred_name or case.first_name,
                "preview": text[:140],
                "about": "transition",
            },
        )
        record_event(actor=actor, instance=case, event="transition.question", details={"length": len(text)})
