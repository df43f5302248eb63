"""What a young person sees of their own record: output serializers written for them, field by field.

Never staff notes, closing notes, monitoring data, a contingency plan naming other people, or anyone's email:
only what is about them, in plain words. Declared in ``core.audiences``.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation, User
from cases.models import CaringRole, Consent, YoungCarer


class YoungPersonWorkerSerializer(serializers.ModelSerializer[User]):
    """Their key worker as they would call them: a first name, no contact details."""

    class Meta:
        model = User
        fields = ["first_name"]


class YoungPersonPlaceSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class YoungPersonCaringRoleSerializer(serializers.ModelSerializer[CaringRole]):
    class Meta:
        model = CaringRole
        fields = ["id", "cared_for", "relationship", "condition_category", "caring_tasks", "hours_per_week"]


class YoungPersonCaseSerializer(serializers.ModelSerializer[YoungCarer]):
    age = serializers.SerializerMethodField()
    key_worker = YoungPersonWorkerSerializer(read_only=True, allow_null=True)
    project = YoungPersonPlaceSerializer(source="organisation", read_only=True)
    school = YoungPersonPlaceSerializer(read_only=True, allow_null=True)
    caring_roles = YoungPersonCaringRoleSerializer(many=True, read_only=True)

    class Meta:
        model = YoungCarer
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "age",
            "status",
            "language",
            "key_worker",
            "project",
            "school",
            "caring_roles",
        ]

    def get_age(self, case: YoungCarer) -> int:
        return case.age()


class YoungPersonConsentSerializer(serializers.ModelSerializer[Consent]):
    """What was agreed and by whom (as a relationship, not a name); never the notes or who recorded it."""

    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "subject",
            "given",
            "basis",
            "given_by_relationship",
            "given_at",
            "valid_until",
            "withdrawn_at",
            "in_force",
        ]

    def get_in_force(self, consent: Consent) -> bool:
        return consent.is_in_force()
