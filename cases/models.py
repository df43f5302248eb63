"""The young carer record (the case), who they care for, and the consents recorded on it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years on ``day``. Someone born on 29 February turns a year older on 1 March in common years."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


class YoungCarer(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class ClosedReason(models.TextChoices):
        NO_LONGER_CARING = "no_longer_caring", "No longer caring"
        MOVED_AWAY = "moved_away", "Moved away"
        DECLINED = "declined", "Declined support"
        TRANSFERRED_TO_ADULT_SERVICES = "transferred_adult", "Transferred to adult services"
        AGED_OUT = "aged_out", "Reached the upper age with no further need"
        NO_CONTACT = "no_contact", "Could not be contacted"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="young_carers", help_text="The project."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    school = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils_with_records"
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="caseload"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REFERRED)
    closed_reason = models.CharField(max_length=24, choices=ClosedReason.choices, blank=True)
    closed_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    communication_needs = models.TextField(blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 language tag, e.g. en, cy, pl.")
    interpreter_needed = models.BooleanField(default=False)
    contingency_plan = models.TextField(blank=True, help_text="What happens if the person cared for is taken ill.")
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="young_carer"
    )
    # Equality monitoring: optional, never needed to get support.
    gender = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=60, blank=True)
    disability = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["key_worker", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False) & ~models.Q(closed_reason="")
                | ~models.Q(status="closed") & models.Q(closed_reason=""),
                name="closed_case_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"YC-{self.pk:06d}" if self.pk else "YC-new"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id, "case_id": self.pk}


class CaringRole(models.Model):
    """One person the young carer looks after, and what they do for them."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Brother or sister"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER = "other", "Other"

    class Condition(models.TextChoices):
        PHYSICAL_ILLNESS = "physical_illness", "Physical illness or long-term condition"
        PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
        MENTAL_HEALTH = "mental_health", "Mental health"
        LEARNING_DISABILITY = "learning_disability", "Learning disability"
        AUTISM = "autism", "Autism"
        SUBSTANCE_MISUSE = "substance_misuse", "Alcohol or substance misuse"
        DEMENTIA = "dementia", "Dementia"
        SENSORY = "sensory", "Sensory impairment"
        TERMINAL_ILLNESS = "terminal_illness", "Terminal illness"
        OTHER = "other", "Other"

    class Task(models.TextChoices):
        DOMESTIC = "domestic", "Cooking, cleaning, shopping"
        HOUSEHOLD_MANAGEMENT = "household_management", "Bills, paperwork, appointments"
        FINANCIAL = "financial", "Money and practical help"
        PERSONAL_CARE = "personal_care", "Washing, dressing, toileting"
        EMOTIONAL = "emotional", "Emotional support, supervision"
        SIBLING_CARE = "sibling_care", "Looking after brothers or sisters"
        MEDICATION = "medication", "Giving medication"
        INTERPRETING = "interpreting", "Interpreting or translating"
        MOBILITY = "mobility", "Helping them move about"

    case = models.ForeignKey(YoungCarer, on_delete=models.CASCADE, related_name="caring_roles")
    cared_for = models.CharField(max_length=100, help_text='How the young person names them, e.g. "Mum".')
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    condition_category = models.CharField(max_length=24, choices=Condition.choices)
    caring_tasks = models.JSONField(default=list, help_text="Codes from CaringRole.Task.")
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Caring role #{self.pk} on {self.case}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class Consent(models.Model):
    """Who agreed (or refused) to what, on which basis, when, and until when."""

    class Subject(models.TextChoices):
        SUPPORT = "support", "Receiving support from the project"
        DATA_SHARING = "data_sharing", "Sharing information with partners"
        SHARE_WITH_SCHOOL = "share_with_school", "Sharing information with school"
        SHARE_WITH_ADULT_SERVICES = "share_with_adult_services", "Sharing information with adult services"
        PHOTOS = "photos", "Photos and video"
        TRIPS = "trips", "Trips and activities"
        APP_USE = "app_use", "Using the app"

    class Basis(models.TextChoices):
        OWN = "own", "The young person's own consent"
        GILLICK = "gillick", "Gillick competent"
        PARENT = "parent", "A parent or guardian"
        BEST_INTERESTS = "best_interests", "Best interests decision"

    case = models.ForeignKey(YoungCarer, on_delete=models.CASCADE, related_name="consents")
    subject = models.CharField(max_length=32, choices=Subject.choices)
    given = models.BooleanField(help_text="True when consent was given, False when refused.")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    given_by_name = models.CharField(max_length=200)
    given_by_relationship = models.CharField(max_length=60, help_text='"self", "mother", "social worker"...')
    given_at = models.DateTimeField()
    valid_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["case", "subject"])]

    def __str__(self) -> str:
        return f"Consent #{self.pk} ({self.subject}) on {self.case}"

    def is_in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.given and self.withdrawn_at is None and (self.valid_until is None or self.valid_until >= day)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}
