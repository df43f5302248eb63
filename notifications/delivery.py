"""Sending the push outbox: claim, send through the transport, record each attempt, retry what is transient.

Deliveries are claimed, sent and recorded one transport call (``PER_CALL``) at a
time, with a conditional update (pending -> sending), so a re-run (a retry, or the
same task recovered after its worker died) never sends a delivery whose result was
recorded. A crash can double at most the one call in flight: a claim older than
``PUSH_LEASE_SECONDS`` is presumed orphaned by a dead worker and is sent again, and
the push carries a collapse id per notification, so a phone that did get the first
one shows it once.

Transient failures are retried per delivery: urgent pushes (alerts, short-notice
cancellations) on their own short schedule, capped at ``PUSH_URGENT_RETRY_CAP_SECONDS``,
the rest with a backoff of up to ten minutes. A Retry-After from FCM is honoured for both.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.tasks import backoff_delay
from notifications.models import Delivery, DeliveryAttempt
from notifications.services import devices_deactivate
from notifications.transports import Outcome, PushMessage, PushResult, Transport, get_transport

logger = logging.getLogger(__name__)

CHUNK = 500  # deliveries per task
# Deliveries claimed, sent and recorded together: one transport call, so the most a crash can send twice.
# The FCM transport sends this many at once (one request per connection of its pool).
PER_CALL = 100
MAX_ATTEMPTS = 25
RETRY_BASE_SECONDS = 2.0
RETRY_CAP_SECONDS = 600.0
URGENT_MAX_ATTEMPTS = 250  # at most 30 s apart: two hours of tries, bounded sooner by the push's expiry
URGENT_RETRY_BASE_SECONDS = 1.0

# Lets a test stop a batch half-way, as a killed worker would. Called before each call's deliveries are claimed.
chunk_hook: Callable[[int], None] | None = None


def _claimable(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.PUSH_LEASE_SECONDS)
    pending = Q(status=Delivery.Status.PENDING, send_after__lte=now)
    orphaned = Q(status=Delivery.Status.SENDING, claimed_at__lt=stale)
    return pending | orphaned


def deliveries_send(delivery_ids: list[int], *, transport: Transport | None = None) -> int:
    """Send what is due among ``delivery_ids``, recording each call's results as it returns. Returns how many went.

    What met a transient error is pending again and a task is enqueued for when it is due.
    """
    transport = transport or get_transport()
    now = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]).filter(
        expires_at__lte=now
    ).update(status=Delivery.Status.EXPIRED)
    sent, retries = 0, Retries()
    for index, start in enumerate(range(0, len(delivery_ids), PER_CALL)):
        if chunk_hook is not None:
            chunk_hook(index)
        claimed = _claim(delivery_ids[start : start + PER_CALL])
        if not claimed:
            continue
        messages = _messages(claimed)
        results = transport.send(messages) if messages else []
        sent += _record(claimed, results, retries)
    _follow_up_claims_held_elsewhere(delivery_ids, retries)
    retries.enqueue()
    return sent


def _follow_up_claims_held_elsewhere(delivery_ids: list[int], retries: Retries) -> None:
    """Deliveries still claimed by another worker (perhaps one that died mid-call, perhaps this task's
    earlier run) get a task for when that claim's lease ends; a no-op if the other worker recorded them."""
    now = timezone.now()
    lease = timedelta(seconds=settings.PUSH_LEASE_SECONDS)
    held = Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.SENDING, expires_at__gt=now)
    for pk, claimed_at, urgent in held.values_list("pk", "claimed_at", "notification__urgent"):
        ends = (claimed_at or now) + lease
        retries.add(pk, urgent=urgent, delay=max(1.0, (ends - now).total_seconds() + 1))


class Retries:
    """Deliveries to try again, by urgency, and the longest wait each group needs."""

    def __init__(self) -> None:
        self.ids: dict[bool, list[int]] = defaultdict(list)
        self.delay: dict[bool, float] = defaultdict(float)

    def add(self, delivery_id: int, *, urgent: bool, delay: float) -> None:
        self.ids[urgent].append(delivery_id)
        self.delay[urgent] = max(self.delay[urgent], delay)

    def enqueue(self) -> None:
        """One task per group: urgent pushes never wait for the others' longer backoff."""
        from notifications.tasks import deliver_pushes

        for urgent, ids in self.ids.items():
            run_after = timezone.now() + timedelta(seconds=self.delay[urgent])
            logger.warning("%d push(es) to try again in %.1fs", len(ids), self.delay[urgent])
            deliver_pushes.using(run_after=run_after).enqueue(ids)


def _claim(ids: list[int]) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids)
            .filter(_claimable(now))
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=rows).update(status=Delivery.Status.SENDING, claimed_at=now)
    return list(Delivery.objects.filter(pk__in=rows).select_related("notification", "device").order_by("pk"))


