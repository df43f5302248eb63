from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An inbox item: what a person was told. Always kept, whatever happens to the push."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    category = models.CharField(max_length=24)
    urgent = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    body = models.TextField()
    deep_link = models.CharField(max_length=300, blank=True)
    context = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

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
