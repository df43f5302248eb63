from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import Organisation, User
from accounts.selectors import project_workers_nameable_by, projects_acted_for_by
from cases.models import CaringRole, Consent, YoungCarer
from cases.services import EDITABLE_FIELDS
from core.fields import PROJECT_MESSAGE, WORKER_MESSAGE, ScopedPrimaryKeyRelatedField
from schools.selectors import schools_nameable_by


class PersonSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name", "email"]


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class CaringRoleSerializer(serializers.ModelSerializer[CaringRole]):
    caring_tasks = serializers.ListField(
        child=serializers.ChoiceField(choices=CaringRole.Task.choices), allow_empty=True, max_length=20
    )

    class Meta:
        model = CaringRole
        fields = [
            "id",
            "cared_for",
            "relationship",
            "condition_category",
            "caring_tasks",
            "hours_per_week",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    in_force = serializers.SerializerMethodField()
    recorded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "subject",
            "given",
            "basis",
            "given_by_name",
            "given_by_relationship",
            "given_at",
            "valid_until",
            "notes",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "in_force",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at", "withdrawn_at", "in_force"]
        extra_kwargs = {"given_at": {"required": False}, "basis": {"required": True}}

    def get_in_force(self, consent: Consent) -> bool:
        return consent.is_in_force()


class YoungCarerListSerializer(serializers.ModelSerializer[YoungCarer]):
    reference = serializers.CharField(read_only=True)
    age = serializers.SerializerMethodField()
    key_worker = PersonSerializer(read_only=True, allow_null=True)
    school = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = YoungCarer
        fields = [
            "id",
            "reference",
            "first_name",
            "last_name",
            "preferred_name",
            "age",
            "status",
            "key_worker",
            "school",
        ]

    def get_age(self, case: YoungCarer) -> int:
        return case.age()


class YoungCarerSerializer(YoungCarerListSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    caring_roles = CaringRoleSerializer(many=True, read_only=True)
    has_app_account = serializers.SerializerMethodField()

    class Meta(YoungCarerListSerializer.Meta):
        fields = [
            *YoungCarerListSerializer.Meta.fields,
            "organisation",
            "date_of_birth",
            "closed_reason",
            "closed_note",
            "closed_at",
            "communication_needs",
            "language",
            "interpreter_needed",
            "contingency_plan",
            "gender",
            "ethnicity",
            "disability",
            "caring_roles",
            "has_app_account",
            "created_at",
            "updated_at",
        ]

    def get_has_app_account(self, case: YoungCarer) -> bool:
        return case.account_id is not None


class YoungCarerWriteSerializer(serializers.ModelSerializer[YoungCarer]):
    organisation = ScopedPrimaryKeyRelatedField(scope=projects_acted_for_by, message=PROJECT_MESSAGE, required=False)
    school = ScopedPrimaryKeyRelatedField(
        scope=schools_nameable_by, message="Choose a school from the register.", required=False, allow_null=True
    )
    key_worker = ScopedPrimaryKeyRelatedField(
        scope=project_workers_nameable_by, message=WORKER_MESSAGE, required=False, allow_null=True
    )

    class Meta:
        model = YoungCarer
        fields = ["organisation", *EDITABLE_FIELDS]  # the service decides what may change


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=YoungCarer.ClosedReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class WithdrawSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
