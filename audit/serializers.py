from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    action = serializers.CharField(source="get_action_display")
    model = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "event",
            "model",
            "object_pk",
            "object_repr",
            "case_id",
            "changes",
            "client",
            "remote_addr",
            "user_agent",
        ]

    def get_model(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"id": {"type": "integer"}, "email": {"type": "string"}}}
    )
    def get_actor(self, entry: AuditEntry) -> dict[str, object] | None:
        if entry.actor_id is None:
            return None
        return {"id": entry.actor_id, "email": entry.actor_email}
