from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import StrictIntegerField
from notifications import policy
from notifications.kinds import Category
from notifications.models import Device, Notification, Platform
from notifications.services import MAX_TOKEN_LENGTH


class NotificationSerializer(serializers.ModelSerializer[Notification]):
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


class UnreadCountSerializer(serializers.Serializer[Any]):
    unread = StrictIntegerField()


class MarkAllReadInputSerializer(serializers.Serializer[Any]):
    up_to_id = StrictIntegerField(required=False, min_value=1, help_text="Leave newer items unread.")


class MarkAllReadOutputSerializer(serializers.Serializer[Any]):
    marked = StrictIntegerField()
    unread = StrictIntegerField()


class DeviceSerializer(serializers.ModelSerializer[Device]):
    class Meta:
        model = Device
        fields = ["id", "platform", "app_version", "locale", "is_active", "created_at", "last_seen_at"]
        read_only_fields = fields


class DeviceRegisterSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        max_length=MAX_TOKEN_LENGTH, trim_whitespace=True, help_text="The FCM registration id."
    )
    platform = serializers.ChoiceField(choices=Platform.choices)
    app_version = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    locale = serializers.ChoiceField(choices=[("en", "English"), ("cy", "Cymraeg")], required=False, default="")


class QuietWindowSerializer(serializers.Serializer[Any]):
    start = serializers.CharField(help_text="HH:MM, Europe/London")
    end = serializers.CharField(help_text="HH:MM, Europe/London; earlier than start means overnight")
    days = serializers.ListField(
        child=StrictIntegerField(min_value=0, max_value=6), help_text="Weekdays the window starts on, Monday 0"
    )


@extend_schema_field(QuietWindowSerializer(many=True))
class QuietHoursField(serializers.JSONField):
    """Quiet windows as sent: the service validates them and names the window and the part that does not parse."""


class CategorySettingSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=Category.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    enabled = serializers.BooleanField()
    can_switch_off = serializers.BooleanField()


class PreferencesSerializer(serializers.Serializer[Any]):
    categories = CategorySettingSerializer(many=True)
    disabled_categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    quiet_hours = QuietWindowSerializer(many=True)
    daily_cap = StrictIntegerField(allow_null=True)
    is_default = serializers.BooleanField(help_text="True while the defaults for the person's age apply.")
    timezone = serializers.CharField()

    @staticmethod
    def from_rules(rules: policy.PushRules) -> dict[str, Any]:
        return {
            "categories": [
                {
                    "category": value,
                    "label": str(label),
                    "enabled": rules.allows(value),
                    "can_switch_off": value not in policy.ALWAYS_ON,
                }
                for value, label in Category.choices
            ],
            "disabled_categories": sorted(rules.disabled_categories),
            "quiet_hours": [window.as_json() for window in rules.quiet_hours],
            "daily_cap": rules.daily_cap,
            "is_default": rules.is_default,
            "timezone": "Europe/London",
        }


class PreferencesInputSerializer(serializers.Serializer[Any]):
    disabled_categories = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=20
    )
    quiet_hours = QuietHoursField(
        required=False, help_text='[{"start": "21:00", "end": "07:00", "days": [0,1,2,3,4,5,6]}]'
    )
    daily_cap = StrictIntegerField(required=False, allow_null=True)
