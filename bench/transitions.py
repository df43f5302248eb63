"""Transitions at scale: 3,000 young carers aged 10-18 across 10 projects, 300 hand-overs to one adult service.

Measures the daily milestone job (first run, which marks every milestone reached so far, and a second run the same
day, which must find nothing to do), the at-risk list of a project with 300 young carers, adult services' inbox,
and the hand-over pack as JSON and as PDF, against the bare JsonResponse view on the same server in the same run.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from bench import common

CASES = 3_000
PROJECTS = 10
HANDOVERS = 300
BATCH = 2_000
N = 200
N_PDF = 10


def build(cast) -> dict[str, int]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from accounts.models import Organisation
    from cases.models import YoungCarer
    from transitions.models import Handover, Plan, State, Transition
    from transitions.road import add_working_days

    rng = random.Random(11)
    for user in (cast.priya, cast.grace):
        TOTP.activate(user, generate_totp_secret())
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
                key_worker=cast.priya if i % PROJECTS == 0 else None,
                date_of_birth=today - timedelta(days=rng.randint(10 * 365, 18 * 365 + 300)),
            )
            for i in range(CASES)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    oldest = sorted(cases, key=lambda case: case.date_of_birth)[: HANDOVERS * 2]
    transitions = Transition.objects.bulk_create(
        [
            Transition(case=case, state=State.HANDOVER_REFERRED, considered_at=now, significant_benefit=True)
            for case in oldest[:HANDOVERS]
        ]
        + [
            Transition(case=case, state=State.CONSIDERED, considered_at=now, significant_benefit=True)
            for case in oldest[HANDOVERS:]
        ],
        batch_size=BATCH,
    )
    referred = transitions[:HANDOVERS]
    Plan.objects.bulk_create(
        [
            Plan(
                transition=t,
                goals=["Finish college"],
                actions=[{"action": "Meet", "owner": "Priya", "due": today.isoformat()}],
                agreed_at=now,
            )
            for t in referred
        ],
        batch_size=BATCH,
    )
    Handover.objects.bulk_create(
        [
            Handover(
                transition=t,
                organisation=cast.adult_services,
                basis=Handover.Basis.BEST_INTERESTS,
                basis_note="Meeting on file.",
                referred_at=now,
                respond_by=add_working_days(today, 10),
            )
            for t in referred
        ],
        batch_size=BATCH,
    )
    return {
        "young_carers": YoungCarer.objects.count(),
        "transitions": Transition.objects.count(),
        "handovers": HANDOVERS,
    }


def timed_job() -> tuple[float, int]:
    from transitions.services import milestones_mark

    started = time.perf_counter()
    marked = milestones_mark()
    return round(time.perf_counter() - started, 2), marked


def main() -> None:
    env = common.bench_env()
    common.setup_django(env)
    from backend.demo import build_cast
    from transitions.models import Handover

    cast = build_cast()
    started = time.perf_counter()
    rows = build(cast)
    built_s = round(time.perf_counter() - started, 1)
    first_s, first_marked = timed_job()
    again_s, again_marked = timed_job()
    handover = Handover.objects.filter(transition__case__organisation=cast.riverside).first()
    assert handover is not None
    worker = {"X-Session-Token": common.session_token(cast.priya)}
    adult = {"X-Session-Token": common.session_token(cast.grace)}
    with common.server(env) as base:
        figures = {
            "rows": rows,
            "data_build_s": built_s,
            "milestone_job_first_run": {"seconds": first_s, "milestones_marked": first_marked},
            "milestone_job_second_run": {"seconds": again_s, "milestones_marked": again_marked},
            "bare": common.latency(base + "/bench/bare/", N),
            "at_risk_list_project_of_300": common.latency(base + "/api/v1/transitions/at-risk/", N, headers=worker),
            "adult_services_inbox_page": common.latency(base + "/api/v1/handovers/?status=pending", N, headers=adult),
            "handover_pack_json": common.latency(base + f"/api/v1/handovers/{handover.pk}/pack/", N, headers=adult),
            "handover_pack_pdf": common.latency(
                base + f"/api/v1/handovers/{handover.pk}/pack.pdf", N_PDF, headers=adult, warmup=2
            ),
        }
    common.emit("transitions", figures)


if __name__ == "__main__":
    main()
