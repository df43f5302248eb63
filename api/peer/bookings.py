"""Writes for events and bookings: capacity, the waiting list, offers, and parents' consent for under-16s.

Every change to who holds a place locks the event row first (``select_for_update``), so two people booking the
last place at the same moment queue on the lock: one gets it, the other joins the waiting list. Places are held
by confirmed bookings, offers not yet answered, and bookings waiting for a parent's answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Organisation, User
from api.peer.access import require_booking_writer, require_own_case, staff_project_ids
from api.peer.models import Booking, Event
from api.peer.services import local_text
from api.peer.tasks import booking_deadline, schedule_event_reminders, send_consent_request
from audit.services import record_event
from cases.models import Consent, YoungCarer, age_on
from cases.services import consent_record
from core.errors import Conflict, NotFound, ServiceError
from notifications.services import notify

CONSENT_AGE = 16  # under this, a parent says yes before a place is confirmed
CONSENT_WINDOW = timedelta(days=7)
CONSENT_SALT = "peer.booking-consent"

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "what_to_bring",
    "cost_pence",
    "capacity",
    "min_age",
    "max_age",
    "booking_opens_at",
    "booking_closes_at",
    "offer_hours",
)


def _check_event(event: Event, *, creating: bool) -> None:
    now = timezone.now()
    if event.ends_at <= event.starts_at:
        raise ServiceError("The end is not after the start.", field="ends_at")
    if creating and event.starts_at <= now:
        raise ServiceError("The event starts in the past.", field="starts_at")
    if event.ends_at - event.starts_at > timedelta(days=14):
        raise ServiceError("An event lasts at most 14 days.", field="ends_at")
    if not 5 <= event.min_age <= event.max_age <= 25:
        raise ServiceError("The age band must be within 5 to 25, lowest first.", field="min_age")
    if event.capacity < 1:
        raise ServiceError("An event needs at least one place.", field="capacity")
    if event.booking_closes_at and event.booking_closes_at > event.starts_at:
        raise ServiceError("Booking must close by the start of the event.", field="booking_closes_at")
    if event.booking_opens_at and event.booking_closes_at and event.booking_opens_at >= event.booking_closes_at:
        raise ServiceError("Booking closes before it opens.", field="booking_closes_at")
    if not 1 <= event.offer_hours <= 24 * 14:
        raise ServiceError("Give between 1 hour and 14 days to confirm an offered place.", field="offer_hours")


def _check_open_to(organisations: Iterable[Organisation]) -> list[Organisation]:
    chosen = list(organisations)
    if any(org.kind != Organisation.Kind.PROJECT for org in chosen):
        raise ServiceError("Events can only be opened to other young carers projects.", field="open_to")
    return chosen


@transaction.atomic
def event_create(
    *, actor: User, organisation: Organisation, open_to: Iterable[Organisation] = (), **data: Any
) -> Event:
    if organisation.pk not in staff_project_ids(actor):
        raise NotFound()
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    event = Event(organisation=organisation, created_by=actor, **data)
    _check_event(event, creating=True)
    event.save()
    event.open_to.set(_check_open_to(open_to))
    schedule_event_reminders(event)
    return event


def _open_bookings(event: Event) -> list[Booking]:
    return list(event.bookings.filter(status__in=Booking.OPEN).select_related("case"))


def _accounts(bookings: Iterable[Booking], *statuses: str) -> list[int]:
    return [b.case.account_id for b in bookings if b.case.account_id and (not statuses or b.status in statuses)]


def _event_context(event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event.title,
        "event_id": event.pk,
        "when": local_text(event.starts_at),
        "note": event.note,
        **extra,
    }


def _require_organiser(actor: User, event: Event) -> None:
    """Only the organising project's staff change or cancel an event (projects it is open to only book)."""
    if event.organisation_id not in staff_project_ids(actor):
        raise NotFound()


