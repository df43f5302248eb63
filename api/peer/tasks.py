"""Background work for peer groups: expanding schedules, reminders, and deadlines on bookings.

Reminders are scheduled for the time they are due and re-check when they run: a reminder whose session has
moved (it no longer starts at the time the reminder was made for) or was cancelled does nothing, because
moving a session schedules fresh reminders. ``dedupe_key`` on ``notify`` makes a retried reminder safe.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from smtplib import SMTPException

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from api.peer.models import Booking, Event, GroupMembership, Session
from cases.models import YoungCarer
from core.tasks import TransientError, periodic, retrying_task
from notifications.services import notify

REMINDER_LEADS = (timedelta(hours=24), timedelta(hours=1))


def _lead_text(lead_minutes: int) -> str:
    return "tomorrow" if lead_minutes >= 24 * 60 else "in an hour"


def schedule_session_reminders(session: Session) -> None:
    """Enqueue the 24-hour and 1-hour reminders still ahead, for the session's current start."""
    now = timezone.now()
    for lead in REMINDER_LEADS:
        due = session.starts_at - lead
        if session.starts_at > now and due > now - timedelta(minutes=5):
            session_reminder.using(run_after=max(due, now)).enqueue(
                session.pk, int(lead.total_seconds() // 60), session.starts_at.isoformat()
            )


def schedule_event_reminders(event: Event) -> None:
    now = timezone.now()
    for lead in REMINDER_LEADS:
        due = event.starts_at - lead
        if event.starts_at > now and due > now - timedelta(minutes=5):
            event_reminder.using(run_after=max(due, now)).enqueue(
                event.pk, int(lead.total_seconds() // 60), event.starts_at.isoformat()
            )


@retrying_task(max_attempts=5)
def session_reminder(session_id: int, lead_minutes: int, expected_start: str) -> None:
    session = Session.objects.select_related("group").filter(pk=session_id).first()
    if session is None or session.status == Session.Status.CANCELLED:
        return
    if session.starts_at != datetime.fromisoformat(expected_start) or session.starts_at <= timezone.now():
        return  # moved (its new reminders are scheduled) or already started: a late reminder is noise
    members = (
        GroupMembership.objects.filter(
            group_id=session.group_id, status=GroupMembership.Status.ACTIVE, case__account__isnull=False
        )
        .exclude(case__status=YoungCarer.Status.CLOSED)
        .values_list("case__account_id", flat=True)
    )
    notify(
        recipients=list(members),
        kind="session.reminder",
        context={
            "group": session.group.name,
            "when": _lead_text(lead_minutes),
            "session_id": session.pk,
            "venue": session.venue or session.group.venue or "the usual place",
        },
        dedupe_key=f"session.reminder:{session.pk}:{lead_minutes}:{expected_start}",
        expires_at=session.starts_at,
    )


@retrying_task(max_attempts=5)
def event_reminder(event_id: int, lead_minutes: int, expected_start: str) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.status == Event.Status.CANCELLED:
        return
    if event.starts_at != datetime.fromisoformat(expected_start) or event.starts_at <= timezone.now():
        return
    booked = (
        event.bookings.filter(status=Booking.Status.CONFIRMED, case__account__isnull=False)
        .exclude(case__status=YoungCarer.Status.CLOSED)
        .values_list("case__account_id", flat=True)
    )
    notify(
        recipients=list(booked),
        kind="event.reminder",
        context={
            "event": event.title,
            "when": _lead_text(lead_minutes),
            "event_id": event.pk,
            "what_to_bring": event.what_to_bring or "nothing special",
        },
        dedupe_key=f"event.reminder:{event.pk}:{lead_minutes}:{expected_start}",
        expires_at=event.starts_at,
    )


@retrying_task(max_attempts=5)
def booking_deadline(booking_id: int) -> None:
    """An offer or a consent request not answered by its deadline lapses; the place passes on."""
    from api.peer.bookings import booking_lapse

    booking_lapse(booking_id=booking_id)


@periodic(every=timedelta(hours=1))
@retrying_task(max_attempts=3)
def expand_sessions() -> int:
    from api.peer.services import expand_all

    return expand_all()


@periodic(every=timedelta(minutes=15))
@retrying_task(max_attempts=3)
def sweep_booking_deadlines() -> int:
    """A safety net for deadlines whose task was lost: lapse anything overdue."""
    from api.peer.bookings import booking_lapse

    overdue = Booking.objects.filter(
        status__in=[Booking.Status.OFFERED, Booking.Status.AWAITING_CONSENT], respond_by__lt=timezone.now()
    ).values_list("pk", flat=True)
    for booking_id in list(overdue):
        booking_lapse(booking_id=booking_id)
    return len(overdue)


@retrying_task(max_attempts=6, base_delay=30)
def send_consent_request(booking_id: int) -> None:
    """Email the parent a signed link to say yes or no. Sent only while the booking still waits for them."""
    from api.peer.bookings import consent_token, consent_url

    booking = Booking.objects.select_related("event", "case", "case__organisation").filter(pk=booking_id).first()
    if booking is None or booking.status != Booking.Status.AWAITING_CONSENT or not booking.parent_email:
        return
    event, case = booking.event, booking.case
    start = timezone.localtime(event.starts_at)
    respond_by = timezone.localtime(booking.respond_by) if booking.respond_by else start
    cost = f"£{event.cost_pence / 100:.2f}" if event.cost_pence else "free"
    body = render_to_string(
        "peer/consent_request.txt",
        {
            "parent_name": booking.parent_name or "Parent or carer",
            "child": case.preferred_name or case.first_name,
            "event": event,
            "start": start,
            "cost": cost,
            "respond_by": respond_by,
            "url": consent_url(consent_token(booking)),
            "project": case.organisation.name,
        },
    )
    try:
        send_mail(
            subject=f"{case.organisation.name}: please say yes or no to {event.title}",
            message=body,
            from_email=None,
            recipient_list=[booking.parent_email],
        )
    except (SMTPException, OSError) as exc:
        raise TransientError(f"consent email not sent: {exc}") from exc
