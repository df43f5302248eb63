"""Writes for peer groups: groups, membership, schedule expansion, session changes, the register and check-in.

Events and bookings live in :mod:`api.peer.bookings`. Every function checks the actor; auditlog records
field changes and :func:`audit.services.record_event` the named steps.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES
from accounts.models import Membership, Organisation, User
from api.peer import schedule as sched
from api.peer.access import require_own_case, staff_project_ids
from api.peer.models import Attendance, GroupMembership, PeerGroup, Session
from api.peer.tasks import schedule_session_reminders
from audit.services import record_event
from cases.models import YoungCarer
from core.errors import Conflict, NotFound, ServiceError
from core.fields import WORKER_MESSAGE
from notifications.services import notify

SHORT_NOTICE = timedelta(hours=2)
SCHEDULE_CHANGE_NOTICE = timedelta(days=7)  # sessions dropped by a schedule change this soon are announced
CHECK_IN_OPENS = timedelta(minutes=30)  # before the start
CHECK_IN_CODE_TTL = timedelta(minutes=20)
LATE_AFTER = timedelta(minutes=10)
REGISTER_OPENS = timedelta(hours=1)  # before the start; a register is for a session that has begun


def local_text(moment: datetime) -> str:
    """'Tue 3 Nov, 16:30' in Europe/London: how a time reads in a notification."""
    local = timezone.localtime(moment, sched.LONDON)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def _age_band(min_age: int, max_age: int) -> None:
    if not 5 <= min_age <= max_age <= 25:
        raise ServiceError("The age band must be within 5 to 25, lowest first.", field="min_age")


def _check_facilitators(users: Iterable[User], organisation_id: int) -> list[User]:
    chosen = list(users)
    staff = set(
        Membership.objects.filter(
            user__in=chosen,
            organisation_id=organisation_id,
            role__in=PROJECT_STAFF_ROLES,
            ended_at__isnull=True,
            organisation__is_active=True,
        ).values_list("user_id", flat=True)
    )
    for user in chosen:
        if user.pk not in staff:
            raise ServiceError(WORKER_MESSAGE, field="facilitators")
    return chosen


def schedule_of(group: PeerGroup) -> sched.Schedule | None:
    if not group.recurrence or group.starts_on is None or group.start_time is None or group.end_time is None:
        return None
    days = tuple(date.fromisoformat(day) for day in group.exception_dates)
    return sched.Schedule(group.recurrence, days, group.starts_on, group.start_time, group.end_time)


def _apply_schedule(group: PeerGroup, data: dict[str, Any]) -> None:
    keys = ("recurrence", "exception_dates", "starts_on", "start_time", "end_time")
    if not any(key in data for key in keys):
        return
    values = {key: data.get(key, getattr(group, key)) for key in keys}
    if not values["recurrence"]:
        group.recurrence, group.exception_dates = "", []
        group.starts_on = group.start_time = group.end_time = None
        return
    missing = [key for key in ("starts_on", "start_time", "end_time") if values[key] is None]
    if missing:
        raise ServiceError(f"A schedule needs {', '.join(missing)}.", field=missing[0])
    days = tuple(day if isinstance(day, date) else date.fromisoformat(day) for day in values["exception_dates"] or [])
    checked = sched.validate(
        sched.Schedule(values["recurrence"], days, values["starts_on"], values["start_time"], values["end_time"])
    )
    group.recurrence = checked.rule
    group.exception_dates = [day.isoformat() for day in checked.exception_dates]
    group.starts_on, group.start_time, group.end_time = checked.starts_on, checked.start_time, checked.end_time


GROUP_FIELDS = {
    "name",
    "description",
    "min_age",
    "max_age",
    "capacity",
    "venue",
    "accessibility",
    "transport_offered",
    "transport_notes",
    "recurrence",
    "exception_dates",
    "starts_on",
    "start_time",
    "end_time",
    "is_active",
}


@transaction.atomic
def group_create(
    *, actor: User, organisation: Organisation, facilitators: Iterable[User] = (), **data: Any
) -> PeerGroup:
    if organisation.pk not in staff_project_ids(actor):
        raise NotFound()
    unknown = set(data) - GROUP_FIELDS
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _age_band(data["min_age"], data["max_age"])
    group = PeerGroup(organisation=organisation, **{k: v for k, v in data.items() if k not in ("exception_dates",)})
    _apply_schedule(group, data)
    group.save()
    group.facilitators.set(_check_facilitators(facilitators or [actor], organisation.pk))
    expand_group(group=group)
    return group


@transaction.atomic
def group_update(
    *, actor: User, group: PeerGroup, facilitators: Iterable[User] | None = None, **data: Any
) -> PeerGroup:
    unknown = set(data) - GROUP_FIELDS
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _age_band(data.get("min_age", group.min_age), data.get("max_age", group.max_age))
    # Stopping a group is a schedule change too: its future sessions are cancelled and members told.
    schedule_changed = any(
        key in data for key in ("recurrence", "exception_dates", "starts_on", "start_time", "end_time", "is_active")
    )
    for name, value in data.items():
        if name not in ("recurrence", "exception_dates", "starts_on", "start_time", "end_time"):
            setattr(group, name, value)
    _apply_schedule(group, data)
    if (
        data.get("capacity") is not None
        and group.memberships.filter(status=GroupMembership.Status.ACTIVE).count() > data["capacity"]
    ):
        raise ServiceError("The group already has more members than that.", field="capacity")
    group.save()
    if facilitators is not None:
        group.facilitators.set(_check_facilitators(facilitators, group.organisation_id))
    if schedule_changed:
        _drop_sessions_off_schedule(actor=actor, group=group)
        group.expanded_until = None
        group.save(update_fields=["expanded_until"])
    expand_group(group=group)
    return group


def _drop_sessions_off_schedule(*, actor: User, group: PeerGroup) -> None:
    """Future sessions the new schedule no longer gives are cancelled (members told); moved ones are kept."""
    now = timezone.now()
    schedule = schedule_of(group)
    wanted: set[datetime] = set()
    if schedule is not None and group.is_active:
        wanted = {start for start, _ in sched.occurrences(schedule, now, until=now + sched.HORIZON)}
    stale = group.sessions.filter(starts_at__gt=now, status=Session.Status.SCHEDULED, occurrence=F("starts_at"))
    soon = now + SCHEDULE_CHANGE_NOTICE
    for session in stale:
        if session.occurrence not in wanted:
            # One message per session in the coming week; further ahead the app shows the new schedule.
            session_cancel(
                actor=actor, session=session, note="The group's schedule changed.", tell=session.starts_at < soon
            )


@transaction.atomic
def expand_group(*, group: PeerGroup, now: datetime | None = None, since: datetime | None = None) -> list[Session]:
    """Create the sessions the schedule gives up to the horizon. Idempotent: one session per occurrence.

    ``since`` fills from an earlier time (a group set up mid-term, the demo); by default expansion continues
    from where it last stopped.
    """
    now = now or timezone.now()
    schedule = schedule_of(group)
    horizon = now + sched.HORIZON
    if schedule is None or not group.is_active:
        return []
    if since is None:
        if group.expanded_until and group.expanded_until >= horizon:
            return []
        since = max(now, group.expanded_until) if group.expanded_until else now
    wanted = list(sched.occurrences(schedule, since, until=horizon))
    existing = set(
        group.sessions.filter(occurrence__in=[start for start, _ in wanted]).values_list("occurrence", flat=True)
    )
    fresh = [Session(group=group, occurrence=s, starts_at=s, ends_at=e) for s, e in wanted if s not in existing]
    try:
        with transaction.atomic():
            created = Session.objects.bulk_create(fresh)
    except IntegrityError:  # another expansion got there first: take what is missing one by one
        created = [s for s in fresh if _create_if_missing(s)]
    group.expanded_until = max(horizon, group.expanded_until or horizon)
    group.save(update_fields=["expanded_until"])
    for session in created:
        schedule_session_reminders(session)
    return created


def _create_if_missing(session: Session) -> bool:
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        return False
    return True


def expand_all(now: datetime | None = None) -> int:
    """Expand every active group with a schedule. Run by the periodic task."""
    count = 0
    due = PeerGroup.objects.filter(is_active=True).exclude(recurrence="")
    horizon = (now or timezone.now()) + sched.HORIZON - timedelta(days=1)
    for group in due.exclude(expanded_until__gte=horizon).iterator():
        count += len(expand_group(group=group, now=now))
    return count


# --- Membership ---------------------------------------------------------------------


def _eligible(group: PeerGroup, case: YoungCarer) -> None:
    if case.organisation_id != group.organisation_id:
        raise NotFound()
    if case.status == YoungCarer.Status.CLOSED:
        raise ServiceError("The young carer's case is closed.", field="young_carer")
    age = case.age()
    if not group.min_age <= age <= group.max_age:
        raise ServiceError(
            f"This group is for ages {group.min_age} to {group.max_age}; they are {age}.", code="not_eligible"
        )
    if not group.is_active:
        raise Conflict("This group is no longer running.", code="group_inactive")


def _check_room(group: PeerGroup) -> None:
    if group.capacity is not None:
        members = group.memberships.filter(status=GroupMembership.Status.ACTIVE).count()
        if members >= group.capacity:
            raise Conflict("The group is full.", code="group_full")


def _open_membership(group: PeerGroup, case: YoungCarer) -> GroupMembership | None:
    return group.memberships.filter(case=case, status__in=["requested", "active"]).first()


def _locked(group: PeerGroup) -> PeerGroup:
    return PeerGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def member_add(*, actor: User, group: PeerGroup, case: YoungCarer) -> GroupMembership:
    """A worker enrols a young carer (or approves their request)."""
    group = _locked(group)
    _eligible(group, case)
    membership = _open_membership(group, case)
    if membership is not None and membership.status == GroupMembership.Status.ACTIVE:
        raise Conflict("They are already a member.", code="already_member")
    _check_room(group)
    now = timezone.now()
    if membership is None:
        membership = GroupMembership(group=group, case=case)
    membership.status, membership.joined_at, membership.decided_by = GroupMembership.Status.ACTIVE, now, actor
    membership.save()
    if case.account_id:
        notify(
            recipients=[case.account_id],
            kind="group.joined",
            context={"group": group.name, "group_id": group.pk},
            dedupe_key=f"group.joined:{membership.pk}",
        )
    return membership


@transaction.atomic
def join_request(*, actor: User, group: PeerGroup) -> GroupMembership:
    """A young carer asks to join a group they are eligible for; the group's facilitators are told."""
    case = require_own_case(actor)
    _eligible(group, case)
    if _open_membership(group, case) is not None:
        raise Conflict("You have already asked to join, or are a member.", code="already_requested")
    membership = GroupMembership.objects.create(
        group=group, case=case, status=GroupMembership.Status.REQUESTED, requested_at=timezone.now()
    )
    facilitators = list(group.facilitators.values_list("pk", flat=True))
    notify(
        recipients=facilitators,
        kind="group.join_requested",
        context={"young_person": case.preferred_name or case.first_name, "group": group.name, "group_id": group.pk},
        dedupe_key=f"group.join_requested:{membership.pk}",
    )
    return membership