def _messages(claimed: list[Delivery]) -> list[PushMessage]:
    """Messages for deliveries whose device still belongs to the recipient; the rest are cancelled."""
    messages, orphans = [], []
    now = timezone.now()
    for delivery in claimed:
        device, item = delivery.device, delivery.notification
        if device is None or not device.is_active or device.user_id != item.recipient_id:
            orphans.append(delivery.pk)
            continue
        messages.append(
            PushMessage(
                key=delivery.pk,
                token=device.token,
                platform=device.platform,
                title=item.push_title,
                body=item.push_body,
                deep_link=item.deep_link,
                collapse_id=f"n{item.pk}",
                ttl_seconds=max(1, int((delivery.expires_at - now).total_seconds())),
                urgent=item.urgent,
                data={"notification_id": str(item.pk), "kind": item.kind},
            )
        )
    if orphans:
        Delivery.objects.filter(pk__in=orphans).update(status=Delivery.Status.CANCELLED, last_error="device moved")
    return messages


def _retry_delay(delivery: Delivery, result: PushResult) -> float | None:
    """Seconds until ``delivery`` is tried again after a transient failure, or None if it has had its tries."""
    urgent = delivery.notification.urgent
    attempt = delivery.attempts + 1
    if attempt >= (URGENT_MAX_ATTEMPTS if urgent else MAX_ATTEMPTS):
        return None
    if result.retry_after:
        return result.retry_after
    if urgent:
        return backoff_delay(attempt, base=URGENT_RETRY_BASE_SECONDS, cap=settings.PUSH_URGENT_RETRY_CAP_SECONDS)
    return backoff_delay(attempt, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)


def _record(claimed: list[Delivery], results: list[PushResult], retries: Retries) -> int:
    """Write each attempt and the deliveries' new states; add what must be tried again to ``retries``.

    Returns how many were sent. Deliveries are updated in a few grouped UPDATEs (by new status,
    error and urgency), not row by row.
    """
    now = timezone.now()
    by_key = {d.pk: d for d in claimed}
    attempts: list[DeliveryAttempt] = []
    dead_devices: dict[int, str] = {}
    groups: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    wait: dict[bool, float] = defaultdict(float)  # per urgency, the longest delay met in this call
    sent = 0
    for result in results:
        delivery = by_key[result.key]
        attempts.append(
            DeliveryAttempt(
                delivery=delivery,
                attempted_at=now,
                outcome=result.outcome.value,
                status_code=result.status_code,
                error_code=result.error_code[:64],
                message_id=result.message_id[:200],
                latency_ms=max(0, result.latency_ms),
            )
        )
        status: str
        urgent = delivery.notification.urgent
        delay = _retry_delay(delivery, result) if result.outcome == Outcome.RETRY else None
        if result.outcome == Outcome.SENT:
            status = Delivery.Status.SENT
            sent += 1
        elif delay is not None:
            status = Delivery.Status.PENDING
            wait[urgent] = max(wait[urgent], delay)
            retries.add(delivery.pk, urgent=urgent, delay=delay)
        else:
            status = Delivery.Status.FAILED
            if result.outcome == Outcome.UNREGISTERED and delivery.device_id is not None:
                dead_devices[delivery.device_id] = result.error_code or "unregistered"
        groups[(status, result.error_code[:200], urgent)].append(delivery.pk)
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(attempts, batch_size=1000)
        for (new_status, error, urgent), ids in groups.items():
            changes: dict[str, Any] = {"status": new_status, "last_error": error, "attempts": F("attempts") + 1}
            if new_status == Delivery.Status.SENT:
                changes["sent_at"] = now
            elif new_status == Delivery.Status.PENDING:
                changes["send_after"] = now + timedelta(seconds=wait[urgent])
            Delivery.objects.filter(pk__in=ids).update(**changes)
        if dead_devices:
            devices_deactivate(reasons=dead_devices)
    if dead_devices:
        logger.info("deactivated %d device(s) FCM reported as no longer registered", len(dead_devices))
    return sent


def deliveries_recover(*, now: datetime | None = None) -> int:
    """Re-enqueue deliveries whose task was lost (due long ago, still open). Claims make a duplicate harmless."""
    from notifications.tasks import deliver_pushes

    now = now or timezone.now()
    lost = Q(status=Delivery.Status.PENDING, send_after__lt=now - timedelta(minutes=30)) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - timedelta(seconds=settings.PUSH_LEASE_SECONDS)
    )
    ids = list(Delivery.objects.filter(lost, expires_at__gt=now).order_by("pk").values_list("pk", flat=True)[:10_000])
    for start in range(0, len(ids), CHUNK):
        deliver_pushes.enqueue(ids[start : start + CHUNK])
    return len(ids)