@transaction.atomic
def event_update(*, actor: User, event: Event, open_to: Iterable[Organisation] | None = None, **data: Any) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_organiser(actor, event)
    if event.status == Event.Status.CANCELLED:
        raise Conflict("The event is cancelled.", code="event_cancelled")
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    was = event.starts_at
    for name, value in data.items():
        setattr(event, name, value)
    _check_event(event, creating=False)
    moved = event.starts_at != was
    if moved and event.starts_at <= timezone.now():
        raise ServiceError("An event can only be moved to a time in the future.", field="starts_at")
    held = event.bookings.filter(status__in=Booking.HOLDS_PLACE).count()
    if event.capacity < held:
        raise Conflict(
            f"{held} places are already taken; cancel bookings before lowering the capacity.",
            code="capacity_below_bookings",
        )
    event.save()
    if open_to is not None:
        event.open_to.set(_check_open_to(open_to))
    if moved:
        bookings = _open_bookings(event)
        notify(
            recipients=_accounts(bookings),
            kind="event.moved",
            context=_event_context(event, was=local_text(was)),
            dedupe_key=f"event.moved:{event.pk}:{event.starts_at.isoformat()}",
            expires_at=event.ends_at,
        )
        schedule_event_reminders(event)
    _promote(event)
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, note: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_organiser(actor, event)
    if event.status == Event.Status.CANCELLED:
        raise Conflict("The event is already cancelled.", code="event_cancelled")
    if event.ends_at <= timezone.now():
        raise Conflict("The event is over.", code="event_over")
    event.status, event.note = Event.Status.CANCELLED, note
    event.save()
    bookings = _open_bookings(event)
    now = timezone.now()
    for booking in bookings:  # one by one, so each change is in the audit trail
        booking.status, booking.cancelled_at, booking.respond_by = Booking.Status.CANCELLED, now, None
        booking.save()

    notify(
        recipients=_accounts(bookings),
        kind="event.cancelled",
        context=_event_context(event),
        dedupe_key=f"event.cancelled:{event.pk}",
        expires_at=event.ends_at,
    )
    return event


# --- Booking --------------------------------------------------------------------------


def _check_bookable(event: Event, case: YoungCarer) -> None:
    now = timezone.now()
    if event.organisation_id != case.organisation_id and not event.open_to.filter(pk=case.organisation_id).exists():
        raise NotFound()
    if event.status == Event.Status.CANCELLED:
        raise Conflict("The event is cancelled.", code="event_cancelled")
    if event.starts_at <= now:
        raise ServiceError("The event has already started.", code="event_past")
    if event.booking_opens_at and now < event.booking_opens_at:
        raise ServiceError(f"Booking opens {local_text(event.booking_opens_at)}.", code="booking_not_open")
    if event.booking_closes_at and now >= event.booking_closes_at:
        raise ServiceError("Booking has closed.", code="booking_closed")
    if case.status == YoungCarer.Status.CLOSED:
        raise ServiceError("The young carer's case is closed.", code="case_closed")
    age = _age_at(case, event)
    if not event.min_age <= age <= event.max_age:
        raise ServiceError(
            f"This event is for ages {event.min_age} to {event.max_age}; they will be {age}.", code="not_eligible"
        )


def _age_at(case: YoungCarer, event: Event) -> int:
    return age_on(case.date_of_birth, timezone.localtime(event.starts_at).date())


def needs_consent(case: YoungCarer, event: Event) -> bool:
    return _age_at(case, event) < CONSENT_AGE


def _previous_parent(case: YoungCarer) -> tuple[str, str]:
    latest = (
        case.bookings.exclude(parent_email="")
        .order_by("-created_at")
        .values_list("parent_name", "parent_email")
        .first()
    )
    return latest or ("", "")


@transaction.atomic
def booking_create(
    *, actor: User, event: Event, case: YoungCarer | None = None, parent_name: str = "", parent_email: str = ""
) -> Booking:
    """Book a place (or a place on the waiting list). A young carer books for themselves; a worker for anyone of theirs."""
    if case is None:
        case = require_own_case(actor)
    elif case.organisation_id not in staff_project_ids(actor):
        raise NotFound()
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_bookable(event, case)
    if event.bookings.filter(case=case, status__in=Booking.OPEN).exists():
        raise Conflict("There is already a booking for this event.", code="already_booked")
    if needs_consent(case, event) and not parent_email:
        parent_name, parent_email = _previous_parent(case)
        if not parent_email:
            raise ServiceError("Under-16s need a parent's consent: give the parent's email.", field="parent_email")
    booking = Booking(event=event, case=case, booked_by=actor, parent_name=parent_name, parent_email=parent_email)
    held = event.bookings.filter(status__in=Booking.HOLDS_PLACE).count()
    queue = event.bookings.filter(status=Booking.Status.WAITLISTED).count()
    if held < event.capacity and not queue:
        _take_place(booking, event)
    else:
        booking.status, booking.waitlisted_at = Booking.Status.WAITLISTED, timezone.now()
        booking.save()
        _tell(booking, "booking.waitlisted", position=queue + 1)
    return booking


