"""The schools register import, the triage queue and a school's referral list at scale.

* Import of a generated 25,000-row GIAS establishments CSV (Windows-1252, as DfE ships it), in rows per second,
  then the same file again (the idempotent no-change pass).
* 500 schools served by Riverside and 20,000 referrals across them (about 12% still open).
* p50/p95 of Priya's triage queue (GET /api/v1/referrals/queue/) and of Mr Khan's referral list
  (GET /api/v1/referrals/, Northgate's ~40) against the bare JsonResponse view in the same run.

Run: ``python -m bench.schools_referrals`` (SQLite by default; DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import common

IMPORT_ROWS = 25_000
SCHOOLS = 500
REFERRALS = 20_000
N_REQUESTS = 200
PHASES = ["Primary", "Secondary", "16 plus", "All-through", "Nursery", "Not applicable", "Middle deemed secondary"]
TYPES = ["Community school", "Academy converter", "Voluntary aided school", "Foundation special school", "Free schools"]
LAS = ["Riverside", "Eastbank", "Northmoor", "Southwick", "Westfold", "Brent Vale", "Ynys Môn"]


def generate_csv(path: Path, rows: int) -> None:
    from schools.gias import COLUMNS

    rng = random.Random(6)
    lines = [",".join(COLUMNS.values())]
    for n in range(rows):
        urn = 200_000 + n
        area = f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.randint(1, 99)}"
        postcode = f"{area} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        name = f"{rng.choice(['St Mary’s', 'Oakfield', 'Brookside', 'Hillcrest', 'Café Lane', 'Greenway'])} School {n}"
        status = "Closed" if n % 9 == 0 else "Open"
        lines.append(f'{urn},"{name}",{rng.choice(TYPES)},{rng.choice(PHASES)},{rng.choice(LAS)},{postcode},{status}')
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))


def time_import(path: Path) -> dict[str, Any]:
    from schools import gias

    started = time.perf_counter()
    result = gias.import_rows(gias.parse(gias.decode(path.read_bytes())))
    seconds = time.perf_counter() - started
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": len(result.errors),
        "seconds": round(seconds, 2),
        "rows_per_second": round(result.rows / seconds),
    }


def build_data() -> dict[str, Any]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from accounts.models import Organisation
    from backend.demo import build_cast
    from schools import demo
    from schools.models import Referral, SchoolProject
    from schools.workdays import due_after

    cast = build_cast()
    demo.load(cast)
    for user in (cast.priya, cast.khan):
        if not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, generate_totp_secret())
    extra = list(Organisation.objects.filter(kind="school", urn__gte="200000").order_by("urn")[: SCHOOLS - 3])
    SchoolProject.objects.bulk_create(
        [
            SchoolProject(school=school, project=cast.riverside, status=SchoolProject.Status.ACCEPTED)
            for school in extra
        ],
        ignore_conflicts=True,
    )
    schools = [cast.northgate, cast.st_annes, cast.hillside, *extra]
    rng = random.Random(20)
    now = timezone.now()
    statuses = ["submitted"] * 8 + ["acknowledged"] * 4 + ["accepted"] * 60 + ["signposted"] * 15 + ["declined"] * 13
    batch = []
    for n in range(REFERRALS):
        submitted = now - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        status = rng.choice(statuses)
        batch.append(
            Referral(
                school=schools[n % SCHOOLS],
                project=cast.riverside,
                referred_by=cast.khan,
                status=status,
                first_name=f"Pupil{n}",
                last_name=rng.choice(["Smith", "Jones", "Khan", "Evans", "Nowak"]),
                date_of_birth=now.date() - timedelta(days=rng.randint(6 * 365, 17 * 365)),
                year_group=rng.randint(1, 12),
                cared_for="Mum",
                relationship="parent",
                condition_category="mental_health",
                caring_tasks=["domestic"],
                pupil_knows_and_agrees=True,
                parent_knows_and_agrees=True,
                parent_name="Parent",
                parent_relationship="mother",
                safeguarding_concern=False,
                submitted_at=submitted,
                acknowledge_due_at=due_after(submitted, 2),
                acknowledged_at=submitted + timedelta(hours=20) if status != "submitted" else None,
            )
        )
    Referral.objects.bulk_create(batch, batch_size=1000)
    open_count = Referral.objects.filter(status__in=Referral.OPEN).count()
    northgate = Referral.objects.filter(school=cast.northgate).count()
    return {
        "priya": common.session_token(cast.priya),
        "khan": common.session_token(cast.khan),
        "open": open_count,
        "northgate": northgate,
    }


def main() -> None:
    env = common.bench_env()
    common.setup_django(env)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "edubasealldata.csv"
        generate_csv(csv_path, IMPORT_ROWS)
        first = time_import(csv_path)
        again = time_import(csv_path)
    data = build_data()
    with common.server(env) as base:
        bare = common.latency(base + "/bench/bare/", N_REQUESTS)
        queue = common.latency(
            base + "/api/v1/referrals/queue/", N_REQUESTS, headers={"X-Session-Token": data["priya"]}
        )
        school_list = common.latency(base + "/api/v1/referrals/", N_REQUESTS, headers={"X-Session-Token": data["khan"]})
    common.emit(
        "schools_referrals",
        {
            "database": "postgresql" if "DATABASE_URL" in env else "sqlite",
            "import_rows": first["rows"],
            "import_rows_per_second": first["rows_per_second"],
            "import_seconds": first["seconds"],
            "reimport_rows_per_second": again["rows_per_second"],
            "reimport_unchanged": again["unchanged"],
            "schools_served": SCHOOLS,
            "referrals": REFERRALS,
            "open_referrals": data["open"],
            "northgate_referrals": data["northgate"],
            "bare_p50_ms": bare["p50_ms"],
            "bare_p95_ms": bare["p95_ms"],
            "triage_queue_p50_ms": queue["p50_ms"],
            "triage_queue_p95_ms": queue["p95_ms"],
            "school_list_p50_ms": school_list["p50_ms"],
            "school_list_p95_ms": school_list["p95_ms"],
        },
    )


if __name__ == "__main__":
    main()
