"""Access helpers for peer groups, sessions, events and bookings. Each returns the object or raises the same 404.

Young carers see their own project's groups and events that they are eligible for (or already in), and their own
sessions, bookings and attendance. Workers of the project see and run everything of their project. School staff,
adult services and commissioners see nothing here.
"""

from __future__ import annotations

from typing import Any

from accounts.access import PROJECT_STAFF_ROLES, access_for, require_case_data_access
from api.peer.models import Booking, Event, PeerGroup, Session
from cases.models import YoungCarer
from core.errors import NotFound


def own_case(user: Any) -> YoungCarer | None:
    """The young carer's own case, or None for anyone else."""
    access = access_for(user)
    if access.young_carer_id is None:
        return None
    return YoungCarer.objects.select_related("organisation").filter(pk=access.young_carer_id).first()


def require_own_case(user: Any) -> YoungCarer:
    case = own_case(user)
    if case is None or case.status == YoungCarer.Status.CLOSED:
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
    """The young carer's own booking, or any booking of the worker's project."""
    booking = Booking.objects.select_related("event", "case").filter(pk=booking_id).first()
    if booking is None:
        raise NotFound()
    access = require_case_data_access(user)
    if access.is_young_carer:
        if booking.case_id != access.young_carer_id:
            raise NotFound()
        return booking
    if (
        booking.case.organisation_id not in access.project_ids
        and booking.event.organisation_id not in access.project_ids
    ):
        raise NotFound()
    return booking


def case_for_booking_worker(user: Any, case_id: int) -> YoungCarer:
    """A case a worker may book for or enrol: their project's, open."""
    case = YoungCarer.objects.filter(pk=case_id).first()
    if case is None or case.organisation_id not in staff_project_ids(user):
        raise NotFound()
    return case


def is_project_staff(user: Any, organisation_id: int) -> bool:
    return access_for(user).holds(organisation_id, *PROJECT_STAFF_ROLES)
