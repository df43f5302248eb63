"""The audit trail: append-only entries for every write to registered models and every sensitive read.

Field-level change tracking comes from django-auditlog (its ``AbstractLogEntry``);
this model adds the organisation and case the entry belongs to, so managers can
list their organisation's trail, and the client the actor used.
"""

from __future__ import annotations

from typing import Any, NoReturn

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):  # type: ignore[misc]
    pass


class AuditEntry(AbstractLogEntry):
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    client = models.CharField(max_length=16, blank=True, default="")
    user_agent = models.CharField(max_length=255, blank=True, default="")
    event = models.CharField(max_length=64, blank=True, default="", help_text="Named action, e.g. referral.accept")

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["organisation", "-timestamp"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    def __str__(self) -> str:
        # How a read of this entry names it in the trail: never the record's own name, which may be a child's.
        return f"Audit entry #{self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        """A read of an entry belongs to the same organisation and case as the entry."""
        return {"organisation_id": self.organisation_id, "case_id": self.case_id}
