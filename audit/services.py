"""Writing to the audit trail by hand: reads of sensitive records, and named workflow steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.context import audit_context
from audit.models import AuditEntry
from audit.receivers import fill_from_context


def _scope(instance: models.Model) -> dict[str, Any]:
    get_data = getattr(instance, "get_additional_data", None)
    return get_data() if callable(get_data) else {}


def record_access(*, actor: Any, instances: Iterable[models.Model], event: str = "read") -> None:
    """One ACCESS entry per record read, in one INSERT."""
    items = list(instances)
    if not items:
        return
    content_types = ContentType.objects.get_for_models(*{type(item) for item in items})
    with audit_context(actor=actor, event=event):
        entries = [
            AuditEntry(
                content_type=content_types[type(item)],
                object_pk=str(item.pk),
                object_id=item.pk if isinstance(item.pk, int) else None,
                object_repr=str(item),
                action=AuditEntry.Action.ACCESS,
                additional_data=_scope(item),
            )
            for item in items
        ]
        # bulk_create skips pre_save; stamp the context explicitly.
        for entry in entries:
            fill_from_context(AuditEntry, entry)
        AuditEntry.objects.bulk_create(entries)


def record_event(*, actor: Any, instance: models.Model, event: str, details: dict[str, Any] | None = None) -> None:
    """A named step (``alert.acknowledge``) with its details, beside the field changes auditlog records."""
    manager: LogEntryManager = AuditEntry.objects
    with audit_context(actor=actor, event=event):
        manager.log_create(
            instance,
            force_log=True,
            action=AuditEntry.Action.UPDATE,
            changes={"event": event, **(details or {})},
            additional_data=_scope(instance),
        )
