"""Reads for peer groups, sessions, events and bookings, always scoped by the actor; figures for reports."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import require_case_data_access
from accounts.models import User
from api.peer import schedule as sched
from api.peer.access import own_open_case
from api.peer.models import Attendance, Booking, Event, GroupMembership, PeerGroup, Session
from cases.models import YoungCarer


def _age(case: YoungCarer) -> int:
    return case.age()


def _count(rows: QuerySet[Any]) -> Any:
    """A correlated COUNT subquery: counts for the rows of a page, without a GROUP BY over the whole list."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def groups_visible_to(user: Any) -> QuerySet[PeerGroup]:
    """Young carers: their project's active groups they are eligible for, and any they belong to. Workers: their projects'."""
    access = require_case_data_access(user)
    groups = PeerGroup.objects.select_related("organisation").annotate(
        member_count=_count(GroupMembership.objects.filter(group=OuterRef("pk"), status=GroupMembership.Status.ACTIVE))
    )
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None:
            return groups.none()
        age = _age(case)
        mine = GroupMembership.objects.filter(group=OuterRef("pk"), case_id=case.pk, status__in=["requested", "active"])
        return (
            groups.filter(organisation_id=case.organisation_id)
            .filter(Q(is_active=True, min_age__lte=age, max_age__gte=age) | Q(Exists(mine)))
            .annotate(my_status=_my_status(case.pk))
        )
    facilitators = Prefetch("facilitators", queryset=User.objects.only("id", "first_name", "last_name", "email"))
    return groups.filter(organisation_id__in=access.project_ids).prefetch_related(facilitators)


def _my_status(case_id: int) -> Any:
    return Subquery(
        GroupMembership.objects.filter(
            group=OuterRef("pk"), case_id=case_id, status__in=["requested", "active"]
        ).values("status")[:1]
    )


def sessions_visible_to(user: Any) -> QuerySet[Session]:
    """Young carers (case open): sessions of groups they are a member of. Workers: their projects' sessions."""
    access = require_case_data_access(user)
    sessions = Session.objects.select_related("group")
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None:
            return sessions.none()
        member_of = GroupMembership.objects.filter(case_id=case.pk, status=GroupMembership.Status.ACTIVE)
        return sessions.filter(group_id__in=member_of.values("group_id"))
    return sessions.filter(group__organisation_id__in=access.project_ids)


def events_visible_to(user: Any) -> QuerySet[Event]:
    """Young carers: events open to their project and age, and events they have booked. Workers: their projects' events."""
    access = require_case_data_access(user)
    bookings = Booking.objects.filter(event=OuterRef("pk"))
    events = Event.objects.select_related("organisation").annotate(
        places_taken=_count(bookings.filter(status__in=Booking.HOLDS_PLACE)),
        waiting=_count(bookings.filter(status=Booking.Status.WAITLISTED)),
    )
    if access.is_young_carer:
        case = own_open_case(user)
        if case is None:
            return events.none()
        age = _age(case)
        booked = Booking.objects.filter(event=OuterRef("pk"), case_id=case.pk)
        opened = Event.open_to.through.objects.filter(event_id=OuterRef("pk"), organisation_id=case.organisation_id)
        open_to_me = Q(organisation_id=case.organisation_id) | Q(Exists(opened))
        eligible = open_to_me & Q(min_age__lte=age, max_age__gte=age, status=Event.Status.SCHEDULED)
        return events.filter(eligible | Q(Exists(booked)))
    return events.filter(organisation_id__in=access.project_ids)