def _tell(booking: Booking, kind: str, **extra: Any) -> None:
    if booking.case.account_id:
        event = booking.event
        notify(
            recipients=[booking.case.account_id],
            kind=kind,
            context=_event_context(event, booking_id=booking.pk, **extra),
            dedupe_key=f"{kind}:{booking.pk}:{booking.updated_at.isoformat()}",
            expires_at=event.starts_at,
        )


def _take_place(booking: Booking, event: Event) -> None:
    """Confirm, or hold the place while a parent is asked."""
    now = timezone.now()
    if needs_consent(booking.case, event):
        booking.status = Booking.Status.AWAITING_CONSENT
        booking.consent_requested_at = now
        booking.respond_by = min(now + CONSENT_WINDOW, event.starts_at)
        booking.save()
        send_consent_request.enqueue(booking.pk)
        booking_deadline.using(run_after=booking.respond_by).enqueue(booking.pk)
        _tell(booking, "booking.awaiting_consent", respond_by=local_text(booking.respond_by))
        return
    booking.status, booking.confirmed_at, booking.respond_by = Booking.Status.CONFIRMED, now, None
    booking.save()
    _tell(booking, "booking.confirmed")


def _promote(event: Event) -> list[Booking]:
    """Offer freed places to the waiting list in order. The event row must be locked by the caller."""
    if event.status == Event.Status.CANCELLED or event.starts_at <= timezone.now():
        return []
    held = event.bookings.filter(status__in=Booking.HOLDS_PLACE).count()
    free = event.capacity - held
    if free <= 0:
        return []
    now = timezone.now()
    offered = list(
        event.bookings.filter(status=Booking.Status.WAITLISTED)
        .select_related("case", "event")
        .order_by("waitlisted_at", "id")[:free]
    )
    for booking in offered:
        booking.status = Booking.Status.OFFERED
        booking.respond_by = min(now + timedelta(hours=event.offer_hours), event.starts_at)
        booking.save()
        booking_deadline.using(run_after=booking.respond_by).enqueue(booking.pk)
        _tell(booking, "booking.offered", respond_by=local_text(booking.respond_by))
    return offered


def _lock(booking: Booking) -> tuple[Booking, Event]:
    event = Event.objects.select_for_update().get(pk=booking.event_id)
    fresh = Booking.objects.select_related("case", "event").get(pk=booking.pk)
    return fresh, event


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    booking, event = _lock(booking)
    require_booking_writer(actor, booking, young_carer_may=True)
    if booking.status not in Booking.OPEN:
        raise Conflict("This booking is not open.", code="booking_closed")
    if event.starts_at <= timezone.now():
        raise Conflict("The event has started.", code="event_past")
    booking.status, booking.cancelled_at, booking.respond_by = Booking.Status.CANCELLED, timezone.now(), None
    booking.save()
    if access_for(actor).is_staff_member:
        _tell(booking, "booking.cancelled")
    _promote(event)
    return booking


@transaction.atomic
def offer_accept(*, actor: User, booking: Booking) -> Booking:
    booking, event = _lock(booking)
    require_booking_writer(actor, booking, young_carer_may=True)
    if booking.status != Booking.Status.OFFERED:
        raise Conflict("There is no offer to accept on this booking.", code="no_offer")
    if booking.respond_by and booking.respond_by <= timezone.now():
        raise Conflict("The offer has run out.", code="offer_lapsed")
    if needs_consent(booking.case, event) and not booking.parent_email:
        raise ServiceError("Under-16s need a parent's consent: give the parent's email first.", field="parent_email")
    _take_place(booking, event)
    return booking


@transaction.atomic
def offer_decline(*, actor: User, booking: Booking) -> Booking:
    booking, event = _lock(booking)
    require_booking_writer(actor, booking, young_carer_may=True)
    if booking.status != Booking.Status.OFFERED:
        raise Conflict("There is no offer to decline on this booking.", code="no_offer")
    booking.status, booking.cancelled_at, booking.respond_by = Booking.Status.CANCELLED, timezone.now(), None
    booking.save()
    _promote(event)
    return booking