def _membership(group: PeerGroup, case_id: int, *statuses: str) -> GroupMembership:
    membership = group.memberships.filter(case_id=case_id, status__in=statuses).select_related("case").first()
    if membership is None:
        raise NotFound()
    return membership


@transaction.atomic
def join_approve(*, actor: User, group: PeerGroup, case_id: int) -> GroupMembership:
    membership = _membership(group, case_id, GroupMembership.Status.REQUESTED)
    return member_add(actor=actor, group=group, case=membership.case)


@transaction.atomic
def join_decline(*, actor: User, group: PeerGroup, case_id: int) -> GroupMembership:
    membership = _membership(group, case_id, GroupMembership.Status.REQUESTED)
    membership.status, membership.ended_at, membership.decided_by = (
        GroupMembership.Status.DECLINED,
        timezone.now(),
        actor,
    )
    membership.save()
    if membership.case.account_id:
        notify(
            recipients=[membership.case.account_id],
            kind="group.join_declined",
            context={"group": group.name},
            dedupe_key=f"group.join_declined:{membership.pk}",
        )
    return membership


@transaction.atomic
def member_remove(*, actor: User, group: PeerGroup, case_id: int) -> GroupMembership:
    membership = _membership(group, case_id, GroupMembership.Status.ACTIVE)
    membership.status, membership.ended_at, membership.decided_by = GroupMembership.Status.LEFT, timezone.now(), actor
    membership.save()
    return membership


