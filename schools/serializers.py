from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation
from accounts.selectors import (
    managed_projects_of,
    project_workers_nameable_by,
    school_staff_nameable_by,
    schools_acted_for_by,
)
from cases.models import CaringRole
from cases.serializers import OrganisationRefSerializer, PersonSerializer
from core.fields import (
    WORKER_MESSAGE,
    AwareDateTimeField,
    BoundedDateField,
    ScopedPrimaryKeyRelatedField,
    StrictIntegerField,
)
from schools.models import (
    AwardLevel,
    EvidenceItem,
    Presentation,
    Referral,
    ReferralAttachment,
    SchoolProject,
    SelfIdentification,
    Standard,
    StandardProgress,
    ToolkitResource,
    ToolkitVersion,
    YearGroup,
)
from schools.selectors import projects_nameable_by, schools_nameable_by
from schools.services.referrals import EDITABLE
from schools.workdays import working_days_between

# --- Schools --------------------------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer[Organisation]):
    phase = serializers.SerializerMethodField()
    local_authority = serializers.SerializerMethodField()
    postcode = serializers.SerializerMethodField()
    establishment_type = serializers.SerializerMethodField()
    establishment_status = serializers.SerializerMethodField()
    young_carers_lead = serializers.SerializerMethodField()
    award_level = serializers.SerializerMethodField()
    award_expires_on = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "urn",
            "phase",
            "local_authority",
            "postcode",
            "establishment_type",
            "establishment_status",
            "young_carers_lead",
            "award_level",
            "award_expires_on",
        ]

    @staticmethod
    def _profile(school: Organisation) -> Any:
        return getattr(school, "school_profile", None)

    def _get(self, school: Organisation, name: str) -> Any:
        profile = self._profile(school)
        return getattr(profile, name) if profile is not None else None

    def get_phase(self, school: Organisation) -> str | None:
        return self._get(school, "phase")

    def get_local_authority(self, school: Organisation) -> str | None:
        return self._get(school, "local_authority")

    def get_postcode(self, school: Organisation) -> str | None:
        return self._get(school, "postcode")

    def get_establishment_type(self, school: Organisation) -> str | None:
        return self._get(school, "establishment_type")

    def get_establishment_status(self, school: Organisation) -> str | None:
        return self._get(school, "establishment_status")

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_young_carers_lead(self, school: Organisation) -> dict[str, Any] | None:
        lead = self._get(school, "young_carers_lead")
        return PersonSerializer(lead).data if lead is not None else None

    def get_award_level(self, school: Organisation) -> str | None:
        return self._get(school, "award_level")

    @extend_schema_field(serializers.DateField(allow_null=True))  # no award yet, or no profile
    def get_award_expires_on(self, school: Organisation) -> Any:
        return self._get(school, "award_expires_on")


class SchoolUpdateSerializer(serializers.Serializer[Any]):
    young_carers_lead = ScopedPrimaryKeyRelatedField(
        scope=school_staff_nameable_by,
        message="Choose a member of this school's staff.",
        required=False,
        allow_null=True,
    )
    award_level = serializers.ChoiceField(choices=AwardLevel.choices, required=False, allow_blank=True)
    award_expires_on = BoundedDateField(required=False, allow_null=True)


class SchoolProjectLinkSerializer(serializers.Serializer[Any]):
    # A plain id: the view resolves it among the projects the caller manages, so it reveals nothing else.
    project = StrictIntegerField(help_text="A project you manage.")


