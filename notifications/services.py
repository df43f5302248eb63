"""Everything that writes: ``notify()`` (the one way to tell someone something), devices, preferences, read marks.

``notify()`` writes, in the caller's transaction, an inbox item per recipient and a
delivery (the push outbox row) per active device, and enqueues the delivery tasks
in the same transaction; the live WebSocket event leaves after commit. Whether and
when a push goes is decided here from the recipient's preferences (or the defaults
for their age): see ``notifications.policy``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django_stubs_ext import StrOrPromise

from cases.models import age_on
from core.errors import NotFound, ServiceError
from core.events import send_events_on_commit
from notifications import policy
from notifications.kinds import Category, Kind, get_kind
from notifications.models import Delivery, Device, Notification, Platform, Preference

DEFAULT_TTL = timedelta(days=3)
MAX_TTL = timedelta(days=28)  # FCM keeps a message at most four weeks
BATCH_SIZE = 500  # deliveries per task: one FCM send_each call
DEVICE_RETENTION = timedelta(days=270)
MAX_TOKEN_LENGTH = 512
OPEN_STATUSES = (Delivery.Status.PENDING, Delivery.Status.SENDING)


def _render(template: StrOrPromise, context: dict[str, Any]) -> str:
    try:
        return str(template).format(**context)
    except (KeyError, IndexError) as exc:
        raise ValueError(f"notification text {template!r} needs {exc} in its context") from None


@dataclass(frozen=True)
class Texts:
    title: str
    body: str
    deep_link: str
    push_title: str
    push_body: str


def _texts(kind: Kind, context: dict[str, Any], locale: str, *, discreet: bool) -> Texts:
    with translation.override(locale or "en"):
        title, body = _render(kind.title, context), _render(kind.body, context)
        push_title = _render(kind.discreet_title, context) if discreet else title
        push_body = _render(kind.discreet_body, context) if discreet else body
        return Texts(title, body, _render(kind.deep_link, context), push_title, push_body)


@dataclass(frozen=True)
class Recipient:
    """What ``notify()`` needs to know about a person, from one query."""

    id: int
    locale: str
    is_young_carer: bool
    rules: policy.PushRules


RECIPIENT_FIELDS = (
    "pk",
    "locale",
    "young_carer__date_of_birth",
    "notification_preference__id",
    "notification_preference__disabled_categories",
    "notification_preference__quiet_hours",
    "notification_preference__daily_cap",
)


def _recipients(recipients: Iterable[Any] | QuerySet[Any]) -> list[Recipient]:
    users = get_user_model().objects.filter(is_active=True)
    if isinstance(recipients, QuerySet):
        users = users.filter(pk__in=recipients.values("pk"))
    else:
        ids = {r if isinstance(r, int) else r.pk for r in recipients if r is not None}
        users = users.filter(pk__in=ids)
    today = timezone.localdate()
    return [_recipient(row, today) for row in users.order_by("pk").values(*RECIPIENT_FIELDS)]


def _recipient(row: dict[str, Any], today: date) -> Recipient:
    born = row["young_carer__date_of_birth"]
    is_young_carer = born is not None
    rules = policy.default_rules(is_young_carer=is_young_carer, age=age_on(born, today) if born else None)
    if row["notification_preference__id"] is not None:
        rules = policy.PushRules(
            disabled_categories=frozenset(row["notification_preference__disabled_categories"] or []),
            quiet_hours=policy.parse_windows(row["notification_preference__quiet_hours"] or []),
            daily_cap=row["notification_preference__daily_cap"],
            is_default=False,
        )
    return Recipient(row["pk"], row["locale"], is_young_carer, rules)


def _pushed_today(user_ids: list[int], now: datetime) -> dict[int, int]:
    """Non-urgent notifications already pushed (or held to be pushed) to each person today."""
    if not user_ids:
        return {}
    rows = (
        Notification.objects.filter(
            recipient_id__in=user_ids,
            urgent=False,
            created_at__gte=policy.london_day_start(now),
            push__in=[Notification.Push.QUEUED, Notification.Push.HELD],
        )
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def _push_plan(
    kind: Kind, person: Recipient, has_device: bool, pushed_today: int, now: datetime
) -> tuple[str, datetime]:
    """Whether the push goes now, is held until a time, or is not sent (the inbox item is kept either way)."""
    if not has_device:
        return Notification.Push.NO_DEVICE, now
    if not person.rules.allows(kind.category):
        return Notification.Push.CATEGORY_OFF, now
    if kind.urgent:
        return Notification.Push.QUEUED, now
    if person.rules.daily_cap is not None and pushed_today >= person.rules.daily_cap:
        return Notification.Push.CAPPED, now
    until = policy.quiet_until(person.rules.quiet_hours, now)
    if until is not None:
        return Notification.Push.HELD, until
    return Notification.Push.QUEUED, now


def _expiry(kind: Kind, expires_at: datetime | None, now: datetime) -> datetime:
    if expires_at is not None:
        return min(expires_at, now + MAX_TTL)
    return now + min(kind.ttl or DEFAULT_TTL, MAX_TTL)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    context: dict[str, Any] | None = None,
    dedupe_key: str = "",
    expires_at: datetime | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (users, user ids, or a user queryset for fan-out) about ``kind``.

    Returns the inbox items written. ``dedupe_key`` makes the call idempotent per
    recipient: a retry with the same key writes nothing new. ``context`` must be
    JSON-able and fill the kind's texts. ``expires_at`` is when a push stops being
    worth sending (a reminder for a session that has started); the inbox item stays.
    Young carers' pushes carry the kind's discreet text; the full text is in the inbox.
    """
    declared = get_kind(kind)
    context = dict(context or {})
    people = _recipients(recipients)
    if dedupe_key and people:
        seen = set(
            Notification.objects.filter(recipient_id__in=[p.id for p in people], dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        people = [p for p in people if p.id not in seen]
    if not people:
        return []
    now = timezone.now()
    expiry = _expiry(declared, expires_at, now)
    devices = _active_devices([p.id for p in people])
    capped_ids = [p.id for p in people if p.rules.daily_cap is not None and not declared.urgent]
    counts = _pushed_today(capped_ids, now)
    texts: dict[tuple[str, bool], Texts] = {}
    items, plans = [], []
    for person in people:
        key = (person.locale, person.is_young_carer)
        if key not in texts:
            texts[key] = _texts(declared, context, person.locale, discreet=person.is_young_carer)
        text = texts[key]
        push, send_after = _push_plan(declared, person, bool(devices.get(person.id)), counts.get(person.id, 0), now)
        plans.append(send_after)
        items.append(
            Notification(
                recipient_id=person.id,
                kind=kind,
                category=declared.category,
                urgent=declared.urgent,
                title=text.title,
                body=text.body,
                push_title=text.push_title,
                push_body=text.push_body,
                deep_link=text.deep_link,
                context=context,
                dedupe_key=dedupe_key,
                expires_at=expires_at,
                push=push,
            )
        )
    created = Notification.objects.bulk_create(items, batch_size=1000)
    _queue_deliveries(created, plans, devices, expiry, now)
    send_events_on_commit((item.recipient_id, "notification.created", _event_payload(item)) for item in created)
    return created


def _event_payload(item: Notification) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "category": item.category,
        "urgent": item.urgent,
        "title": item.title,
        "body": item.body,
        "deep_link": item.deep_link,
        "created_at": item.created_at.isoformat() if item.created_at else None,
    }


def _active_devices(user_ids: list[int]) -> dict[int, list[int]]:
    devices: dict[int, list[int]] = defaultdict(list)
    for device_id, user_id in Device.objects.filter(user_id__in=user_ids, is_active=True).values_list("id", "user_id"):
        devices[user_id].append(device_id)
    return devices


def _queue_deliveries(
    items: list[Notification], plans: list[datetime], devices: dict[int, list[int]], expiry: datetime, now: datetime
) -> None:
    """One delivery per device, in bulk; delivery tasks enqueued per batch with the same transaction."""
    from notifications.tasks import deliver_pushes

    rows = []
    for item, send_after in zip(items, plans, strict=True):
        if item.push not in (Notification.Push.QUEUED, Notification.Push.HELD):
            continue
        status = Delivery.Status.EXPIRED if send_after >= expiry else Delivery.Status.PENDING
        for device_id in devices[item.recipient_id]:
            rows.append(
                Delivery(
                    notification=item, device_id=device_id, status=status, send_after=send_after, expires_at=expiry
                )
            )
    created = Delivery.objects.bulk_create(rows, batch_size=1000)
    by_time: dict[datetime, list[int]] = defaultdict(list)
    for delivery in created:
        if delivery.status == Delivery.Status.PENDING:
            by_time[delivery.send_after].append(delivery.pk)
    for send_after, ids in by_time.items():
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            configured = deliver_pushes.using(run_after=send_after) if send_after > now else deliver_pushes
            configured.enqueue(batch)


# --- Inbox -----------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any, up_to_id: int | None = None) -> int:
    """Mark everything unread as read (up to ``up_to_id`` if given, so items that arrived since stay unread)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    return unread.update(read_at=timezone.now())


# --- Devices ---------------------------------------------------------------------------------


def _clean_token(token: Any) -> str:
    if not isinstance(token, str) or not token.strip():
        raise ServiceError("The device token is empty.", code="invalid", field="token")
    token = token.strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise ServiceError(
            f"The device token is longer than {MAX_TOKEN_LENGTH} characters.", code="invalid", field="token"
        )
    if any(ch.isspace() for ch in token):
        raise ServiceError("The device token contains spaces.", code="invalid", field="token")
    return token


def _cancel_open_deliveries(devices: QuerySet[Device] | list[int], *, not_for_user: int | None = None) -> int:
    open_rows = Delivery.objects.filter(device__in=devices, status__in=OPEN_STATUSES)
    if not_for_user is not None:
        open_rows = open_rows.exclude(notification__recipient_id=not_for_user)
    return open_rows.update(status=Delivery.Status.CANCELLED, last_error="device signed out or moved")


@transaction.atomic
def device_register(
    *, actor: Any, token: str, platform: str, app_version: str = "", locale: str = "", session_key: str = ""
) -> tuple[Device, bool]:
    """Register (or refresh) this phone for ``actor``. Returns the device and whether it is new.

    A token already held by someone else moves to ``actor``: whatever was still
    waiting to go to the previous person on it is cancelled, never delivered.
    """
    token = _clean_token(token)
    if platform not in Platform.values:
        raise ServiceError(
            f"Unknown platform {platform!r}: use one of {', '.join(Platform.values)}.", code="invalid", field="platform"
        )
    now = timezone.now()
    device = Device.objects.select_for_update().filter(token=token).first()
    if device is None:
        device = Device.objects.create(
            user=actor,
            token=token,
            platform=platform,
            app_version=app_version,
            locale=locale,
            session_key=session_key,
            last_seen_at=now,
        )
        return device, True
    if device.user_id != actor.pk:
        _cancel_open_deliveries([device.pk], not_for_user=actor.pk)
        device.user = actor
    device.platform, device.app_version, device.locale = platform, app_version, locale
    device.session_key = session_key or device.session_key
    device.is_active, device.deactivated_reason, device.last_seen_at = True, "", now
    device.save()
    return device, False


@transaction.atomic
def device_sign_out(*, actor: Any, device: Device) -> None:
    """Signing out removes the device: nothing more is pushed to it."""
    if device.user_id != actor.pk:
        raise NotFound()
    _cancel_open_deliveries([device.pk])
    device.delete()


@transaction.atomic
def devices_sign_out_session(*, user_id: int, session_key: str) -> int:
    """The person signed out: the devices registered in that session stop receiving anything."""
    if not session_key:
        return 0
    device_ids = list(Device.objects.filter(user_id=user_id, session_key=session_key).values_list("pk", flat=True))
    if device_ids:
        _cancel_open_deliveries(device_ids)
        Device.objects.filter(pk__in=device_ids).delete()
    return len(device_ids)


@transaction.atomic
def devices_deactivate(*, reasons: dict[int, str]) -> None:
    """FCM said these tokens are dead (UNREGISTERED, invalid): stop sending to them until the app registers again.

    ``reasons``: device id -> why. One UPDATE per distinct reason, one for the deliveries still open.
    """
    by_reason: dict[str, list[int]] = defaultdict(list)
    for device_id, reason in reasons.items():
        by_reason[reason[:64]].append(device_id)
    for reason, ids in by_reason.items():
        Device.objects.filter(pk__in=ids, is_active=True).update(is_active=False, deactivated_reason=reason)
    if reasons:
        _cancel_open_deliveries(list(reasons))


@transaction.atomic
def devices_prune(*, now: datetime | None = None) -> int:
    """Delete devices not seen for 270 days (the app refreshes its registration when it opens)."""
    cutoff = (now or timezone.now()) - DEVICE_RETENTION
    stale = Device.objects.filter(last_seen_at__lt=cutoff)
    _cancel_open_deliveries(stale)
    deleted, _ = stale.delete()
    return deleted


# --- Preferences ---------------------------------------------------------------------------

_UNSET: Any = object()


@transaction.atomic
def preferences_update(
    *,
    actor: Any,
    disabled_categories: list[str] = _UNSET,
    quiet_hours: list[dict[str, Any]] = _UNSET,
    daily_cap: int | None = _UNSET,
) -> Preference:
    """Change a person's own push settings. What is not given keeps its current (or default) value."""
    from notifications.selectors import push_rules_for

    current = push_rules_for(actor)
    preference = Preference.objects.select_for_update().filter(user=actor).first() or Preference(user=actor)
    if preference.pk is None:
        preference.disabled_categories = sorted(current.disabled_categories)
        preference.quiet_hours = [w.as_json() for w in current.quiet_hours]
        preference.daily_cap = current.daily_cap
    if disabled_categories is not _UNSET:
        preference.disabled_categories = _clean_categories(disabled_categories)
    if quiet_hours is not _UNSET:
        try:
            preference.quiet_hours = [w.as_json() for w in policy.parse_windows(quiet_hours)]
        except policy.InvalidQuietHours as exc:
            raise ServiceError(str(exc), code="invalid", field="quiet_hours") from None
    if daily_cap is not _UNSET:
        if daily_cap is not None and not 1 <= daily_cap <= 100:
            raise ServiceError(
                "The daily cap is between 1 and 100, or empty for no cap.", code="invalid", field="daily_cap"
            )
        preference.daily_cap = daily_cap
    preference.save()
    return preference


def _clean_categories(categories: list[str]) -> list[str]:
    unknown = sorted(set(categories) - set(Category.values))
    if unknown:
        raise ServiceError(f"Unknown categories: {', '.join(unknown)}.", code="invalid", field="disabled_categories")
    locked = sorted(set(categories) & policy.ALWAYS_ON)
    if locked:
        raise ServiceError(
            f"These cannot be switched off: {', '.join(locked)}.", code="invalid", field="disabled_categories"
        )
    return sorted(set(categories))


@transaction.atomic
def preferences_reset(*, actor: Any) -> None:
    """Back to the defaults for the person's age."""
    Preference.objects.filter(user=actor).delete()
