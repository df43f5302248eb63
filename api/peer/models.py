"""Peer groups and their sessions, attendance, events with bookings, and calendar feeds."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class PeerGroup(models.Model):
    """A group that meets on a schedule: an RFC 5545 rule expanded into sessions a bounded time ahead."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="peer_groups")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    min_age = models.PositiveSmallIntegerField()
    max_age = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Most members; empty for no limit.")
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_groups")
    venue = models.CharField(max_length=200, blank=True)
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loop, quiet room...")
    transport_offered = models.BooleanField(default=False)
    transport_notes = models.CharField(max_length=300, blank=True)
    # Schedule, in Europe/London wall-clock time.
    recurrence = models.CharField(max_length=300, blank=True, help_text="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU")
    exception_dates = models.JSONField(default=list, blank=True, help_text="Local dates with no session (EXDATE).")
    starts_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    expanded_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "is_active"])]
        constraints = [
            models.CheckConstraint(condition=Q(min_age__lte=models.F("max_age")), name="peer_group_age_band"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class GroupMembership(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked to join"
        ACTIVE = "active", "Member"
        DECLINED = "declined", "Request declined"
        LEFT = "left", "Left"

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="group_memberships")
    status = models.CharField(max_length=12, choices=Status.choices)
    requested_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["group", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "case"], condition=Q(status__in=["requested", "active"]), name="one_open_membership"
            )
        ]

    def __str__(self) -> str:
        return f"Membership #{self.pk} of {self.case_id} in {self.group_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.group.organisation_id, "case_id": self.case_id}


class Session(models.Model):
    """One meeting of a group. ``occurrence`` is the rule's instant, so a moved session is not made again."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="sessions")
    occurrence = models.DateTimeField(help_text="The start the schedule gave it (UTC); the key for expansion.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    venue = models.CharField(max_length=200, blank=True, help_text="Only when different from the group's.")
    note = models.CharField(max_length=300, blank=True, help_text="Why it moved or was cancelled.")
    check_in_code = models.CharField(max_length=8, blank=True)
    check_in_code_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["group", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "occurrence"], name="one_session_per_occurrence"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Session #{self.pk} of {self.group_id} at {self.starts_at:%Y-%m-%d %H:%M}Z"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.group.organisation_id}


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    class Source(models.TextChoices):
        REGISTER = "register", "Register"
        CHECK_IN = "check_in", "Checked in with a code"

    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REGISTER)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session_id", "id"]
        indexes = [models.Index(fields=["case", "session"])]
        constraints = [models.UniqueConstraint(fields=["session", "case"], name="one_mark_per_session")]

    def __str__(self) -> str:
        return f"Attendance #{self.pk}: {self.case_id} {self.status} at session {self.session_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.session.group.organisation_id, "case_id": self.case_id}


class Event(models.Model):
    """A one-off: a trip, a carers day, a residential break. Bookable with capacity and a waiting list."""

    class Kind(models.TextChoices):
        TRIP = "trip", "Trip"
        CARERS_DAY = "carers_day", "Carers day"
        RESIDENTIAL = "residential", "Residential break"
        BREAK = "break", "Short break"
        ACTIVITY = "activity", "Activity"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    BREAK_KINDS = (Kind.TRIP, Kind.CARERS_DAY, Kind.RESIDENTIAL, Kind.BREAK)

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="peer_events")
    open_to = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", help_text="Other projects whose young carers may book."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    what_to_bring = models.TextField(blank=True)
    cost_pence = models.PositiveIntegerField(default=0)
    capacity = models.PositiveSmallIntegerField()
    min_age = models.PositiveSmallIntegerField(default=5)
    max_age = models.PositiveSmallIntegerField(default=25)
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(default=48, help_text="Hours a promoted person has to confirm.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["organisation", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(min_age__lte=models.F("max_age")), name="event_age_band"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        AWAITING_CONSENT = "awaiting_consent", "Waiting for a parent's consent"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Offered a place: confirm in time"
        CANCELLED = "cancelled", "Cancelled"
        CONSENT_REFUSED = "consent_refused", "Parent said no"
        LAPSED = "lapsed", "Offer or consent not answered in time"

    HOLDS_PLACE = (Status.CONFIRMED, Status.AWAITING_CONSENT, Status.OFFERED)
    OPEN = (*HOLDS_PLACE, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    case = models.ForeignKey("cases.YoungCarer", on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    waitlisted_at = models.DateTimeField(
        null=True, blank=True, help_text="Place in the queue: first come, first served."
    )
    respond_by = models.DateTimeField(null=True, blank=True, help_text="Deadline of an offer or a consent request.")
    parent_name = models.CharField(max_length=200, blank=True)
    parent_email = models.EmailField(blank=True)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey("cases.Consent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["case", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "case"],
                condition=Q(status__in=["confirmed", "awaiting_consent", "waitlisted", "offered"]),
                name="one_open_booking_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"Booking #{self.pk} ({self.status})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.case.organisation_id, "case_id": self.case_id}


class CalendarFeed(models.Model):
    """A secret subscribe URL for one person's calendar. Only a hash of the token is kept."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