class SchoolProjectLinkStatusSerializer(serializers.ModelSerializer[SchoolProject]):
    """A project's link to a school, as its lead decides on it. Names only, no staff emails."""

    project = OrganisationRefSerializer(read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.display_name", default=None, read_only=True, allow_null=True
    )
    decided_by = serializers.CharField(source="decided_by.display_name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = SchoolProject
        fields = ["project", "status", "requested_by", "requested_at", "decided_by", "decided_at"]


# --- Referrals ------------------------------------------------------------------------------------

SCHOOL_MESSAGE = "Choose one of your schools."
SERVING_MESSAGE = "Choose a project that works with your school."


def _codes(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, max_length=20)


class ReferralWriteSerializer(serializers.ModelSerializer[Referral]):
    school = ScopedPrimaryKeyRelatedField(scope=schools_acted_for_by, message=SCHOOL_MESSAGE, required=False)
    project = ScopedPrimaryKeyRelatedField(
        scope=projects_nameable_by, message=SERVING_MESSAGE, required=False, allow_null=True
    )
    caring_tasks = _codes(CaringRole.Task.choices)
    impact_on_school = _codes(Referral.Impact.choices)
    self_identification = StrictIntegerField(
        required=False, allow_null=True, help_text="The pupil's self-identification this referral follows up, if any."
    )

    class Meta:
        model = Referral
        fields = ["school", *EDITABLE]  # the service decides what a draft may hold


class ReferralAttachmentSerializer(serializers.ModelSerializer[ReferralAttachment]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReferralAttachment
        fields = ["id", "kind", "original_name", "content_type", "size", "created_at", "download_url"]

    def get_download_url(self, attachment: ReferralAttachment) -> str:
        return f"/api/v1/referrals/{attachment.referral_id}/attachments/{attachment.pk}/download/"


class ReferralAttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=ReferralAttachment.Kind.choices, default=ReferralAttachment.Kind.CONSENT_FORM
    )


class ReferralSchoolSerializer(serializers.ModelSerializer[Referral]):
    """What the referring school sees: what it sent, the status and the project's message. Never case notes."""

    reference = serializers.CharField(read_only=True)
    school = OrganisationRefSerializer(read_only=True)
    project = OrganisationRefSerializer(read_only=True, allow_null=True)
    referred_by = PersonSerializer(read_only=True)
    census_code = serializers.CharField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "message_to_referrer",
            "signpost_to",
            "school",
            "project",
            "referred_by",
            *[f for f in ReferralWriteSerializer.Meta.fields if f not in ("school", "project")],
            "census_code",
            "submitted_at",
            "acknowledged_at",
            "decided_at",
            "created_at",
            "updated_at",
        ]


class ReferralProjectSerializer(ReferralSchoolSerializer):
    """What the project's workers see."""

    age = StrictIntegerField(read_only=True, allow_null=True)
    acknowledged_by = PersonSerializer(read_only=True, allow_null=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta(ReferralSchoolSerializer.Meta):
        fields = [
            *ReferralSchoolSerializer.Meta.fields,
            "age",
            "acknowledge_due_at",
            "overdue",
            "acknowledged_by",
            "decided_by",
            "signpost_reason",
            "decline_reason",
            "duplicate_of",
            "case",
        ]


class ReferralProjectDetailSerializer(ReferralProjectSerializer):
    """One referral as the project's workers read it: with its attachments."""

    attachments = ReferralAttachmentSerializer(many=True, read_only=True)

    class Meta(ReferralProjectSerializer.Meta):
        fields = [*ReferralProjectSerializer.Meta.fields, "attachments"]


class ReferralQueueItemSerializer(serializers.ModelSerializer[Referral]):
    reference = serializers.CharField(read_only=True)
    age = StrictIntegerField(read_only=True, allow_null=True)
    school = OrganisationRefSerializer(read_only=True)
    waiting_working_days = serializers.SerializerMethodField()
    waiting_hours = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "first_name",
            "last_name",
            "age",
            "year_group",
            "school",
            "safeguarding_concern",
            "submitted_at",
            "acknowledge_due_at",
            "waiting_working_days",
            "waiting_hours",
            "overdue",
        ]

    def get_waiting_working_days(self, referral: Referral) -> int:
        return working_days_between(referral.submitted_at, timezone.now()) if referral.submitted_at else 0

    def get_waiting_hours(self, referral: Referral) -> int:
        return int((timezone.now() - referral.submitted_at).total_seconds() // 3600) if referral.submitted_at else 0


class ReferralDuplicateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["referral", "case", "self_identification"])
    id = StrictIntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    status = serializers.CharField()
    score = serializers.FloatField()


class ReferralMessageSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReferralAcceptSerializer(ReferralMessageSerializer):
    key_worker = ScopedPrimaryKeyRelatedField(
        scope=project_workers_nameable_by, message=WORKER_MESSAGE, required=False, allow_null=True
    )
    case = StrictIntegerField(
        required=False,
        allow_null=True,
        help_text="Link to the pupil's existing record (in this project) instead of opening a new one.",
    )


class ReferralSignpostSerializer(ReferralMessageSerializer):
    to = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=2000)


class ReferralDeclineSerializer(ReferralMessageSerializer):
    reason = serializers.CharField(max_length=2000)


class ReferralMergeSerializer(ReferralMessageSerializer):
    into = StrictIntegerField(help_text="The referral that is kept.")


# --- Presentations and self-identification ----------------------------------------------------


class PresentationSerializer(serializers.ModelSerializer[Presentation]):
    school = OrganisationRefSerializer(read_only=True)
    project = OrganisationRefSerializer(read_only=True)
    presenter = PersonSerializer(read_only=True, allow_null=True)
    requested_by = PersonSerializer(read_only=True)
    self_identification_url = serializers.SerializerMethodField()

    class Meta:
        model = Presentation
        fields = [
            "id",
            "status",
            "school",
            "project",
            "requested_by",
            "audience",
            "year_groups",
            "expected_size",
            "preferred_dates",
            "request_notes",
            "scheduled_for",
            "presenter",
            "delivered_at",
            "attendance",
            "delivered_year_groups",
            "resources_used",
            "feedback",
            "self_identification_url",
            "created_at",
        ]

    def get_self_identification_url(self, presentation: Presentation) -> str:
        return self_identification_url(presentation)


def self_identification_url(presentation: Presentation) -> str:
    """The page a pupil reaches from the QR code (``schools.pages``); apps may post to /api/v1/self-identifications/."""
    return f"{settings.PUBLIC_BASE_URL}/self-identify/{presentation.token}"


class PresentationRequestSerializer(serializers.Serializer[Any]):
    school = ScopedPrimaryKeyRelatedField(scope=schools_nameable_by, message="Choose one of the schools you work with.")
    project = ScopedPrimaryKeyRelatedField(scope=projects_nameable_by, message=SERVING_MESSAGE)
    audience = serializers.ChoiceField(choices=Presentation.Audience.choices, default=Presentation.Audience.PUPILS)
    year_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=YearGroup.choices), max_length=14, default=list
    )
    expected_size = StrictIntegerField(min_value=1, max_value=2000, required=False, allow_null=True)
    preferred_dates = serializers.ListField(child=BoundedDateField(), max_length=10, default=list)
    request_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PresentationScheduleSerializer(serializers.Serializer[Any]):
    scheduled_for = AwareDateTimeField()
    presenter = ScopedPrimaryKeyRelatedField(
        scope=project_workers_nameable_by, message=WORKER_MESSAGE, required=False, allow_null=True
    )


class PresentationDeliverSerializer(serializers.Serializer[Any]):
    delivered_at = AwareDateTimeField()
    attendance = StrictIntegerField(min_value=0, max_value=5000)
    year_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=YearGroup.choices), max_length=14, default=list
    )
    resources_used = serializers.ListField(child=serializers.CharField(max_length=200), max_length=30, default=list)
    feedback = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PresentationCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class PresentationImpactWindowSerializer(serializers.Serializer[Any]):
    weeks = StrictIntegerField()
    complete = serializers.BooleanField(required=False)
    self_identifications_before = StrictIntegerField()
    self_identifications_after = StrictIntegerField()
    referrals_before = StrictIntegerField()
    referrals_after = StrictIntegerField()


class PresentationImpactSerializer(serializers.Serializer[Any]):
    presentation = StrictIntegerField()
    delivered_at = AwareDateTimeField()
    windows = PresentationImpactWindowSerializer(many=True)


class SelfIdentificationFormSerializer(serializers.Serializer[Any]):
    school_name = serializers.CharField()
    form_started = serializers.CharField(help_text="Send this back unchanged with the answers.")


class SelfIdentificationSubmitSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=64)
    form_started = serializers.CharField(max_length=300)
    website = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="Leave empty."
    )
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    year_group = serializers.ChoiceField(choices=YearGroup.choices, required=False, allow_null=True, default=None)
    form_group = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    who_they_care_for = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    ok_to_contact = serializers.BooleanField(default=True)


class SelfIdentificationReceiptSerializer(serializers.Serializer[Any]):
    received = serializers.BooleanField()
    message = serializers.CharField()


class SelfIdentificationSerializer(serializers.ModelSerializer[SelfIdentification]):
    school = OrganisationRefSerializer(read_only=True)
    followed_up_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SelfIdentification
        fields = [
            "id",
            "presentation",
            "school",
            "first_name",
            "last_name",
            "year_group",
            "form_group",
            "who_they_care_for",
            "message",
            "ok_to_contact",
            "status",
            "followed_up_by",
            "follow_up_note",
            "followed_up_at",
            "created_at",
        ]


class SelfIdentificationFollowUpSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=[c for c in SelfIdentification.Status.choices if c[0] != "new"])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- Toolkit ---------------------------------------------------------------------------------------


class ToolkitVersionSerializer(serializers.ModelSerializer[ToolkitVersion]):
    class Meta:
        model = ToolkitVersion
        fields = ["id", "number", "original_name", "content_type", "size", "notes", "created_at"]


class ToolkitResourceSerializer(serializers.ModelSerializer[ToolkitResource]):
    owner = OrganisationRefSerializer(read_only=True)
    latest_version = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ToolkitResource
        fields = [
            "id",
            "title",
            "description",
            "category",
            "audiences",
            "standards",
            "owner",
            "is_published",
            "latest_version",
            "downloads",
            "created_at",
        ]

    @extend_schema_field(ToolkitVersionSerializer(allow_null=True))
    def get_latest_version(self, resource: ToolkitResource) -> dict[str, Any] | None:
        versions = getattr(resource, "prefetched_versions", None)
        if versions is None:
            versions = list(resource.versions.order_by("-number")[:1])
        return ToolkitVersionSerializer(versions[0]).data if versions else None

    def get_downloads(self, resource: ToolkitResource) -> int:
        return int(self.context.get("download_counts", {}).get(resource.pk, 0))


class ToolkitResourceWriteSerializer(serializers.Serializer[Any]):
    owner = ScopedPrimaryKeyRelatedField(
        scope=managed_projects_of, message="Choose a project you manage.", required=False
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ToolkitResource.Category.choices)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=ToolkitResource.Audience.choices), max_length=4
    )
    standards = serializers.ListField(child=serializers.ChoiceField(choices=Standard.choices), max_length=5)
    is_published = serializers.BooleanField(default=True)


class ToolkitVersionUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ToolkitDownloadsBySchoolSerializer(serializers.Serializer[Any]):
    school_id = StrictIntegerField()
    school__name = serializers.CharField()
    downloads = StrictIntegerField()


class AwardEvidenceSerializer(serializers.ModelSerializer[EvidenceItem]):
    created_by = PersonSerializer(read_only=True)

    class Meta:
        model = EvidenceItem
        fields = ["id", "standard", "title", "text", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]


class AwardStandardSerializer(serializers.Serializer[Any]):
    standard = serializers.ChoiceField(choices=Standard.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    status = serializers.ChoiceField(choices=StandardProgress.Status.choices)
    notes = serializers.CharField()
    evidence = AwardEvidenceSerializer(many=True)


class AwardProgressSetSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=StandardProgress.Status.choices)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- Dashboard -------------------------------------------------------------------------------------


class SchoolDashboardSerializer(serializers.Serializer[Any]):
    school = StrictIntegerField()
    referrals_by_status = serializers.DictField(child=StrictIntegerField())
    young_carers_identified = serializers.DictField(child=StrictIntegerField())
    referred_pupils = serializers.ListField(child=serializers.DictField())
    presentations = serializers.DictField()