# --- Sessions -----------------------------------------------------------------------


def _members_with_accounts(group_id: int) -> list[int]:
    return list(
        GroupMembership.objects.filter(
            group_id=group_id, status=GroupMembership.Status.ACTIVE, case__account__isnull=False
        ).values_list("case__account_id", flat=True)
    )


def _session_context(session: Session, **extra: Any) -> dict[str, Any]:
    return {
        "group": session.group.name,
        "when": local_text(session.starts_at),
        "session_id": session.pk,
        "venue": session.venue or session.group.venue or "the usual place",
        "note": session.note,
        **extra,
    }


@transaction.atomic
def session_move(
    *, actor: User, session: Session, starts_at: datetime, ends_at: datetime, venue: str | None = None, note: str = ""
) -> Session:
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise Conflict("The session is cancelled.", code="session_cancelled")
    if ends_at <= starts_at:
        raise ServiceError("The end is not after the start.", field="ends_at")
    if starts_at <= timezone.now():
        raise ServiceError("A session can only be moved to a time in the future.", field="starts_at")
    if ends_at - starts_at > timedelta(hours=12):
        raise ServiceError("A session lasts at most 12 hours; use an event for longer.", field="ends_at")
    was = session.starts_at
    session.starts_at, session.ends_at, session.note = starts_at, ends_at, note
    if venue is not None:
        session.venue = venue
    session.save()
    record_event(
        actor=actor,
        instance=session,
        event="session.move",
        details={"from": was.isoformat(), "to": starts_at.isoformat()},
    )
    notify(
        recipients=_members_with_accounts(session.group_id),
        kind="session.moved",
        context=_session_context(session, was=local_text(was)),
        dedupe_key=f"session.moved:{session.pk}:{starts_at.isoformat()}",
        expires_at=ends_at,
    )
    schedule_session_reminders(session)
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session, note: str = "", tell: bool = True) -> Session:
    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    if session.group.organisation_id not in staff_project_ids(actor):
        raise NotFound()
    if session.status == Session.Status.CANCELLED:
        raise Conflict("The session is already cancelled.", code="session_cancelled")
    if session.ends_at <= timezone.now():
        raise Conflict("The session is over.", code="session_over")
    session.status, session.note = Session.Status.CANCELLED, note
    session.save()
    if not tell:
        return session
    short_notice = session.starts_at - timezone.now() <= SHORT_NOTICE
    notify(
        recipients=_members_with_accounts(session.group_id),
        kind="session.cancelled_short_notice" if short_notice else "session.cancelled",
        context=_session_context(session),
        dedupe_key=f"session.cancelled:{session.pk}",
        expires_at=session.ends_at,
    )
    return session


