"""Inbox items, the devices that receive pushes, per-person preferences, and the push outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An inbox item: what a person was told. Always kept, whatever happens to the push."""

    class Push(models.TextChoices):
        QUEUED = "queued", "Queued for push"
        HELD = "held", "Held by quiet hours"
        NO_DEVICE = "no_device", "No device registered"
        CATEGORY_OFF = "category_off", "Category switched off"
        CAPPED = "capped", "Daily cap reached"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    category = models.CharField(max_length=24)
    urgent = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    body = models.TextField()
    # What the lock screen showed: the discreet text for young carers, the full text for everyone else.
    push_title = models.CharField(max_length=200, blank=True)
    push_body = models.TextField(blank=True)
    deep_link = models.CharField(max_length=300, blank=True)
    context = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    push = models.CharField(max_length=16, choices=Push.choices, default=Push.NO_DEVICE)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-id"]), models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_dedupe"
            )
        ]

    def __str__(self) -> str:
        return f"Notification #{self.pk} ({self.kind}) to user {self.recipient_id}"


class Platform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", "iOS"
    WEB = "web", "Web"


class Device(models.Model):
    """A phone (or browser) that receives pushes: one row per FCM registration token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    token = models.CharField(max_length=512, unique=True)
    platform = models.CharField(max_length=8, choices=Platform.choices)
    app_version = models.CharField(max_length=32, blank=True)
    locale = models.CharField(max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    deactivated_reason = models.CharField(max_length=64, blank=True)
    session_key = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="The sign-in session that registered it: signing out removes it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"Device #{self.pk} ({self.platform}) of user {self.user_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"user_id": self.user_id}


class Preference(models.Model):
    """A person's own push settings. Without a row, the defaults for their age apply (see ``preferences``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    disabled_categories = models.JSONField(default=list, blank=True)
    quiet_hours = models.JSONField(
        default=list, blank=True, help_text='[{"start": "21:00", "end": "07:00", "days": [0..6]}]'
    )
    daily_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Non-urgent pushes a day; empty: no cap."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"user_id": self.user_id}


class Delivery(models.Model):
    """One push of one inbox item to one device: the outbox row. ``(notification, device)`` is the delivery key."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        EXPIRED = "expired", "Expired before it could go"
        CANCELLED = "cancelled", "Cancelled (device signed out or moved)"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    device = models.ForeignKey(Device, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "device"], name="delivery_key")]
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} of notification {self.notification_id} to device {self.device_id}"


class DeliveryAttempt(models.Model):
    """What one try at a delivery got back: kept for support and for the figures."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        RETRY = "retry", "Transient error, retried"
        UNREGISTERED = "unregistered", "Token no longer valid"
        PERMANENT = "permanent", "Permanent error"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    message_id = models.CharField(max_length=200, blank=True, help_text="FCM's name for the message, when sent.")
    latency_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"Attempt {self.outcome} for delivery {self.delivery_id}"
