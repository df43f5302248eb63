"""One notification fanned out to 10,000 devices against the fake FCM server, in deliveries per second.

Measured in the same run, against the same fake server (running in its own process):

* pipeline: ``notify()`` to 10,000 people (one device each) - inbox items, deliveries, tasks written -
  then the delivery tasks run (batches of 500 through firebase-admin's ``send_each_async``), every
  attempt recorded. Reported end to end and for the sending phase alone.
* naive: firebase-admin's synchronous ``messaging.send()``, one message at a time (a sample).
* raw HTTP/2: httpx posting the same FCM v1 requests straight to the fake server over HTTP/2
  (prior knowledge), 100 streams in flight: the practical limit of the client side on this machine.
  The raw HTTP/1.1 pool (what firebase-admin's client speaks to a plain http:// endpoint) is shown too.

    python -m bench.notifications_fanout [--devices 10000] [--naive 200] [--raw 3000] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from typing import Any

import httpx

from bench.common import ROOT, bench_env, setup_django

PROJECT = "demo-project"


def _start_fake_fcm(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.fcm_server", "0", str(latency_ms / 1000)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _stats(url: str) -> dict[str, int]:
    return httpx.get(f"{url}/_stats").json()


def _reset(url: str) -> None:
    httpx.post(f"{url}/_reset")


def _make_people(count: int) -> Any:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Device

    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"fanout{i}@bench.example", password=password) for i in range(count)], batch_size=2000
    )
    people = User.objects.filter(email__endswith="@bench.example")
    now = timezone.now()
    Device.objects.bulk_create(
        [
            Device(user_id=pk, token=f"bench-{pk}", platform="android", last_seen_at=now)
            for pk in people.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    return people


def _pipeline(url: str, people: Any, count: int) -> dict[str, float]:
    from django.db import transaction

    from core.tasks import run_ready_tasks
    from notifications.models import Delivery
    from notifications.services import notify

    started = time.perf_counter()
    with transaction.atomic():
        notify(
            recipients=people, kind="message.from_worker", context={"sender_name": "Priya", "preview": "Group is on"}
        )
    written = time.perf_counter()
    run_ready_tasks(limit=10_000)
    finished = time.perf_counter()
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert sent == count, f"only {sent} of {count} delivered"
    assert _stats(url)["delivered"] == count
    return {
        "write_s": round(written - started, 2),
        "send_s": round(finished - written, 2),
        "total_s": round(finished - started, 2),
        "deliveries_per_s": round(count / (finished - started), 1),
        "send_deliveries_per_s": round(count / (finished - written), 1),
    }


def _naive(url: str, sample: int) -> dict[str, float]:
    from firebase_admin import messaging

    from notifications.transports.fcm import FcmTransport

    transport = FcmTransport.from_settings()
    started = time.perf_counter()
    for i in range(sample):
        message = messaging.Message(
            fid=f"naive-{i}",
            notification=messaging.Notification(title="You have a new update", body="Open the app to see it."),
        )
        messaging.send(message, app=transport.app)
    elapsed = time.perf_counter() - started
    return {"messages": sample, "seconds": round(elapsed, 2), "deliveries_per_s": round(sample / elapsed, 1)}


async def _raw(url: str, count: int, *, http2: bool, in_flight: int = 100) -> dict[str, float]:
    headers = {"authorization": "Bearer " + await _token(url)}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(http1=not http2, http2=http2, headers=headers, limits=limits, timeout=60) as client:
        gate = asyncio.Semaphore(in_flight)

        async def one(i: int) -> int:
            body = {
                "message": {
                    "fid": f"raw-{i}",
                    "notification": {"title": "You have a new update", "body": "Open the app."},
                }
            }
            async with gate:
                response = await client.post(f"{url}/v1/projects/{PROJECT}/messages:send", json=body)
                return response.status_code

        started = time.perf_counter()
        statuses = await asyncio.gather(*(one(i) for i in range(count)))
        elapsed = time.perf_counter() - started
    assert set(statuses) == {200}, set(statuses)
    return {"messages": count, "seconds": round(elapsed, 2), "deliveries_per_s": round(count / elapsed, 1)}


async def _token(url: str) -> str:
    async with httpx.AsyncClient() as client:
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "bench"}
        return str((await client.post(f"{url}/token", data=form)).json()["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=200, help="messages in the one-at-a-time sample")
    parser.add_argument("--raw", type=int, default=3_000, help="messages in each raw-client sample")
    parser.add_argument("--latency-ms", type=int, default=50, help="the fake server's answer time (an FCM round trip)")
    args = parser.parse_args()

    fcm, url = _start_fake_fcm(args.latency_ms)
    try:
        from tests.fakes.fcm_server import service_account_json

        env = bench_env(PUSH_TRANSPORT="fcm", FCM_CREDENTIALS=service_account_json(url, PROJECT), FCM_ENDPOINT=url)
        setup_django(env)
        import logging

        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        people = _make_people(args.devices)
        print(f"fake FCM at {url} answering in {args.latency_ms} ms; {args.devices} people with one device each")

        pipeline = _pipeline(url, people, args.devices)
        print(f"pipeline: {pipeline}")
        _reset(url)
        naive = _naive(url, args.naive)
        print(f"naive one-at-a-time: {naive}")
        raw_h2 = asyncio.run(_raw(url, args.raw, http2=True))
        print(f"raw HTTP/2 client: {raw_h2}")
        raw_h1 = asyncio.run(_raw(url, args.raw, http2=False))
        print(f"raw HTTP/1.1 pool: {raw_h1}")
    finally:
        fcm.kill()
    result = {
        "bench": "notifications_fanout",
        "devices": args.devices,
        "fake_fcm_latency_ms": args.latency_ms,
        "pipeline_write_s": pipeline["write_s"],
        "pipeline_deliveries_per_s": pipeline["deliveries_per_s"],
        "pipeline_send_deliveries_per_s": pipeline["send_deliveries_per_s"],
        "pipeline_total_s": pipeline["total_s"],
        "naive_deliveries_per_s": naive["deliveries_per_s"],
        "raw_http2_deliveries_per_s": raw_h2["deliveries_per_s"],
        "raw_http1_deliveries_per_s": raw_h1["deliveries_per_s"],
        "pipeline_vs_raw_http2": round(pipeline["deliveries_per_s"] / raw_h2["deliveries_per_s"], 2),
        "pipeline_vs_naive": round(pipeline["deliveries_per_s"] / naive["deliveries_per_s"], 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
