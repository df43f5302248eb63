"""Access helpers for peer groups, sessions, events and bookings. Each returns the object or raises the same 404.

Young carers see their own project's groups and events that they are eligible for (or already in), and their own
sessions, bookings and attendance. Workers of the project see and run everything of their project. School staff,
adult services and commissioners see nothing here.
"""

from __future__ import annotations

from typing import Any

from accounts.access import access_for, require_case_data_access
from api.peer.models import Booking, Event, PeerGroup, Session
from cases.models import YoungCarer
from core.errors import NotFound


def own_open_case(user: Any) -> YoungCarer | None:
    """The young carer's own case while it is open; None for staff, and for a young carer whose case is closed.

    Every young carer's view of groups, sessions, events, bookings, attendance and the calendar starts here, so
    closing a case ends them all at once.
    """
    access = access_for(user)
    if access.young_carer_id is None:
        return None
    return (
        YoungCarer.objects.select_related("organisation")
        .filter(pk=access.young_carer_id)
        .exclude(status=YoungCarer.Status.CLOSED)
        .first()
    )


def require_own_case(user: Any) -> YoungCarer:
    case = own_open_case(user)
    if case is None:
        raise NotFound()
    return case


def staff_project_ids(user: Any) -> set[int]:
    """Projects the actor works for (empty for everyone else). Staff must have passed MFA."""
    access = require_case_data_access(user)
    return access.project_ids


def group_for_worker(user: Any, group_id: int) -> PeerGroup:
    group = PeerGroup.objects.select_related("organisation").filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    if group.organisation_id not in staff_project_ids(user):
        raise NotFound()
    return group


def session_for_worker(user: Any, session_id: int) -> Session:
    session = Session.objects.select_related("group").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if session.group.organisation_id not in staff_project_ids(user):
        raise NotFound()
    return session


def event_for_worker(user: Any, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    if event.organisation_id not in staff_project_ids(user):
        raise NotFound()
    return event


def booking_for_actor(user: Any, booking_id: int) -> Booking:
    """A booking to read: the young carer's own, or (for workers) their project's child's or one on their event.

    Reading only: changing a booking is scoped again by the services (see ``require_booking_writer``).
    """
    booking = Booking.objects.select_related("event", "case").filter(pk=booking_id).first()
    if booking is None:
        raise NotFound()
    access = require_case_data_access(user)
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None or booking.case_id != case.pk:
            raise NotFound()
        return booking
    if (
        booking.case.organisation_id not in access.project_ids
        and booking.event.organisation_id not in access.project_ids
    ):
        raise NotFound()
    return booking


def require_booking_writer(user: Any, booking: Booking, *, young_carer_may: bool) -> None:
    """404 unless the actor may change this booking: a worker of the child's own project, or (where the step is
    theirs, ``young_carer_may``) the young carer whose booking it is. Running the event is not enough: the
    organiser reads bookings on its event but does not act for another project's children.
    """
    access = require_case_data_access(user)
    if access.is_young_carer:
        case = own_open_case(user)
        if young_carer_may and case is not None and booking.case_id == case.pk:
            return
        raise NotFound()
    if booking.case.organisation_id not in access.project_ids:
        raise NotFound()
