"""Check-ins, the caseload view and alert delivery at scale.

5,000 young carers (60 on Priya's caseload) and 100,000 check-ins over 30 days. Measures:
* submitting a check-in (POST /api/v1/checkins/, Sam's phone) p50/p95;
* the key worker's caseload view (GET /api/v1/checkins/caseload/) p50/p95;
* an alert's commit -> the key worker's WebSocket receiving ``alert.raised`` (p50/p99), with the
  Redis channel layer: the alert is written by this process (standing in for a worker process),
  the socket is held by the daphne server process, and the event crosses Redis between them.

Run: ``python -m bench.wellbeing_alerts`` (SQLite by default; DATABASE_URL for PostgreSQL). Needs Redis at
REDIS_URL (default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import queue
import random
import secrets
import struct
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx

from bench import common

CASES = 5_000
CASELOAD = 60
CHECKINS = 100_000
N_REQUESTS = 200
N_ALERTS = 100


def build_data() -> dict[str, Any]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from api.wellbeing.models import CheckIn, MoodTag
    from backend.demo import build_cast
    from cases.models import YoungCarer

    cast = build_cast()
    if not Authenticator.objects.filter(user=cast.priya).exists():
        TOTP.activate(cast.priya, generate_totp_secret())
    MoodTag.objects.get_or_create(organisation=cast.riverside, code="school", defaults={"label": "School"})
    born = cast.sam_case.date_of_birth
    have = YoungCarer.objects.count()
    YoungCarer.objects.bulk_create(
        [
            YoungCarer(
                organisation=cast.riverside,
                first_name=f"Young{n}",
                last_name=f"Person{n}",
                date_of_birth=born,
                status="active",
                key_worker=cast.priya if n < CASELOAD - 3 else None,
            )
            for n in range(CASES - have)
        ],
        batch_size=1000,
    )
    case_ids = list(YoungCarer.objects.values_list("pk", flat=True))
    now = timezone.now()
    rng = random.Random(7)
    batch: list[CheckIn] = []
    for _ in range(CHECKINS):
        at = now - timedelta(minutes=rng.randint(10, 30 * 24 * 60))
        batch.append(
            CheckIn(
                id=uuid.uuid4(),
                case_id=rng.choice(case_ids),
                mood=rng.choice((2, 3, 3, 4, 4, 5)),
                tags=[],
                recorded_at=at,
                received_at=at,
            )
        )
        if len(batch) == 5000:
            CheckIn.objects.bulk_create(batch)
            batch = []
    return {"cast": cast, "sam": common.session_token(cast.sam), "priya": common.session_token(cast.priya)}


def submit_checkins(base: str, token: str, n: int) -> dict[str, float]:
    from django.utils import timezone

    samples = []
    with httpx.Client(headers={"X-Session-Token": token}, timeout=30) as client:
        for index in range(n + 10):
            body = {"id": str(uuid.uuid4()), "mood": 4, "tags": ["school"], "recorded_at": timezone.now().isoformat()}
            started = time.perf_counter()
            response = client.post(base + "/api/v1/checkins/", json=body)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 201:
                raise RuntimeError(f"check-in answered {response.status_code}: {response.text[:300]}")
            if index >= 10:
                samples.append(elapsed)
    return common.percentiles(samples)


# --- a minimal WebSocket client (RFC 6455, text frames from the server only) --------------------


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readexactly(2)
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", await reader.readexactly(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", await reader.readexactly(8))[0]
    return opcode, await reader.readexactly(length)


async def _listen(
    port: int,
    token: str,
    received: queue.Queue[tuple[float, dict[str, Any]]],
    ready: threading.Event,
    stop: threading.Event,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    writer.write(
        (
            f"GET /ws/v1/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Session-Token: {token}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    status = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in status.split(b"\r\n")[0]:
        raise RuntimeError(f"websocket refused: {status[:200]!r}")
    ready.set()
    while not stop.is_set():
        try:
            opcode, payload = await asyncio.wait_for(_read_frame(reader), timeout=0.5)
        except TimeoutError:
            continue
        if opcode == 1:
            received.put((time.perf_counter(), json.loads(payload)))
    writer.close()


def alert_latency(port: int, token: str, cast: Any, n: int) -> dict[str, float]:
    from django.db import transaction

    from api.wellbeing.services import help_request

    received: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=lambda: asyncio.run(_listen(port, token, received, ready, stop)), daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("websocket did not connect")
    samples = []
    for _ in range(n + 5):
        committed: list[float] = []
        with transaction.atomic():

            def stamp(stamps: list[float] = committed) -> None:
                stamps.append(time.perf_counter())

            transaction.on_commit(stamp)
            outcome = help_request(actor=cast.alex, case=cast.alex_case, request_id=uuid.uuid4())
        assert outcome.alert is not None
        while True:
            at, message = received.get(timeout=10)
            if message.get("event") == "alert.raised" and message["data"]["id"] == outcome.alert.pk:
                break
        samples.append((at - committed[0]) * 1000)
    stop.set()
    thread.join(5)
    return common.percentiles(samples[5:])


def main() -> None:
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    env = common.bench_env(REDIS_URL=redis_url, CHANNEL_PREFIX=f"bench{secrets.token_hex(3)}")
    common.setup_django(env)
    started = time.perf_counter()
    data = build_data()
    build_s = round(time.perf_counter() - started, 1)
    with common.server(env) as base:
        port = int(base.rsplit(":", 1)[1])
        bare = common.latency(base + "/bench/bare/", N_REQUESTS)
        checkin = submit_checkins(base, data["sam"], N_REQUESTS)
        caseload = common.latency(
            base + "/api/v1/checkins/caseload/", N_REQUESTS, headers={"X-Session-Token": data["priya"]}
        )
        live = alert_latency(port, data["priya"], data["cast"], N_ALERTS)
    from django.db import connection

    common.emit(
        "wellbeing_alerts",
        {
            "database": connection.vendor,
            "young_carers": CASES,
            "caseload": CASELOAD,
            "checkins": CHECKINS,
            "data_build_s": build_s,
            "bare_view": bare,
            "checkin_submit": checkin,
            "caseload_view": caseload,
            "alert_commit_to_websocket": live,
        },
    )


if __name__ == "__main__":
    main()
