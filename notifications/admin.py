"""Read-only views for support: what was sent to whom, and how each attempt went. Texts are not editable here."""

from __future__ import annotations

from django.contrib import admin

from notifications.models import Delivery, DeliveryAttempt, Device, Notification


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    list_display = ["id", "user", "platform", "app_version", "is_active", "deactivated_reason", "last_seen_at"]
    list_filter = ["platform", "is_active"]
    exclude = ["token"]  # a credential for pushing to someone's phone
    readonly_fields = ["user", "platform", "app_version", "locale", "is_active", "deactivated_reason", "last_seen_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline[DeliveryAttempt, Delivery]):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["attempted_at", "outcome", "status_code", "error_code", "message_id", "latency_ms"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["id", "notification", "device", "status", "attempts", "send_after", "sent_at", "last_error"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["id", "recipient", "kind", "urgent", "push", "created_at", "read_at"]
    list_filter = ["kind", "category", "urgent", "push"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
