from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    """An entry of the trail. Where the reader may not open the record (``values_hidden``), the changed fields are
    listed without their values, the record is named by model and id only, and the address and browser the change
    came from are left out."""

    action = serializers.CharField(source="get_action_display")
    model = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    values_hidden = serializers.SerializerMethodField()

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
            "values_hidden",
            "client",
            "remote_addr",
            "user_agent",
        ]

    def to_representation(self, entry: AuditEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        if data["values_hidden"]:
            data["object_repr"] = f"{data['model']} #{entry.object_pk}"
            changed = entry.changes if isinstance(entry.changes, dict) else {}
            data["changes"] = dict.fromkeys(changed)
            # Whose address and browser: often another organisation's staff (a school's draft), never the reader's
            # to see when the record itself is not.
            data["remote_addr"], data["user_agent"] = None, ""
        return data

    def get_model(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    def get_values_hidden(self, entry: AuditEntry) -> bool:
        # Entries reach this serializer only through audit_entries_visible_to, which annotates the rule.
        return not getattr(entry, "values_visible", False)

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"id": {"type": "integer"}, "email": {"type": "string"}}}
    )
    def get_actor(self, entry: AuditEntry) -> dict[str, object] | None:
        if entry.actor_id is None:
            return None
        return {"id": entry.actor_id, "email": entry.actor_email}
