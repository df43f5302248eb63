"""Background work for notifications: push delivery, pruning old devices, recovering lost deliveries."""

from __future__ import annotations

from datetime import timedelta

from core.tasks import periodic, retrying_task
from notifications import delivery, services


@retrying_task(
    max_attempts=delivery.MAX_ATTEMPTS,
    base_delay=delivery.RETRY_BASE_SECONDS,
    max_delay=delivery.RETRY_CAP_SECONDS,
    lease_setting="PUSH_LEASE_SECONDS",
)
def deliver_pushes(delivery_ids: list[int]) -> int:
    """Send a batch of up to 500 pushes; the ones that met a transient error get a task of their own for later."""
    return delivery.deliveries_send(delivery_ids)


@periodic(every=timedelta(days=1))
@retrying_task(max_attempts=3)
def prune_devices() -> int:
    return services.devices_prune()


@periodic(every=timedelta(minutes=15))
@retrying_task(max_attempts=3)
def recover_deliveries() -> int:
    return delivery.deliveries_recover()
