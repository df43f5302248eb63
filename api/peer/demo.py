"""Demo data for peer groups: Riverside's three groups with sessions and a register, and three events.

Sam (15) has a place at the carers day (his mum said yes through the emailed link) and is on the waiting list
for the climbing day, where Alex (17) has the only place; Jo (10) has a place held on the residential break
while her mum's answer is awaited. Safe to run again: everything is found by name first.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from api.peer import bookings, services
from api.peer.models import Attendance, Booking, Event, PeerGroup, Session
from api.peer.schedule import LONDON
from backend.demo import Cast
from cases.models import YoungCarer


def _group(cast: Cast, name: str, **fields: Any) -> PeerGroup:
    existing = PeerGroup.objects.filter(organisation=cast.riverside, name=name).first()
    if existing is not None:
        return existing
    return services.group_create(
        actor=cast.priya, organisation=cast.riverside, name=name, facilitators=[cast.priya], **fields
    )


def _member(cast: Cast, group: PeerGroup, case: YoungCarer) -> None:
    if not group.memberships.filter(case=case, status="active").exists():
        services.member_add(actor=cast.priya, group=group, case=case)


def _event(cast: Cast, title: str, days_ahead: int, hours: int, **fields: Any) -> Event:
    existing = Event.objects.filter(organisation=cast.riverside, title=title).first()
    if existing is not None:
        return existing
    day = timezone.localdate() + timedelta(days=days_ahead)
    starts_at = datetime.combine(day, time(10, 0), LONDON)
    return bookings.event_create(
        actor=cast.priya,
        organisation=cast.riverside,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **fields,
    )


def _book(cast: Cast, event: Event, case: YoungCarer, parent: tuple[str, str] = ("", "")) -> Booking:
    existing = event.bookings.filter(case=case).first()
    if existing is not None:
        return existing
    return bookings.booking_create(
        actor=cast.priya, event=event, case=case, parent_name=parent[0], parent_email=parent[1]
    )


def _last_term_start() -> date:
    return timezone.localdate() - timedelta(weeks=3)


def _register_last_session(cast: Cast, group: PeerGroup, marks: dict[int, str]) -> None:
    last = (
        group.sessions.filter(ends_at__lt=timezone.now(), status=Session.Status.SCHEDULED)
        .order_by("-starts_at")
        .first()
    )
    if last is None or Attendance.objects.filter(session=last).exists():
        return
    rows = [{"young_carer": case_id, "status": status} for case_id, status in marks.items()]
    services.register_submit(actor=cast.priya, session=last, marks=rows)


@transaction.atomic
def _load(cast: Cast) -> None:
    start = _last_term_start()
    half_term = start + timedelta(weeks=7)
    common = {
        "starts_on": start,
        "venue": "Riverside Youth Centre, 12 Mill Lane",
        "transport_offered": True,
        "accessibility": "Step-free entrance, accessible toilet, a quiet room on request.",
    }
    juniors = _group(
        cast,
        "Tuesday Juniors",
        description="Games, crafts and a snack for 8 to 11s.",
        min_age=8,
        max_age=11,
        capacity=12,
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        exception_dates=[half_term + timedelta(days=(1 - half_term.weekday()) % 7)],
        start_time=time(16, 30),
        end_time=time(18, 0),
        **common,
    )
    teens = _group(
        cast,
        "Thursday Teens",
        description="Time out, talk and activities for 12 to 17s.",
        min_age=12,
        max_age=17,
        capacity=15,
        recurrence="FREQ=WEEKLY;BYDAY=TH",
        start_time=time(16, 30),
        end_time=time(18, 0),
        **common,
    )
    young_adults = _group(
        cast,
        "Young Adult Carers Evening",
        description="For 16 to 25s: peer support, college and work.",
        min_age=16,
        max_age=25,
        recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        start_time=time(18, 0),
        end_time=time(19, 30),
        **common,
    )
    for group in (juniors, teens, young_adults):
        services.expand_group(group=group, since=datetime.combine(start, time.min, LONDON))
    for group, case in ((juniors, cast.jo_case), (teens, cast.sam_case), (young_adults, cast.alex_case)):
        _member(cast, group, case)
        # They have been coming since the start of term.
        group.memberships.filter(case=case, status="active").update(joined_at=datetime.combine(start, time.min, LONDON))
    _register_last_session(cast, teens, {cast.sam_case.pk: Attendance.Status.PRESENT})
    _register_last_session(cast, juniors, {cast.jo_case.pk: Attendance.Status.LATE})

    carers_day = _event(
        cast,
        "Riverside Carers Day",
        21,
        6,
        kind=Event.Kind.CARERS_DAY,
        capacity=40,
        min_age=8,
        max_age=25,
        place="Riverside Park Pavilion",
        what_to_bring="A packed lunch and a coat.",
    )
    climbing = _event(
        cast,
        "Climbing Wall Day",
        28,
        5,
        kind=Event.Kind.TRIP,
        capacity=1,
        min_age=12,
        max_age=18,
        place="Edge Climbing Centre",
        what_to_bring="Trainers and water.",
        cost_pence=500,
    )
    residential = _event(
        cast,
        "Summer Residential Break",
        45,
        48,
        kind=Event.Kind.RESIDENTIAL,
        capacity=20,
        min_age=8,
        max_age=17,
        place="Lakeside Outdoor Centre",
        what_to_bring="Sleeping bag, wellies, torch.",
    )

    sams_day = _book(cast, carers_day, cast.sam_case, ("Lisa Green", "lisa.green@demo.example"))
    if sams_day.status == Booking.Status.AWAITING_CONSENT:
        sams_day.refresh_from_db()
        bookings.consent_answer(
            token=bookings.consent_token(sams_day), given=True, parent_name="Lisa Green", relationship="mother"
        )
    _book(cast, climbing, cast.alex_case)
    _book(cast, climbing, cast.sam_case, ("Lisa Green", "lisa.green@demo.example"))
    _book(cast, residential, cast.jo_case, ("Karen Taylor", "karen.taylor@demo.example"))


def load(cast: Cast) -> None:
    # The demo acts as Priya, who may not have set up her authenticator yet on a fresh demo database.
    with override_settings(DEMO_RELAX_MFA=True):
        _load(cast)