def with_queue_position(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``queue_ahead``: how many waitlisted bookings of the same event came first (one query for a page)."""
    ahead = (
        Booking.objects.filter(event_id=OuterRef("event_id"), status=Booking.Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return bookings.annotate(queue_ahead=Coalesce(Subquery(ahead), 0))


def bookings_visible_to(user: Any) -> QuerySet[Booking]:
    access = require_case_data_access(user)
    bookings = with_queue_position(Booking.objects.select_related("event", "case"))
    if access.is_young_carer:
        case = own_open_case(user)
        return bookings.filter(case_id=case.pk) if case is not None else bookings.none()
    projects = access.project_ids
    return bookings.filter(Q(case__organisation_id__in=projects) | Q(event__organisation_id__in=projects))


def attendance_visible_to(user: Any) -> QuerySet[Attendance]:
    """History: a young carer's own; a worker's projects'. Filter by young carer or group in the view."""
    access = require_case_data_access(user)
    rows = Attendance.objects.select_related("session", "session__group", "case")
    if access.is_young_carer:
        case = own_open_case(user)
        return rows.filter(case_id=case.pk) if case is not None else rows.none()
    return rows.filter(session__group__organisation_id__in=access.project_ids)


def members_of(group: PeerGroup) -> QuerySet[GroupMembership]:
    return (
        group.memberships.filter(status__in=["requested", "active"])
        .select_related("case")
        .order_by("status", "case__first_name")
    )


def register_of(session: Session) -> list[dict[str, Any]]:
    """Each member at the session with their mark (or none yet): what the facilitator fills in."""
    marks = {a.case_id: a for a in session.attendance.all()}
    members = (
        GroupMembership.objects.filter(group_id=session.group_id, joined_at__lte=session.ends_at)
        .filter(
            Q(status=GroupMembership.Status.ACTIVE)
            | Q(status=GroupMembership.Status.LEFT, ended_at__gte=session.starts_at)
        )
        .select_related("case")
        .order_by("case__first_name", "case_id")
    )
    rows = []
    for membership in members:
        mark = marks.get(membership.case_id)
        rows.append(
            {"case": membership.case, "status": mark.status if mark else None, "source": mark.source if mark else None}
        )
    return rows


def booking_position(booking: Booking) -> int | None:
    if booking.status != Booking.Status.WAITLISTED:
        return None
    annotated = getattr(booking, "queue_ahead", None)
    if annotated is not None:
        return int(annotated) + 1
    ahead = Booking.objects.filter(event_id=booking.event_id, status=Booking.Status.WAITLISTED).filter(
        Q(waitlisted_at__lt=booking.waitlisted_at) | Q(waitlisted_at=booking.waitlisted_at, id__lt=booking.pk)
    )
    return ahead.count() + 1


def groups_of_case(case: YoungCarer) -> list[dict[str, Any]]:
    """Active group memberships of a case, for the transition hand-over pack ("services that must continue")."""
    memberships = (
        GroupMembership.objects.filter(case=case, status=GroupMembership.Status.ACTIVE, group__is_active=True)
        .select_related("group", "group__organisation")
        .order_by("group__name")
    )
    from api.peer.services import schedule_of

    result = []
    for membership in memberships:
        group = membership.group
        schedule = schedule_of(group)
        result.append(
            {
                "group": group.name,
                "organisation": group.organisation.name,
                "age_band": f"{group.min_age}-{group.max_age}",
                "schedule": sched.summary(schedule) if schedule else "No regular schedule",
                "venue": group.venue,
                "member_since": timezone.localtime(membership.joined_at).date().isoformat()
                if membership.joined_at
                else None,
            }
        )
    return result


# --- Figures for reports ------------------------------------------------------------


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] local days as a half-open UTC range."""
    from datetime import timedelta

    return (
        datetime.combine(start, time.min, sched.LONDON),
        datetime.combine(end + timedelta(days=1), time.min, sched.LONDON),
    )


def peer_figures(
    *, organisation_ids: set[int] | list[int], start: date, end: date, group_id: int | None = None
) -> dict[str, Any]:
    """Sessions delivered, attendance rate, breaks given and new members for organisations over a period.

    The caller scopes ``organisation_ids`` to what the reader may see. Figures are counts only: no names.
    """
    low, high = _bounds(start, end)
    sessions = Session.objects.filter(
        group__organisation_id__in=organisation_ids,
        starts_at__gte=low,
        starts_at__lt=high,
        status=Session.Status.SCHEDULED,
    )
    if group_id is not None:
        sessions = sessions.filter(group_id=group_id)
    delivered = sessions.filter(ends_at__lte=timezone.now())
    with_register = Attendance.objects.filter(session=OuterRef("pk"))
    marks = Attendance.objects.filter(session__in=delivered).aggregate(
        total=Count("id"),
        attended=Count("id", filter=Q(status__in=Attendance.ATTENDED)),
        young_people=Count("case_id", filter=Q(status__in=Attendance.ATTENDED), distinct=True),
    )
    memberships = GroupMembership.objects.filter(
        group__organisation_id__in=organisation_ids, joined_at__gte=low, joined_at__lt=high
    )
    if group_id is not None:
        memberships = memberships.filter(group_id=group_id)
    breaks = Booking.objects.filter(
        event__organisation_id__in=organisation_ids,
        event__kind__in=Event.BREAK_KINDS,
        status=Booking.Status.CONFIRMED,
        event__status=Event.Status.SCHEDULED,
        event__starts_at__gte=low,
        event__starts_at__lt=high,
    )
    by_group = list(
        delivered.values("group_id", "group__name")
        .annotate(sessions=Count("id", distinct=True))
        .order_by("group__name")
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "sessions_delivered": delivered.count(),
        "sessions_without_register": delivered.exclude(Exists(with_register)).count(),
        "attendance_marks": marks["total"],
        "attendances": marks["attended"],
        "attendance_rate": round(marks["attended"] / marks["total"], 3) if marks["total"] else None,
        "young_people_attending": marks["young_people"],
        "new_members": memberships.values("case_id").distinct().count(),
        "breaks_given": breaks.count(),
        "young_people_given_breaks": breaks.values("case_id").distinct().count(),
        "by_group": [
            {"group_id": row["group_id"], "group": row["group__name"], "sessions_delivered": row["sessions"]}
            for row in by_group
        ],
    }
