from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver

from audit.context import current
from audit.models import AuditEntry


@receiver(pre_save, sender=AuditEntry)
def fill_from_context(sender: type[AuditEntry], instance: AuditEntry, **kwargs: Any) -> None:
    """Stamp each entry with the acting user, client and scope of the current request or task."""
    context = current()
    actor = context.get("actor")
    if instance.actor_id is None and actor is not None and getattr(actor, "pk", None):
        instance.actor = actor
        instance.actor_email = actor.email
    instance.remote_addr = instance.remote_addr or context.get("remote_addr")
    instance.client = instance.client or context.get("client", "")
    instance.user_agent = instance.user_agent or context.get("user_agent", "")
    instance.event = instance.event or context.get("event", "")
    scope = instance.additional_data or {}
    if instance.organisation_id is None and scope.get("organisation_id"):
        instance.organisation_id = scope["organisation_id"]
    if instance.case_id is None and scope.get("case_id"):
        instance.case_id = scope["case_id"]
