"""What a young person sees of their own account and of the organisations that support them.

Declared in ``core.audiences``: no memberships, roles, URNs or flags written for staff.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.access import access_for
from accounts.models import Organisation, User


class YoungPersonMeSerializer(serializers.ModelSerializer[User]):
    young_carer_id = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "locale", "young_carer_id"]

    def get_young_carer_id(self, user: User) -> int | None:
        return access_for(user).young_carer_id


class YoungPersonOrganisationSerializer(serializers.ModelSerializer[Organisation]):
    """Their project and their school, by name."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]
