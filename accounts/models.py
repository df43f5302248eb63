"""People, organisations and who belongs where, with which role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a young carer (linked to their case) or a member of staff."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    locale = models.CharField(max_length=8, default="en", choices=[("en", "English"), ("cy", "Cymraeg")])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the Django admin (with MFA).")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", "Young carers project"
        SCHOOL = "school", "School"
        ADULT_SERVICES = "adult_services", "Adult services"
        COMMISSIONER = "commissioner", "Commissioner"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    urn = models.CharField(
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{6,7}$", "A URN is 6 or 7 digits.")],
        help_text="Unique Reference Number from Get Information about Schools (schools only).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="school") | models.Q(urn__isnull=True), name="urn_only_for_schools"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.pk}


class Role(models.TextChoices):
    PROJECT_WORKER = "project_worker", "Project worker"
    PROJECT_MANAGER = "project_manager", "Project manager"
    SCHOOL_STAFF = "school_staff", "School staff"
    SCHOOL_LEAD = "school_lead", "School young carers lead"
    ADULT_WORKER = "adult_worker", "Adult services worker"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMIN = "admin", "Organisation admin"


# Which roles each kind of organisation can hold.
ROLES_BY_KIND: dict[str, set[str]] = {
    Organisation.Kind.PROJECT: {Role.PROJECT_WORKER, Role.PROJECT_MANAGER, Role.ADMIN},
    Organisation.Kind.SCHOOL: {Role.SCHOOL_STAFF, Role.SCHOOL_LEAD, Role.ADMIN},
    Organisation.Kind.ADULT_SERVICES: {Role.ADULT_WORKER, Role.PROJECT_MANAGER, Role.ADMIN},
    Organisation.Kind.COMMISSIONER: {Role.COMMISSIONER, Role.ADMIN},
}
# Roles that may invite staff into their own organisation.
MANAGING_ROLES = {Role.PROJECT_MANAGER, Role.ADMIN, Role.SCHOOL_LEAD}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.choices)
    is_on_duty = models.BooleanField(default=False, help_text="Receives safeguarding alerts for the organisation.")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.organisation}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class Invitation(models.Model):
    """A single-use, expiring invitation to sign up: a young carer to their case, or staff to an organisation."""

    class Kind(models.TextChoices):
        YOUNG_CARER = "young_carer", "Young carer"
        STAFF = "staff", "Staff"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    case = models.ForeignKey(
        "cases.YoungCarer", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=24, choices=Role.choices, blank=True)
    email = models.EmailField(blank=True, help_text="If set, sign-up must use this address.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="young_carer", case__isnull=False, role="")
                    | models.Q(kind="staff", case__isnull=True) & ~models.Q(role="")
                ),
                name="invitation_kind_shape",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation #{self.pk} ({self.kind})"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id, "case_id": self.case_id}
