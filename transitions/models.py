"""The transition to adulthood: the road to 18, the Care Act assessment and plan, and the hand-over to adult services.

One :class:`Transition` per young carer, moved along a state machine by explicit actions
(see ``transitions.workflow``). Milestones on the road to 18 are marked once each by a daily job.
A :class:`Handover` is one referral to one adult service; a returned hand-over stays on record
and the project may refer again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class State(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    CONSIDERED = "considered", "Considered"
    ASSESSMENT_SCHEDULED = "assessment_scheduled", "Assessment scheduled"
    ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
    PLAN_AGREED = "plan_agreed", "Plan agreed"
    HANDOVER_REFERRED = "handover_referred", "Hand-over referred"
    ACCEPTED = "accepted", "Accepted by adult services"
    RETURNED = "returned", "Returned by adult services"
    JOINT_WORKING = "joint_working", "Joint working"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    SUPPORTED_BY_ADULT_SERVICES = "supported_by_adult_services", "Supported by adult services"
    NO_ELIGIBLE_NEEDS = "no_eligible_needs", "No eligible needs, advice given"
    DECLINED = "declined", "Declined by the young person"
    MOVED_AWAY = "moved_away", "Moved away"


class Eligibility(models.TextChoices):
    LIKELY = "likely", "Likely to have eligible needs"
    POSSIBLE = "possible", "Possibly eligible"
    UNLIKELY = "unlikely", "Unlikely to have eligible needs"


class Transition(models.Model):
    case = models.OneToOneField("cases.YoungCarer", on_delete=models.CASCADE, related_name="transition")
    state = models.CharField(max_length=24, choices=State.choices, default=State.NOT_STARTED)
    # s.63: the significant-benefit decision, and consent or its exceptions.
    significant_benefit = models.BooleanField(null=True)
    consideration_reasons = models.TextField(blank=True)
    young_person_refused = models.BooleanField(default=False)
    abuse_or_neglect_suspected = models.BooleanField(
        default=False, help_text="Care Act s.63: assess despite a refusal where abuse or neglect is suspected."
    )
    lacks_capacity = models.BooleanField(default=False, help_text="Assessed in their best interests.")
    considered_at = models.DateTimeField(null=True, blank=True)
    assessment_scheduled_for = models.DateTimeField(null=True, blank=True)
    assessment_assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case__date_of_birth", "id"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"Transition #{self.pk} for {self.case}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class Assessment(models.Model):
    """The transition assessment (Care Act 2014 s.64 content)."""

    transition = models.OneToOneField(Transition, on_delete=models.CASCADE, related_name="assessment")
    completed_at = models.DateTimeField()
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    able_to_care_now = models.BooleanField()
    willing_to_care_now = models.BooleanField()
    able_to_care_after_18 = models.BooleanField()
    willing_to_care_after_18 = models.BooleanField()
    caring_notes = models.TextField(blank=True)
    wellbeing_impact = models.TextField()
    outcome_education_work_training = models.TextField(blank=True)
    outcome_independent_living = models.TextField(blank=True)
    outcome_friends_community = models.TextField(blank=True)
    outcome_health = models.TextField(blank=True)
    likely_eligibility = models.CharField(max_length=16, choices=Eligibility.choices)
    advice_given = models.TextField()
    advocate_needed = models.BooleanField(help_text="Care Act s.67: an independent advocate.")
    advocate_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Assessment for {self.transition}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.transition.get_additional_data()


class Plan(models.Model):
    """The transition plan: goals in the young person's words, and actions with owners and dates."""

    transition = models.OneToOneField(Transition, on_delete=models.CASCADE, related_name="plan")
    goals = models.JSONField(default=list, help_text="A list of goals, each a short sentence.")
    actions = models.JSONField(default=list, help_text='A list of {"action", "owner", "due"} (due: ISO date).')
    agreed_at = models.DateTimeField()
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agreed_with_young_person = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Plan for {self.transition}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.transition.get_additional_data()


class Handover(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for adult services"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned to the project"
        WITHDRAWN = "withdrawn", "Withdrawn by the project"

    class Basis(models.TextChoices):
        CONSENT = "consent", "The young person's consent to share"
        BEST_INTERESTS = "best_interests", "Best-interests decision"
        SAFEGUARDING = "safeguarding", "Safeguarding"

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="handovers")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="handovers_received",
        help_text="Adult services.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    basis = models.CharField(max_length=16, choices=Basis.choices)
    basis_note = models.TextField(blank=True)
    consent = models.ForeignKey("cases.Consent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True, help_text="A covering note to adult services.")
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    respond_by = models.DateField(help_text="The last working day for adult services to respond.")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers_assigned"
    )
    return_reason = models.TextField(blank=True)
    steps_confirmed_at = models.DateTimeField(null=True, blank=True)
    steps_note = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"Hand-over #{self.pk} of {self.transition.case}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.transition.get_additional_data()


class Milestone(models.Model):
    class Kind(models.TextChoices):
        AGE_14 = "age_14", "14: preparing-for-adulthood conversation due"
        AGE_16 = "age_16", "16: transition assessment to be considered; young adult carer groups open"
        AGE_17 = "age_17", "17: transition assessment overdue if not done"
        AGE_17_HALF = "age_17_half", "17 and a half: hand-over must be under way"
        AGE_18 = "age_18", "18: with adult services or closed with a reason"

    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="transition_milestones")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due_on = models.DateField()
    marked_at = models.DateTimeField()
    needs_attention = models.BooleanField(default=False)
    detail = models.CharField(max_length=300, blank=True)
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["case_id", "due_on"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="one_milestone_per_case_and_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class Note(models.Model):
    """A worker's note on the transition. Never shown to the young person."""

    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note #{self.pk} on {self.transition}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.transition.get_additional_data()
