"""Peer groups at scale: 1,000 groups, 50,000 sessions, 200,000 attendance rows.

Measures a young carer's upcoming sessions and events and a worker's group list against the bare
JsonResponse view on the same server in the same run. Data is bulk-created in batches.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from datetime import time as clock

from bench import common

GROUPS = 1_000
SESSIONS_PER_GROUP = 50  # 50,000 sessions
MEMBERS_PER_GROUP = 4  # 4 marks per session: 200,000 attendance rows
PROJECTS = 10
EVENTS = 500
BATCH = 5_000
N = 200


def build(cast) -> dict[str, int]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from accounts.models import Organisation
    from api.peer.models import Booking, Event, GroupMembership, PeerGroup, Session
    from cases.models import YoungCarer

    rng = random.Random(7)
    TOTP.activate(cast.priya, generate_totp_secret())
    projects = [cast.riverside] + Organisation.objects.bulk_create(
        [Organisation(name=f"Project {i}", kind=Organisation.Kind.PROJECT) for i in range(PROJECTS - 1)]
    )
    today = timezone.localdate()
    cases = YoungCarer.objects.bulk_create(
        [
            YoungCarer(
                organisation=projects[i % PROJECTS],
                first_name=f"Young{i}",
                last_name="Person",
                status="active",
                date_of_birth=date(today.year - rng.randint(9, 17), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for i in range(GROUPS * MEMBERS_PER_GROUP)
        ],
        batch_size=BATCH,
    )
    groups = PeerGroup.objects.bulk_create(
        [
            PeerGroup(
                organisation=projects[i % PROJECTS],
                name=f"Group {i:04d}",
                min_age=8,
                max_age=17,
                venue="Hall",
                recurrence="FREQ=WEEKLY;BYDAY=TU",
                starts_on=today - timedelta(weeks=38),
                start_time=clock(16, 30),
                end_time=clock(18, 0),
            )
            for i in range(GROUPS)
        ],
        batch_size=BATCH,
    )
    riverside_groups = [g for g in groups if g.organisation_id == cast.riverside.pk]
    for group in riverside_groups:
        group.facilitators.add(cast.priya)
    now = timezone.now()
    memberships = []
    by_project: dict[int, list] = {}
    for case in cases:
        by_project.setdefault(case.organisation_id, []).append(case)
    for index, group in enumerate(groups):
        pool = by_project[group.organisation_id]
        for k in range(MEMBERS_PER_GROUP):
            memberships.append(
                GroupMembership(
                    group=group,
                    case=pool[(index // PROJECTS * MEMBERS_PER_GROUP + k) % len(pool)],
                    status="active",
                    joined_at=now - timedelta(weeks=40),
                )
            )
    for group in riverside_groups[:3]:
        memberships.append(
            GroupMembership(group=group, case=cast.sam_case, status="active", joined_at=now - timedelta(weeks=40))
        )
    GroupMembership.objects.bulk_create(memberships, batch_size=BATCH)
    members: dict[int, list[int]] = {}
    for membership in memberships:
        members.setdefault(membership.group_id, []).append(membership.case_id)

    first = now - timedelta(weeks=SESSIONS_PER_GROUP - 12)
    sessions = []
    for group in groups:
        for week in range(SESSIONS_PER_GROUP):
            start = first + timedelta(weeks=week, minutes=group.pk % 60)
            sessions.append(
                Session(group=group, occurrence=start, starts_at=start, ends_at=start + timedelta(minutes=90))
            )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    # Four marks per session for the regular members, written by the database in one statement.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO peer_attendance (session_id, case_id, status, source, recorded_at)
            SELECT s.id, m.case_id,
                   CASE (s.id + m.case_id) % 6 WHEN 3 THEN 'late' WHEN 4 THEN 'absent' WHEN 5 THEN 'excused'
                        ELSE 'present' END,
                   'register', s.ends_at
            FROM peer_session s JOIN peer_groupmembership m ON m.group_id = s.group_id
            WHERE m.case_id <> %s
            """,
            [cast.sam_case.pk],
        )
        total = cursor.rowcount

    events = Event.objects.bulk_create(
        [
            Event(
                organisation=projects[i % PROJECTS],
                kind="trip",
                title=f"Trip {i}",
                capacity=20,
                min_age=8,
                max_age=17,
                starts_at=now + timedelta(days=i % 120, hours=1),
                ends_at=now + timedelta(days=i % 120, hours=6),
            )
            for i in range(EVENTS)
        ]
    )
    Booking.objects.bulk_create(
        [
            Booking(event=event, case=by_project[event.organisation_id][k], status="confirmed")
            for event in events
            for k in range(10)
        ]
        + [
            Booking(event=e, case=cast.sam_case, status="confirmed")
            for e in events
            if e.organisation_id == cast.riverside.pk
        ][:5],
        batch_size=BATCH,
    )
    return {
        "groups": PeerGroup.objects.count(),
        "sessions": Session.objects.count(),
        "attendance": total,
        "events": Event.objects.count(),
        "bookings": Booking.objects.count(),
    }


def main() -> None:
    env = common.bench_env()
    common.setup_django(env)
    from backend.demo import build_cast

    cast = build_cast()
    started = time.perf_counter()
    rows = build(cast)
    built_s = round(time.perf_counter() - started, 1)
    young_carer = {"X-Session-Token": common.session_token(cast.sam)}
    worker = {"X-Session-Token": common.session_token(cast.priya)}
    with common.server(env) as base:
        figures = {
            "rows": rows,
            "data_build_s": built_s,
            "bare": common.latency(base + "/bench/bare/", N),
            "young_carer_upcoming_sessions": common.latency(
                base + "/api/v1/sessions/?upcoming=true", N, headers=young_carer
            ),
            "young_carer_upcoming_events": common.latency(
                base + "/api/v1/events/?upcoming=true", N, headers=young_carer
            ),
            "worker_group_list": common.latency(base + "/api/v1/groups/", N, headers=worker),
        }
    common.emit("peer_groups", figures)


if __name__ == "__main__":
    main()
