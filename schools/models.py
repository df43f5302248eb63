"""Schools, the referrals their staff make, self-identifications after presentations, and the toolkit."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import CaringRole, age_on


def _token() -> str:
    return secrets.token_urlsafe(16)


def private_upload_path(instance: Any, filename: str) -> str:
    """A name nobody can guess; the original name is kept in a field, never in the path."""
    return f"schools/{type(instance).__name__.lower()}/{uuid.uuid4().hex}"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AwardLevel(models.TextChoices):
    NONE = "", "None"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class Standard(models.TextChoices):
    """The five Young Carers in Schools standards."""

    UNDERSTAND = "understand", "Understand"
    INFORM = "inform", "Inform"
    IDENTIFY = "identify", "Identify"
    LISTEN = "listen", "Listen"
    SUPPORT = "support", "Support"


class YearGroup(models.IntegerChoices):
    RECEPTION = 0, "Reception"
    Y1 = 1, "Year 1"
    Y2 = 2, "Year 2"
    Y3 = 3, "Year 3"
    Y4 = 4, "Year 4"
    Y5 = 5, "Year 5"
    Y6 = 6, "Year 6"
    Y7 = 7, "Year 7"
    Y8 = 8, "Year 8"
    Y9 = 9, "Year 9"
    Y10 = 10, "Year 10"
    Y11 = 11, "Year 11"
    Y12 = 12, "Year 12"
    Y13 = 13, "Year 13"


class SchoolProfile(models.Model):
    """What the schools register (GIAS) and the school itself say about a school organisation."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="school_profile", primary_key=True
    )
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    local_authority = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    establishment_type = models.CharField(max_length=100, blank=True)
    establishment_status = models.CharField(max_length=60, blank=True)
    young_carers_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    award_level = models.CharField(max_length=8, choices=AwardLevel.choices, blank=True, default=AwardLevel.NONE)
    award_expires_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True, help_text="Last update from the schools register.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["local_authority"])]

    def __str__(self) -> str:
        return f"Profile of {self.organisation_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class SchoolProjectQuerySet(models.QuerySet["SchoolProject"]):
    def accepted(self) -> SchoolProjectQuerySet:
        """The links a school has agreed to: the only ones anything may trust."""
        return self.filter(status=SchoolProject.Status.ACCEPTED)


