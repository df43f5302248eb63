"""Everything that reads, always the actor's own: inbox, devices, push rules.

Inbox items carry case data (a child's name in a title or body), so reading them needs case data access
(staff: TOTP). Devices and push rules do not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import require_case_data_access
from cases.models import YoungCarer, age_on
from core.errors import NotFound
from notifications import policy
from notifications.models import Device, Notification, Preference


def inbox_for(actor: Any, *, after_id: int | None = None, unread: bool | None = None) -> QuerySet[Notification]:
    """The actor's inbox, newest first. ``after_id``: what arrived after the last item a client saw."""
    require_case_data_access(actor)
    items = Notification.objects.filter(recipient=actor)
    if after_id is not None:
        items = items.filter(pk__gt=after_id)
    if unread is not None:
        items = items.filter(read_at__isnull=unread)
    return items.order_by("-created_at", "-id")


def notification_for(actor: Any, notification_id: int) -> Notification:
    require_case_data_access(actor)
    item = Notification.objects.filter(recipient=actor, pk=notification_id).first()
    if item is None:
        raise NotFound()
    return item


def unread_count(actor: Any) -> int:
    require_case_data_access(actor)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def devices_of(actor: Any) -> QuerySet[Device]:
    return Device.objects.filter(user=actor).order_by("-last_seen_at", "-id")


def device_for(actor: Any, device_id: int) -> Device:
    device = Device.objects.filter(user=actor, pk=device_id).first()
    if device is None:
        raise NotFound()
    return device


def push_rules_for(actor: Any) -> policy.PushRules:
    """The actor's saved settings, or the defaults for their age."""
    saved = Preference.objects.filter(user=actor).first()
    if saved is not None:
        return policy.PushRules(
            disabled_categories=frozenset(saved.disabled_categories),
            quiet_hours=policy.parse_windows(saved.quiet_hours),
            daily_cap=saved.daily_cap,
            is_default=False,
        )
    born = YoungCarer.objects.filter(account=actor).values_list("date_of_birth", flat=True).first()
    age = age_on(born, timezone.localdate()) if born else None
    return policy.default_rules(is_young_carer=born is not None, age=age)