# --- The register and check-in --------------------------------------------------------


def _not_members_message(session: Session, case_ids: set[int]) -> str:
    """Names the project's own young carers; an id from elsewhere (or none) is only counted, never confirmed."""
    named = YoungCarer.objects.filter(pk__in=case_ids, organisation_id=session.group.organisation_id)
    names = sorted(f"{case.preferred_name or case.first_name} {case.last_name}" for case in named)
    others = len(case_ids) - len(names)
    if others:
        names.append(f"{others} young carer{'s' if others > 1 else ''} not in this project")
    return f"Not in this group at the time of the session: {', '.join(names)}."


@transaction.atomic
def register_submit(*, actor: User, session: Session, marks: list[dict[str, Any]]) -> list[Attendance]:
    """Marks for the whole group in one submit. Each member once; a later submit corrects earlier marks."""
    if session.status == Session.Status.CANCELLED:
        raise Conflict("The session was cancelled.", code="session_cancelled")
    if session.starts_at - timezone.now() > REGISTER_OPENS:
        raise ServiceError("The register opens an hour before the session starts.", code="register_not_open")
    case_ids = [mark["young_carer"] for mark in marks]
    if len(case_ids) != len(set(case_ids)):
        raise ServiceError("A young carer appears twice in the register.", field="marks")
    members = set(
        GroupMembership.objects.filter(group_id=session.group_id, case_id__in=case_ids)
        .filter(status__in=["active", "left"], joined_at__lte=session.ends_at)
        .exclude(ended_at__lt=session.starts_at)
        .values_list("case_id", flat=True)
    )
    strangers = set(case_ids) - members
    if strangers:
        raise ServiceError(_not_members_message(session, strangers), field="marks")
    now = timezone.now()
    rows = [
        Attendance(
            session=session,
            case_id=mark["young_carer"],
            status=mark["status"],
            source=Attendance.Source.REGISTER,
            recorded_by=actor,
            recorded_at=now,
        )
        for mark in marks
    ]
    existing = {
        a.case_id: a for a in Attendance.objects.select_for_update().filter(session=session, case_id__in=case_ids)
    }
    saved = []
    for row in rows:
        current = existing.get(row.case_id)
        if current is None:
            row.save()
            saved.append(row)
        elif (current.status, current.source) != (row.status, row.source):
            current.status, current.source, current.recorded_by, current.recorded_at = (
                row.status,
                row.source,
                actor,
                now,
            )
            current.save()
            saved.append(current)
        else:
            saved.append(current)
    return saved


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


