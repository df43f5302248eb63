from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.access import access_for
from accounts.models import Role
from audit.models import AuditEntry

AUDIT_READER_ROLES = (Role.PROJECT_MANAGER, Role.ADMIN)


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """Managers and admins see their organisations' trail; nobody else sees any."""
    organisation_ids = access_for(user).org_ids(*AUDIT_READER_ROLES)
    return (
        AuditEntry.objects.filter(organisation_id__in=organisation_ids)
        .select_related("content_type")
        .order_by("-timestamp", "-id")
    )
