"""Check-ins, the questionnaires engine's data, and safeguarding alerts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MOOD_MIN = 1
MOOD_MAX = 5
WORDS_MAX_LENGTH = 1000


class MoodTag(models.Model):
    """A tag a young person may add to a check-in ("school", "tired"), managed by their project."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="mood_tags")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="mood_tag_code_per_org")]

    def __str__(self) -> str:
        return self.label

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class CheckIn(models.Model):
    """A quick check-in. The id comes from the phone, so an offline retry lands on the same row."""

    id = models.UUIDField(primary_key=True)
    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="checkins")
    mood = models.PositiveSmallIntegerField(validators=[MinValueValidator(MOOD_MIN), MaxValueValidator(MOOD_MAX)])
    tags = models.JSONField(default=list, blank=True)
    words = models.TextField(blank=True, max_length=WORDS_MAX_LENGTH)
    recorded_at = models.DateTimeField(help_text="When the young person checked in, from the device.")
    received_at = models.DateTimeField(help_text="When the server received it.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-received_at"]
        indexes = [
            models.Index(fields=["case", "-recorded_at"], name="checkin_case_recorded"),
            models.Index(fields=["case", "received_at"], name="checkin_case_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mood__gte=MOOD_MIN, mood__lte=MOOD_MAX), name="checkin_mood_range"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class CaseloadMarker(models.Model):
    """When a worker last looked at their caseload, and the status each young person had then."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload_marker")
    last_viewed_at = models.DateTimeField()
    statuses = models.JSONField(default=dict, help_text="case id -> red/amber/green when last viewed.")

    def __str__(self) -> str:
        return f"Caseload marker for user {self.worker_id}"


class RiskPhrase(models.Model):
    """A phrase that, in a young person's own words, raises an alert. Each project keeps its own list."""

    class Category(models.TextChoices):
        SELF_HARM = "self_harm", "Self-harm or suicide"
        UNSAFE_AT_HOME = "unsafe_at_home", "Not safe at home"
        NOT_EATING = "not_eating", "Not eating"
        OTHER = "other", "Other risk"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="risk_phrases")
    phrase = models.CharField(max_length=100)
    category = models.CharField(max_length=20, choices=Category.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "phrase", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "phrase"], name="risk_phrase_per_org")]

    def __str__(self) -> str:
        return self.phrase

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


# --- Questionnaires -----------------------------------------------------------------------


class Instrument(models.Model):
    """A questionnaire. ``organisation`` empty: shipped with the product (our own wording only)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="instruments"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    licence_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="instrument_code_per_org"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(organisation__isnull=True), name="instrument_code_shipped"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class InstrumentVersion(models.Model):
    """One frozen version of an instrument's items and scoring rules. Responses point at the version they answered."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["instrument_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_number")]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.instrument.organisation_id}


class Assignment(models.Model):
    """A questionnaire due for a young person: at assessment, then every few months."""

    class Reason(models.TextChoices):
        ASSESSMENT = "assessment", "At assessment"
        REVIEW = "review", "Scheduled review"
        MANUAL = "manual", "Asked by a worker"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="questionnaire_assignments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assignments")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    due_on = models.DateField()
    repeat_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="When set, the next review is created this many months after this one is due."
    )
    next_created = models.BooleanField(default=False, help_text="The following review has been scheduled.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["repeat_every_months", "next_created", "due_on"], name="assignment_schedule")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "instrument"], condition=models.Q(status="pending"), name="one_pending_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"Assignment #{self.pk} ({self.instrument_id}) for case {self.case_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class QuestionnaireResponse(models.Model):
    """Answers to one instrument version, with the scores computed when it was submitted."""

    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="questionnaire_responses")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    answers = models.JSONField(help_text="item id -> option value")
    complete = models.BooleanField()
    raw_total = models.IntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=60, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["case", "submitted_at"], name="response_case_submitted")]

    def __str__(self) -> str:
        return f"Questionnaire response #{self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


# --- Safeguarding -----------------------------------------------------------------------------


class Alert(models.Model):
    class Severity(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"

    class Reason(models.TextChoices):
        HELP_REQUESTED = "help_requested", "Asked for help now"
        LOW_MOOD = "low_mood", "Very low mood, repeated"
        SCORE_FALL = "score_fall", "Questionnaire score changed for the worse"
        RISK_WORDS = "risk_words", "Own words matched a risk phrase"

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ACTIONED = "actioned", "Actioned"
        CLOSED = "closed", "Closed"

    class Action(models.TextChoices):
        CONTACTED = "contacted", "Contacted the young person"
        REFERRED_DSL = "referred_dsl", "Referred to the school's Designated Safeguarding Lead"
        REFERRED_SOCIAL_CARE = "referred_social_care", "Referred to children's social care"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="alerts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="alerts")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    trigger = models.JSONField(
        default=dict, help_text="What triggered it (rule, counts, categories); never their words."
    )
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    response = models.ForeignKey(
        QuestionnaireResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    help_request_id = models.UUIDField(null=True, blank=True, unique=True, help_text="Client id of a help request.")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RAISED)
    worker_told = models.BooleanField(
        default=False, help_text="The key worker or whoever was on duty was told when it was raised."
    )
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices, blank=True)
    action_note = models.TextField(blank=True)
    actioned_at = models.DateTimeField(null=True, blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "-raised_at"], name="alert_org_status"),
            models.Index(fields=["case", "status"], name="alert_case_status"),
            models.Index(fields=["status", "next_escalation_at"], name="alert_escalation_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "reason"],
                condition=models.Q(checkin__isnull=False),
                name="one_alert_per_checkin_reason",
            ),
            models.UniqueConstraint(
                fields=["response", "reason"],
                condition=models.Q(response__isnull=False),
                name="one_alert_per_response_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert #{self.pk} ({self.reason})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id, "case_id": self.case_id}