@transaction.atomic
def check_in_code_issue(*, actor: User, session: Session) -> Session:
    """A short-lived code the facilitator shows at the venue."""
    if session.group.organisation_id not in staff_project_ids(actor):
        raise NotFound()
    now = timezone.now()
    if session.status == Session.Status.CANCELLED:
        raise Conflict("The session was cancelled.", code="session_cancelled")
    if not session.starts_at - CHECK_IN_OPENS <= now < session.ends_at:
        raise ServiceError(
            "Check-in codes can be made from 30 minutes before the start until the end.", code="check_in_closed"
        )
    session.check_in_code = _new_code()
    session.check_in_code_expires_at = min(now + CHECK_IN_CODE_TTL, session.ends_at)
    session.save(update_fields=["check_in_code", "check_in_code_expires_at", "updated_at"])
    return session


@transaction.atomic
def check_in(*, actor: User, code: str) -> Attendance:
    """A young carer at the venue types the code; one of their groups' sessions running now must match."""
    case = require_own_case(actor)
    now = timezone.now()
    candidates = Session.objects.filter(
        group__memberships__case=case,
        group__memberships__status=GroupMembership.Status.ACTIVE,
        status=Session.Status.SCHEDULED,
        check_in_code_expires_at__gt=now,
        check_in_code__gt="",
    )
    session = next((s for s in candidates if secrets.compare_digest(s.check_in_code, code)), None)
    if session is None:
        raise ServiceError("That code is not right or has run out. Ask for a new one.", code="bad_code", field="code")
    status = Attendance.Status.LATE if now > session.starts_at + LATE_AFTER else Attendance.Status.PRESENT
    existing = Attendance.objects.filter(session=session, case=case).first()
    if existing is not None:
        return existing  # checking in twice, or after the register: no double count
    return Attendance.objects.create(
        session=session, case=case, status=status, source=Attendance.Source.CHECK_IN, recorded_by=actor, recorded_at=now
    )
