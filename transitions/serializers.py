"""Input and output shapes for transitions and hand-overs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.selectors import adult_services_directory_for, adult_workers_nameable_by, project_workers_nameable_by
from cases.models import YoungCarer
from core.fields import (
    ADULT_WORKER_MESSAGE,
    WORKER_MESSAGE,
    AwareDateTimeField,
    BoundedDateField,
    ScopedPrimaryKeyRelatedField,
    StrictIntegerField,
)
from transitions import workflow
from transitions.models import Assessment, Eligibility, Handover, Milestone, Note, Outcome, Plan, Transition
from transitions.road import birthday


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice documented as a string listing its values (these names clash with other apps' enums in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        choices = kwargs["choices"]
        kwargs.setdefault("help_text", "One of: " + ", ".join(value for value, _ in choices) + ".")
        super().__init__(**kwargs)


# --- inputs ---------------------------------------------------------------------------------------------------------


class OpenSerializer(serializers.Serializer):
    case = StrictIntegerField()


class ConsiderSerializer(serializers.Serializer):
    significant_benefit = serializers.BooleanField()
    reasons = serializers.CharField(max_length=5000)
    young_person_refused = serializers.BooleanField(default=False)
    abuse_or_neglect_suspected = serializers.BooleanField(default=False)
    lacks_capacity = serializers.BooleanField(default=False)


class ScheduleSerializer(serializers.Serializer):
    scheduled_for = AwareDateTimeField()
    assessor = ScopedPrimaryKeyRelatedField(
        scope=project_workers_nameable_by, message=WORKER_MESSAGE, required=False, allow_null=True
    )


class AssessmentInputSerializer(serializers.Serializer):
    able_to_care_now = serializers.BooleanField()
    willing_to_care_now = serializers.BooleanField()
    able_to_care_after_18 = serializers.BooleanField()
    willing_to_care_after_18 = serializers.BooleanField()
    caring_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    wellbeing_impact = serializers.CharField(max_length=5000)
    outcome_education_work_training = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    outcome_independent_living = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    outcome_friends_community = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    outcome_health = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    likely_eligibility = serializers.ChoiceField(choices=Eligibility.choices)
    advice_given = serializers.CharField(max_length=5000)
    advocate_needed = serializers.BooleanField()
    advocate_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PlanActionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=500)
    owner = serializers.CharField(max_length=200)
    due = BoundedDateField()


class PlanInputSerializer(serializers.Serializer):
    goals = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1, max_length=30)
    actions = PlanActionSerializer(many=True)
    agreed_with_young_person = serializers.BooleanField(default=True)

    def validate_actions(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > 50:
            raise serializers.ValidationError("At most 50 actions.")
        return value


class ReferSerializer(serializers.Serializer):
    organisation = ScopedPrimaryKeyRelatedField(
        scope=adult_services_directory_for, message="Choose an adult services organisation."
    )
    basis = PlainChoiceField(choices=Handover.Basis.choices, default=Handover.Basis.CONSENT)
    basis_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TransitionCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)


class AcceptSerializer(serializers.Serializer):
    worker = ScopedPrimaryKeyRelatedField(scope=adult_workers_nameable_by, message=ADULT_WORKER_MESSAGE)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ConfirmStepsSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class QuestionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


# --- outputs --------------------------------------------------------------------------------------------------------


class TransitionPersonSerializer(serializers.Serializer):
    id = StrictIntegerField()
    name = serializers.CharField(source="display_name")


class CaseBriefSerializer(serializers.ModelSerializer):
    turns_18_on = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()
    key_worker = TransitionPersonSerializer(allow_null=True)

    class Meta:
        model = YoungCarer
        fields = [
            "id",
            "reference",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "age",
            "turns_18_on",
            "key_worker",
        ]

    def get_turns_18_on(self, case: YoungCarer) -> Any:
        return birthday(case.date_of_birth, 18)

    @extend_schema_field(StrictIntegerField())
    def get_age(self, case: YoungCarer) -> int:
        return case.age()


class MilestoneSerializer(serializers.ModelSerializer):
    kind = PlainChoiceField(choices=Milestone.Kind.choices, read_only=True)
    title = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Milestone
        fields = ["kind", "title", "due_on", "marked_at", "needs_attention", "detail"]


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        exclude = ["id", "transition", "completed_by"]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["goals", "actions", "agreed_at", "agreed_with_young_person"]


class NoteSerializer(serializers.ModelSerializer):
    author = TransitionPersonSerializer(allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "author", "text", "created_at"]


class HandoverSerializer(serializers.ModelSerializer):
    young_person = CaseBriefSerializer(source="transition.case")
    transition = StrictIntegerField(source="transition_id")
    organisation = serializers.CharField(source="organisation.name")
    organisation_id = StrictIntegerField()
    project = serializers.CharField(source="transition.case.organisation.name")
    worker = TransitionPersonSerializer(allow_null=True)
    status = PlainChoiceField(choices=Handover.Status.choices, read_only=True)
    basis = PlainChoiceField(choices=Handover.Basis.choices, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = [
            "id",
            "transition",
            "young_person",
            "project",
            "organisation",
            "organisation_id",
            "status",
            "basis",
            "message",
            "referred_at",
            "respond_by",
            "overdue",
            "responded_at",
            "worker",
            "return_reason",
            "steps_confirmed_at",
            "steps_note",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, handover: Handover) -> bool:
        return handover.status == Handover.Status.PENDING and timezone.localdate() > handover.respond_by


class TransitionListSerializer(serializers.ModelSerializer):
    case = CaseBriefSerializer()
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = Transition
        fields = ["id", "case", "state", "allowed_steps", "significant_benefit", "outcome", "updated_at"]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="The steps open now, as they appear in the URL: POST /transitions/{id}/<step>/. Adult "
            "services' steps on a hand-over (accept, return, confirm-steps) are not listed here.",
        )
    )
    def get_allowed_steps(self, transition: Transition) -> list[str]:
        return workflow.transition_steps(transition.state)


class TransitionSerializer(TransitionListSerializer):
    milestones = MilestoneSerializer(many=True, source="case.transition_milestones")
    assessment = AssessmentSerializer(allow_null=True)
    plan = PlanSerializer(allow_null=True)
    handovers = HandoverSerializer(many=True)
    notes = NoteSerializer(many=True)
    assessment_assessor = TransitionPersonSerializer(allow_null=True)

    class Meta(TransitionListSerializer.Meta):
        fields = TransitionListSerializer.Meta.fields + [
            "consideration_reasons",
            "young_person_refused",
            "abuse_or_neglect_suspected",
            "lacks_capacity",
            "considered_at",
            "assessment_scheduled_for",
            "assessment_assessor",
            "outcome_note",
            "closed_at",
            "milestones",
            "assessment",
            "plan",
            "handovers",
            "notes",
        ]

    def to_representation(self, instance: Transition) -> dict[str, Any]:
        for name in ("assessment", "plan"):
            if not hasattr(instance, name):
                setattr(instance, name, None)
        return super().to_representation(instance)


class AtRiskSerializer(serializers.Serializer):
    case = CaseBriefSerializer()
    turns_18_on = BoundedDateField()
    days_to_18 = StrictIntegerField()
    transition = StrictIntegerField(source="transition.pk", allow_null=True, default=None)
    state = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    considered_by_16 = serializers.DictField(child=StrictIntegerField())
    assessed_before_17_and_a_half = serializers.DictField(child=StrictIntegerField())
    accepted_before_18 = serializers.DictField(child=StrictIntegerField())
    median_days_referral_to_acceptance = serializers.FloatField(allow_null=True)
    reached_18_unaccounted = serializers.DictField()


class MineStepSerializer(serializers.Serializer):
    when = BoundedDateField()
    what = serializers.CharField()
    reached = serializers.BooleanField()


class MineActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    who = serializers.CharField()
    by = BoundedDateField()


class MineContactSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True)
    organisation = serializers.CharField()
    confirmed = serializers.BooleanField()


class MineSerializer(serializers.Serializer):
    stage = serializers.CharField()
    stage_in_words = serializers.CharField()
    turns_18_on = BoundedDateField()
    road = MineStepSerializer(many=True)
    goals = serializers.ListField(child=serializers.CharField())
    actions = MineActionSerializer(many=True)
    what_happens_next = serializers.CharField()
    key_worker = serializers.CharField(allow_null=True)
    adult_services_contact = MineContactSerializer(allow_null=True)
