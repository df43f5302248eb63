"""The one way to tell someone something: ``notify()``.

Writes an inbox item per recipient in the caller's transaction, and after commit
sends each a live event over the WebSocket. Push delivery (FCM) is added by the
notifications module's delivery pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from core.events import send_event_on_commit
from notifications.kinds import get_kind
from notifications.models import Notification


def _render(template: str, context: dict[str, Any]) -> str:
    try:
        return str(template).format(**context)
    except (KeyError, IndexError) as exc:
        raise ValueError(f"notification text {template!r} needs {exc} in its context") from None


def _recipient_ids(recipients: Iterable[Any]) -> list[int]:
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    return sorted(ids)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    context: dict[str, Any] | None = None,
    dedupe_key: str = "",
    expires_at: datetime | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (users or user ids) about ``kind``. Returns the inbox items written.

    ``dedupe_key`` makes the call idempotent per recipient: a retry with the same key writes nothing new.
    ``context`` must be JSON-able and fill the kind's texts.
    """
    declared = get_kind(kind)
    context = dict(context or {})
    ids = _recipient_ids(recipients)
    if not ids:
        return []
    locales = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "locale"))
    items = []
    for user_id in ids:
        with translation.override(locales.get(user_id, "en")):
            items.append(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    category=declared.category,
                    urgent=declared.urgent,
                    title=_render(declared.title, context),
                    body=_render(declared.body, context),
                    deep_link=_render(declared.deep_link, context),
                    context=context,
                    dedupe_key=dedupe_key,
                    expires_at=expires_at,
                )
            )
    if dedupe_key:
        existing = set(
            Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).values_list("recipient_id", flat=True)
        )
        items = [item for item in items if item.recipient_id not in existing]
    created = Notification.objects.bulk_create(items)
    for item in created:
        send_event_on_commit(
            [item.recipient_id],
            "notification.created",
            {"id": item.pk, "kind": item.kind, "title": item.title, "deep_link": item.deep_link},
        )
    return created
