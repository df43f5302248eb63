"""Firebase Cloud Messaging through firebase-admin 7's async HTTP/2 client (``messaging.send_each_async``).

One event loop thread per process owns the HTTP client, so connections and the
OAuth token are reused across batches. firebase-admin's own retries are switched
off: the delivery pipeline retries per message (``Outcome.RETRY``), honouring
Retry-After, and records every attempt.

``settings.FCM_ENDPOINT`` points the send URL at another base (the fake server in
tests and benchmarks); the OAuth token URL comes from the service account's
``token_uri``.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import threading
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import firebase_admin
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from firebase_admin import _http_client, credentials, exceptions, messaging
from firebase_admin._retry import HttpxRetry, HttpxRetryTransport

from notifications.transports.base import Outcome, PushMessage, PushResult

T = TypeVar("T")

MAX_PER_CALL = 500  # FCM's limit for one send_each call
# Messages handed to one send_each_async call: as many as the pool has connections, so no request
# queues inside httpx (whose pool scans its queue on every event) while the pool is saturated.
PER_CALL = 100
RETRY_STATUSES = {429, 500, 503}
DEAD_TOKEN_CODES = {"UNREGISTERED", "SENDER_ID_MISMATCH"}
TIMEOUT_SECONDS = 30
# FCM multiplexes up to 100 streams on one HTTP/2 connection; over HTTP/1.1 (a plain http:// endpoint) each
# connection carries one request at a time. Keep every pooled connection alive either way.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


class _LoopThread:
    """A daemon thread running one event loop; sync code submits coroutines to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fcm-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


_loop: _LoopThread | None = None
_loop_lock = threading.Lock()
_apps: dict[str, firebase_admin.App] = {}
# Per app: milliseconds each in-flight request took, by device token. The app's response hook writes here
# and the transport pops its messages' entries after each call; every instance for one app shares the map.
_latencies: dict[str, dict[str, int]] = {}


def _shared_loop() -> _LoopThread:
    global _loop
    with _loop_lock:
        if _loop is None:
            _loop = _LoopThread()
        return _loop


