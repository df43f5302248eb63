from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.access import access_for
from accounts.models import Invitation, Membership, Organisation, Role, User
from core.fields import StrictIntegerField


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "urn", "is_active"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "role", "is_on_duty", "created_at"]


class OrganisationMemberSerializer(serializers.ModelSerializer[Membership]):
    user_id = StrictIntegerField(source="user.id")
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["id", "user_id", "name", "email", "role", "is_on_duty", "created_at"]


class MeSerializer(serializers.ModelSerializer[User]):
    memberships = serializers.SerializerMethodField()
    young_carer_id = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()
    mfa_required = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "locale",
            "memberships",
            "young_carer_id",
            "mfa_enabled",
            "mfa_required",
        ]
        read_only_fields = ["id", "email"]

    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        active = user.memberships.filter(ended_at__isnull=True).select_related("organisation")
        return MembershipSerializer(active, many=True).data  # type: ignore[return-value]

    def get_young_carer_id(self, user: User) -> int | None:
        return access_for(user).young_carer_id

    def get_mfa_enabled(self, user: User) -> bool:
        return access_for(user).has_mfa

    def get_mfa_required(self, user: User) -> bool:
        access = access_for(user)
        return access.is_staff_member and not access.mfa_passed


class MeUpdateSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    locale = serializers.ChoiceField(choices=[("en", "English"), ("cy", "Cymraeg")], required=False)


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    state = serializers.CharField(read_only=True)
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "kind",
            "organisation",
            "case",
            "role",
            "email",
            "state",
            "created_at",
            "expires_at",
            "accepted_at",
        ]


class InvitationCreatedSerializer(InvitationSerializer):
    token = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Shown once, only when nothing was emailed (a young person without email): the invitee enters it "
        "at sign-up. An emailed invitation carries its code to the invitee alone, so this is null.",
    )
    emailed = serializers.SerializerMethodField()

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "token", "emailed"]

    def get_emailed(self, invitation: Invitation) -> bool:
        """The invitation leaves by email once saved; without an address, print a letter (POST .../letter/)."""
        return bool(invitation.email)


class InvitationCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Invitation.Kind.choices)
    case = StrictIntegerField(required=False, help_text="Young carer invitations: the case id.")
    organisation = StrictIntegerField(required=False, help_text="Staff invitations: the organisation id.")
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == Invitation.Kind.YOUNG_CARER and not attrs.get("case"):
            raise serializers.ValidationError({"case": ["A young carer invitation is tied to a case."]})
        if attrs["kind"] == Invitation.Kind.STAFF:
            missing = {
                name: ["This field is required."] for name in ("organisation", "role", "email") if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class OnDutySerializer(serializers.Serializer[Any]):
    is_on_duty = serializers.BooleanField()