@transaction.atomic
def booking_lapse(*, booking_id: int, now: datetime | None = None) -> Booking | None:
    """Called when a deadline passes: an unanswered offer or consent request lets the place go."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        return None
    booking, event = _lock(booking)
    now = now or timezone.now()
    waiting = (Booking.Status.OFFERED, Booking.Status.AWAITING_CONSENT)
    if booking.status not in waiting or booking.respond_by is None or booking.respond_by > now:
        return booking  # answered, cancelled, or its deadline moved: nothing to do
    booking.status, booking.respond_by = Booking.Status.LAPSED, None
    booking.save()
    _tell(booking, "booking.lapsed")
    _promote(event)
    return booking


# --- Parental consent through an emailed link ----------------------------------------------


def consent_token(booking: Booking) -> str:
    assert booking.consent_requested_at is not None
    payload = {"b": booking.pk, "r": booking.consent_requested_at.isoformat(), "n": secrets.token_hex(4)}
    return signing.dumps(payload, salt=CONSENT_SALT, compress=True)


def booking_for_consent_token(token: str) -> Booking:
    """The booking a parent's link is for, if the link is genuine, unexpired, and the answer is still awaited."""
    try:
        payload = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_WINDOW)
    except signing.SignatureExpired:
        raise ServiceError(
            "This link has expired. Ask the project for a new one.", code="link_expired", status_code=410
        ) from None
    except signing.BadSignature:
        raise NotFound() from None
    booking = Booking.objects.select_related("event", "case").filter(pk=payload.get("b")).first()
    if (
        booking is None
        or booking.consent_requested_at is None
        or booking.consent_requested_at.isoformat() != payload.get("r")
    ):
        raise NotFound()
    if booking.status != Booking.Status.AWAITING_CONSENT:
        raise Conflict("This request has already been answered or is no longer open.", code="already_answered")
    return booking


@transaction.atomic
def consent_answer(*, token: str, given: bool, parent_name: str, relationship: str = "parent") -> Booking:
    found = booking_for_consent_token(token)
    booking, event = _lock(found)
    if booking.status != Booking.Status.AWAITING_CONSENT:
        raise Conflict("This request has already been answered or is no longer open.", code="already_answered")
    local_day = timezone.localtime(event.starts_at).date()
    consent = consent_record(
        actor=None,
        case=booking.case,
        subject=Consent.Subject.TRIPS,
        given=given,
        basis=Consent.Basis.PARENT,
        given_by_name=parent_name,
        given_by_relationship=relationship,
        valid_until=timezone.localtime(event.ends_at).date(),
        notes=f"{event.title} on {local_day:%d %b %Y} (booking #{booking.pk}), answered through the emailed link.",
    )
    booking.consent, booking.parent_name, booking.respond_by = consent, parent_name, None
    if given:
        booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, timezone.now()
    else:
        booking.status = Booking.Status.CONSENT_REFUSED
    booking.save()
    record_event(
        actor=None, instance=booking, event="booking.consent", details={"given": given, "consent_id": consent.pk}
    )
    _tell(booking, "booking.confirmed" if given else "booking.consent_refused")
    workers = {
        uid for uid in (booking.booked_by_id, booking.case.key_worker_id) if uid and uid != booking.case.account_id
    }
    notify(
        recipients=workers,
        kind="booking.consent_answered",
        context={
            "young_person": booking.case.preferred_name or booking.case.first_name,
            "event": event.title,
            "answer": "yes" if given else "no",
            "booking_id": booking.pk,
        },
        dedupe_key=f"booking.consent_answered:{booking.pk}",
    )
    if not given:
        _promote(event)
    return booking


@transaction.atomic
def consent_resend(*, actor: User, booking: Booking, parent_name: str = "", parent_email: str = "") -> Booking:
    """A worker of the child's project sends the request again (a new address, a lost email). Earlier links stop
    working. Not the young carer, and not the organiser of another project's event: where the parent's answer goes
    is for the child's own project."""
    booking, _event = _lock(booking)
    require_booking_writer(actor, booking, young_carer_may=False)
    if booking.status != Booking.Status.AWAITING_CONSENT:
        raise Conflict("This booking is not waiting for consent.", code="not_awaiting_consent")
    if parent_email:
        booking.parent_email, booking.parent_name = parent_email, parent_name or booking.parent_name
    booking.consent_requested_at = timezone.now()
    booking.save()
    send_consent_request.enqueue(booking.pk)
    return booking


def consent_url(token: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/consent/{token}/"