def service_account_info(raw: str) -> dict[str, Any]:
    try:
        info = json.loads(raw)
    except ValueError:
        raise ImproperlyConfigured(
            "FCM_CREDENTIALS is not valid JSON (give the service account JSON or FCM_CREDENTIALS_FILE)"
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ImproperlyConfigured('FCM_CREDENTIALS must be a service account JSON ("type": "service_account")')
    return info


class FcmTransport:
    def __init__(self, *, credentials_json: str, project_id: str = "", endpoint: str = "") -> None:
        info = service_account_info(credentials_json)
        self.project_id = project_id or str(info.get("project_id", ""))
        if not self.project_id:
            raise ImproperlyConfigured("FCM_PROJECT_ID is not set and the service account names no project_id")
        self.endpoint = endpoint.rstrip("/")
        key = hashlib.sha256(f"{credentials_json}|{self.project_id}|{self.endpoint}".encode()).hexdigest()[:16]
        self._latency = _latencies.setdefault(key, {})
        self.app = _apps.get(key) or self._make_app(key, info)
        _apps[key] = self.app

    @classmethod
    def from_settings(cls) -> FcmTransport:
        if not settings.FCM_CREDENTIALS:
            raise ImproperlyConfigured(
                "PUSH_TRANSPORT is 'fcm' but FCM_CREDENTIALS (or FCM_CREDENTIALS_FILE) is not set"
            )
        return cls(
            credentials_json=settings.FCM_CREDENTIALS,
            project_id=settings.FCM_PROJECT_ID,
            endpoint=settings.FCM_ENDPOINT,
        )

    def _make_app(self, key: str, info: dict[str, Any]) -> firebase_admin.App:
        app = firebase_admin.initialize_app(
            credentials.Certificate(info),
            {"projectId": self.project_id, "httpTimeout": TIMEOUT_SECONDS},
            name=f"push-{key}",
        )
        # Seed the app's messaging service with one that sends to our endpoint and leaves retries to us.
        app._get_service("_messaging", self._make_service)
        return app

    def _make_service(self, app: firebase_admin.App) -> Any:
        service = messaging._MessagingService(app)
        if self.endpoint:
            service._fcm_url = f"{self.endpoint}/v1/projects/{self.project_id}/messages:send"
        client = _http_client.HttpxAsyncClient(
            credential=service._credential, timeout=TIMEOUT_SECONDS, retry_config=HttpxRetry(max_retries=0)
        )
        # The same client, with keep-alive for every pooled connection (httpx keeps only 20 by default, so a
        # 500-message fan-out would reconnect for most sends) and our per-request clock.
        no_retry = HttpxRetry(max_retries=0)
        client._async_client = httpx.AsyncClient(
            http2=True,
            timeout=TIMEOUT_SECONDS,
            headers=client._headers,
            auth=_http_client.GoogleAuthCredentialFlow(service._credential),
            mounts={
                # FCM speaks HTTP/2 over TLS (negotiated by ALPN); a plain http:// endpoint (the fake server)
                # is spoken to in HTTP/2 with prior knowledge, so tests and benchmarks take the same path.
                "https://": HttpxRetryTransport(retry=no_retry, limits=POOL_LIMITS),
                "http://": HttpxRetryTransport(retry=no_retry, limits=POOL_LIMITS, http1=False),
            },
            event_hooks={"request": [_start_clock], "response": [self._stop_clock]},
        )
        service._async_client = client
        return service

    async def _stop_clock(self, response: httpx.Response) -> None:
        started = response.request.extensions.get("push_started")
        if started is None:
            return
        try:
            sent = json.loads(response.request.content)["message"]
            token = sent.get("fid") or sent["token"]
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        self._latency[token] = int((time.perf_counter() - started) * 1000)

    def send(self, messages: list[PushMessage]) -> list[PushResult]:
        return _shared_loop().run(self.send_async(messages))

    async def send_async(self, messages: list[PushMessage]) -> list[PushResult]:
        results: list[PushResult] = []
        step = min(PER_CALL, MAX_PER_CALL)
        for start in range(0, len(messages), step):
            results.extend(await self._send_chunk(messages[start : start + step]))
        return results

    async def _send_chunk(self, chunk: list[PushMessage]) -> list[PushResult]:
        started = time.perf_counter()
        try:
            response = await messaging.send_each_async([_to_fcm(m) for m in chunk], app=self.app)
        finally:
            fallback = int((time.perf_counter() - started) * 1000)
            measured = {message.token: self._latency.pop(message.token, fallback) for message in chunk}
        results = []
        for message, sent in zip(chunk, response.responses, strict=True):
            latency = measured[message.token]
            if sent.success:
                results.append(
                    PushResult(message.key, Outcome.SENT, 200, message_id=sent.message_id, latency_ms=latency)
                )
            else:
                results.append(_failure(message.key, sent.exception, latency))
        return results


async def _start_clock(request: httpx.Request) -> None:
    request.extensions["push_started"] = time.perf_counter()


def _to_fcm(message: PushMessage) -> messaging.Message:
    ttl = max(0, message.ttl_seconds)
    collapse = message.collapse_id or str(message.key)
    # firebase-admin 7 deprecates ``token=`` in favour of ``fid=`` (same wire slot for the app's identifier).
    return messaging.Message(
        fid=message.token,
        notification=messaging.Notification(title=message.title, body=message.body),
        data={**message.data, "deep_link": message.deep_link, "delivery": str(message.key)},
        android=messaging.AndroidConfig(
            ttl=timedelta(seconds=ttl),
            priority="high" if message.urgent else "normal",
            collapse_key=collapse,
            notification=messaging.AndroidNotification(tag=collapse),
        ),
        apns=messaging.APNSConfig(
            headers={
                "apns-expiration": str(int(time.time()) + ttl),
                "apns-collapse-id": collapse[:64],
                "apns-priority": "10" if message.urgent else "5",
            }
        ),
        webpush=messaging.WebpushConfig(headers={"TTL": str(ttl), "Urgency": "high" if message.urgent else "normal"}),
    )


def _fcm_error_code(exc: exceptions.FirebaseError) -> str:
    response = exc.http_response
    if response is not None:
        try:
            details = response.json().get("error", {}).get("details", [])
        except ValueError:
            details = []
        for detail in details:
            if isinstance(detail, dict) and detail.get("errorCode"):
                return str(detail["errorCode"])
    return str(exc.code or type(exc).__name__)


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("retry-after") if response is not None else None
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _failure(key: int, exc: BaseException | None, latency: int) -> PushResult:
    if not isinstance(exc, exceptions.FirebaseError):
        return PushResult(key, Outcome.RETRY, None, type(exc).__name__, latency_ms=latency)
    response = exc.http_response
    status = response.status_code if response is not None else None
    code = _fcm_error_code(exc)
    if code in DEAD_TOKEN_CODES or (code == "INVALID_ARGUMENT" and "registration token" in str(exc).lower()):
        outcome = Outcome.UNREGISTERED
    elif status in RETRY_STATUSES or status is None:
        outcome = Outcome.RETRY  # no response at all: a timeout or a dropped connection
    else:
        outcome = Outcome.PERMANENT
    return PushResult(key, outcome, status, code, retry_after=_retry_after(response), latency_ms=latency)
