"""What a young person sees of their inbox and their phones: their own output serializers.

Declared in ``core.audiences``. The inbox text is the full text they read after unlocking; a field added to the
staff inbox (a case link, a sender's address) does not reach them unless it is added here.
"""

from __future__ import annotations

from rest_framework import serializers

from notifications.models import Device, Notification


class YoungPersonNotificationSerializer(serializers.ModelSerializer[Notification]):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "category",
            "urgent",
            "title",
            "body",
            "deep_link",
            "created_at",
            "expires_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class YoungPersonDeviceSerializer(serializers.ModelSerializer[Device]):
    class Meta:
        model = Device
        fields = ["id", "platform", "app_version", "locale", "is_active", "created_at", "last_seen_at"]
        read_only_fields = fields