class SchoolProject(models.Model):
    """A young carers project that serves a school: the projects a referrer can send a referral to.

    A project manager asks; the link counts (referrals, dashboard, toolkit progress, inviting the school's
    staff) only once the school's lead or admin has accepted it.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested by the project"
        ACCEPTED = "accepted", "Accepted by the school"
        DECLINED = "declined", "Declined by the school"
        ENDED = "ended", "Ended"

    school = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="served_by_links")
    project = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="serves_links")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolProjectQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "project"], name="school_project_once")]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return f"{self.project_id} serves {self.school_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.project_id}


class Referral(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ACCEPTED = "accepted", "Accepted"
        SIGNPOSTED = "signposted", "Signposted"
        DECLINED = "declined", "Declined"
        MERGED = "merged", "Merged into another referral"

    class Impact(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance"
        PUNCTUALITY = "punctuality", "Punctuality"
        HOMEWORK = "homework", "Homework"
        BEHAVIOUR = "behaviour", "Behaviour"
        TIREDNESS = "tiredness", "Tiredness"
        CONCENTRATION = "concentration", "Concentration"
        FRIENDSHIPS = "friendships", "Friendships"

    class ParentBasis(models.TextChoices):
        """Why a parent was not asked, when they were not."""

        RISK_TO_PUPIL = "risk_to_pupil", "Asking would put the pupil at risk"
        PARENT_LACKS_CAPACITY = "parent_lacks_capacity", "The parent lacks capacity to decide"
        NOT_CONTACTABLE = "not_contactable", "The parent cannot be contacted"
        PUPIL_GILLICK_COMPETENT = "pupil_gillick_competent", "The pupil is competent to decide and asked us not to"
        PUPIL_16_PLUS = "pupil_16_plus", "The pupil is 16 or over and consents for themselves"

    OPEN = (Status.SUBMITTED, Status.ACKNOWLEDGED)
    CLOSED = (Status.ACCEPTED, Status.SIGNPOSTED, Status.DECLINED, Status.MERGED)

    school = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_made")
    project = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals_received"
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The pupil
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    year_group = models.PositiveSmallIntegerField(choices=YearGroup.choices, null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ethnicity = models.CharField(max_length=60, blank=True, help_text="Optional, for equality monitoring.")
    # Who they care for
    cared_for = models.CharField(max_length=100, blank=True, help_text='How the pupil names them, e.g. "Mum".')
    relationship = models.CharField(max_length=20, choices=CaringRole.Relationship.choices, blank=True)
    condition_category = models.CharField(max_length=24, choices=CaringRole.Condition.choices, blank=True)
    caring_tasks = models.JSONField(default=list, blank=True)
    impact_on_school = models.JSONField(default=list, blank=True)
    impact_notes = models.TextField(blank=True)
    pupil_views = models.TextField(blank=True)
    # Consent
    pupil_knows_and_agrees = models.BooleanField(null=True, blank=True)
    parent_knows_and_agrees = models.BooleanField(null=True, blank=True)
    parent_name = models.CharField(max_length=200, blank=True)
    parent_relationship = models.CharField(max_length=60, blank=True)
    parent_not_asked_basis = models.CharField(max_length=32, choices=ParentBasis.choices, blank=True)
    parent_not_asked_note = models.TextField(blank=True)
    # Safeguarding
    safeguarding_concern = models.BooleanField(null=True, blank=True)
    dsl_informed = models.BooleanField(default=False)
    # Triage
    submitted_at = models.DateTimeField(null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_to_referrer = models.TextField(blank=True, help_text="What the referrer is told; never case notes.")
    signpost_to = models.CharField(max_length=200, blank=True)
    signpost_reason = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    case = models.ForeignKey(
        "cases.YoungCarer", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    self_identification = models.ForeignKey(
        "SelfIdentification", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "status", "submitted_at"]),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["school", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"

    @property
    def census_code(self) -> str:
        """CS118: a pupil a school identified as a young carer is 'S'."""
        return "S"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def reference(self) -> str:
        """What staff quote: R-000042."""
        return f"R-{self.pk:06d}"

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth, timezone.localdate()) if self.date_of_birth else None

    @property
    def is_overdue(self) -> bool:
        """Submitted and not acknowledged by the time it was due."""
        due = self.acknowledge_due_at
        return bool(due and self.status == Referral.Status.SUBMITTED and timezone.now() > due)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.project_id or self.school_id, "case_id": self.case_id}


class ReferralAttachment(models.Model):
    class Kind(models.TextChoices):
        CONSENT_FORM = "consent_form", "Signed consent form"
        OTHER = "other", "Other"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONSENT_FORM)
    file = models.FileField(upload_to=private_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Attachment #{self.pk} on referral {self.referral_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return self.referral.get_additional_data()


class Presentation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SCHEDULED = "scheduled", "Scheduled"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    class Audience(models.TextChoices):
        PUPILS = "pupils", "Pupils (assembly or lesson)"
        STAFF = "staff", "Staff training"
        PARENTS = "parents", "Parents and carers"

    school = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="presentations")
    project = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="presentations_given")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUPILS)
    year_groups = models.JSONField(default=list, blank=True)
    expected_size = models.PositiveIntegerField(null=True, blank=True)
    preferred_dates = models.JSONField(default=list, blank=True)
    request_notes = models.TextField(blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    attendance = models.PositiveIntegerField(null=True, blank=True)
    delivered_year_groups = models.JSONField(default=list, blank=True)
    resources_used = models.JSONField(default=list, blank=True)
    feedback = models.TextField(blank=True)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"Presentation #{self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.project_id}


class SelfIdentification(models.Model):
    """A pupil saying "I think I'm a young carer" through a presentation's link, with no account."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        FOLLOWED_UP = "followed_up", "Followed up"
        REFERRED = "referred", "Referred"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    presentation = models.ForeignKey(Presentation, on_delete=models.PROTECT, related_name="self_identifications")
    school = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="self_identifications")
    project = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    year_group = models.PositiveSmallIntegerField(choices=YearGroup.choices, null=True, blank=True)
    form_group = models.CharField(max_length=20, blank=True)
    who_they_care_for = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    ok_to_contact = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_note = models.TextField(blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "created_at"])]

    def __str__(self) -> str:
        return f"Self-identification #{self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.project_id}


class ToolkitResource(models.Model):
    class Category(models.TextChoices):
        CHECKLIST = "checklist", "Identification checklist"
        GUIDANCE = "guidance", "Referral guidance"
        LESSON_PLAN = "lesson_plan", "Lesson plan"
        POSTER = "poster", "Poster"
        POLICY_TEMPLATE = "policy_template", "Policy template"
        OTHER = "other", "Other"

    class Audience(models.TextChoices):
        STAFF = "staff", "Staff"
        PUPILS = "pupils", "Pupils"
        PARENTS = "parents", "Parents and carers"
        GOVERNORS = "governors", "Governors"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    audiences = models.JSONField(default=list)
    standards = models.JSONField(default=list)
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="toolkit_resources")
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.owner_id}


class ToolkitVersion(models.Model):
    resource = models.ForeignKey(ToolkitResource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=private_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="toolkit_version_number_once")]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.resource.owner_id}


class ToolkitDownload(models.Model):
    version = models.ForeignKey(ToolkitVersion, on_delete=models.CASCADE, related_name="downloads")
    resource = models.ForeignKey(ToolkitResource, on_delete=models.CASCADE, related_name="downloads")
    school = models.ForeignKey("accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["resource", "school"])]

    def __str__(self) -> str:
        return f"Download of {self.version_id}"


class StandardProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"

    school = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="standard_progress")
    standard = models.CharField(max_length=12, choices=Standard.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "standard"], name="one_progress_per_standard")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.standard}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.school_id}


class EvidenceItem(models.Model):
    """Anonymised evidence towards a standard: never a pupil's name."""

    school = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="award_evidence")
    standard = models.CharField(max_length=12, choices=Standard.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["standard", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.school_id}
