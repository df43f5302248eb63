"""A local stand-in for FCM: the HTTP v1 send API and the OAuth token endpoint, on a real socket.

Runs an asyncio server in a thread. It speaks HTTP/1.1 with keep-alive (what
firebase-admin's httpx client uses over plain http://) and HTTP/2 with prior
knowledge (h2c, what a raw HTTP/2 client uses in the benchmark).

    with FakeFcmServer() as fcm:
        settings.FCM_ENDPOINT = fcm.url
        settings.FCM_CREDENTIALS = fcm.service_account_json()
        fcm.unregistered.add("dead-token")
        fcm.fail_next(3, status=503)             # the next three sends answer 503
        fcm.fail_next(1, status=429, retry_after=7)
        fcm.delay = 0.2                          # slow responses
        ...
        assert fcm.delivered_tokens() == Counter({"sams-phone": 1})
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import h2.config
import h2.connection
import h2.events
import h2.settings

H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_ERRORS = {
    404: ("NOT_FOUND", "UNREGISTERED", "Requested entity was not found."),
    400: ("INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),
    429: ("RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for sending messages."),
    403: ("PERMISSION_DENIED", "THIRD_PARTY_AUTH_ERROR", "APNs certificate or web push auth key was invalid."),
    500: ("INTERNAL", "INTERNAL", "Internal error encountered."),
    503: ("UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
}

_private_key_pem: str | None = None


def _private_key() -> str:
    """One RSA key per process: the token endpoint does not check signatures, google-auth needs a real key."""
    global _private_key_pem
    if _private_key_pem is None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _private_key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    return _private_key_pem


@dataclass(frozen=True)
class Received:
    token: str
    message: dict[str, Any]
    status: int
    at: float


class FakeFcmServer:
    def __init__(self, project_id: str = "demo-project") -> None:
        self.project_id = project_id
        self.unregistered: set[str] = set()
        self.invalid: set[str] = set()
        self.delay = 0.0
        self.received: list[Received] = []
        self.token_requests = 0
        self._forced: list[tuple[int, float | None]] = []
        self._down: tuple[int, float | None] | None = None
        self._ids = itertools.count(1)
        self._access_tokens: set[str] = set()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-fcm", daemon=True)
        self.port = 0

    # --- control -------------------------------------------------------------------------
    def fail_next(self, count: int, *, status: int = 503, retry_after: float | None = None) -> None:
        with self._lock:
            self._forced.extend([(status, retry_after)] * count)

    def go_down(self, *, status: int = 503, retry_after: float | None = None) -> None:
        self._down = (status, retry_after)

    def come_back(self) -> None:
        self._down = None

    def delivered_tokens(self) -> Counter[str]:
        return Counter(r.token for r in self.received if r.status == 200)

    @property
    def sends(self) -> int:
        return len(self.received)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def service_account_json(self) -> str:
        return service_account_json(self.url, self.project_id)

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> FakeFcmServer:
        return self.start_on(0)

    def start_on(self, port: int) -> FakeFcmServer:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", port, backlog=1024), self._loop
        )
        self._server = started.result(timeout=5)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeFcmServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the API -------------------------------------------------------------------------
    async def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if method == "GET" and path == "/_stats":  # for a benchmark running the server in another process
            return _json(200, {"received": self.sends, "delivered": sum(self.delivered_tokens().values())})
        if method == "POST" and path == "/_reset":
            self.received.clear()
            return _json(200, {})
        if method == "POST" and path == "/token":
            return self._token(body)
        if method == "POST" and path == f"/v1/projects/{self.project_id}/messages:send":
            if self.delay:
                await asyncio.sleep(self.delay)
            return self._send(headers, body)
        return _json(404, {"error": {"code": 404, "message": f"no route {method} {path}", "status": "NOT_FOUND"}})

    def _token(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        form = parse_qs(body.decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"] or not form.get("assertion"):
            return _json(400, {"error": "invalid_grant"})
        self.token_requests += 1
        token = f"ya29.fake-{self.token_requests}"
        self._access_tokens.add(token)
        return _json(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    def _send(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self._access_tokens:
            return _json(
                401,
                {"error": {"code": 401, "message": "Request had invalid credentials.", "status": "UNAUTHENTICATED"}},
            )
        try:
            message = json.loads(body)["message"]
            token = message.get("fid") or message["token"]
        except (ValueError, KeyError, TypeError):
            return _error(400, None, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        status, retry_after = self._next_answer(token)
        self.received.append(Received(token, message, status, time.monotonic()))
        if status == 200:
            return _json(200, {"name": f"projects/{self.project_id}/messages/{next(self._ids)}"})
        return _error(status, retry_after)

    def _next_answer(self, token: str) -> tuple[int, float | None]:
        with self._lock:
            if self._forced:
                return self._forced.pop(0)
        if self._down:
            return self._down
        if token in self.unregistered:
            return 404, None
        if token in self.invalid:
            return 400, None
        return 200, None

    # --- the wire ------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            first = await reader.readexactly(len(H2_PREFACE))
            if first == H2_PREFACE:
                await self._serve_h2(first, reader, writer)
            else:
                await self._serve_h1(first, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve_h1(self, first: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pending = first
        while True:
            head = pending + await reader.readuntil(b"\r\n\r\n") if b"\r\n\r\n" not in pending else pending
            pending = b""
            head, _, rest = head.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _version = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
            }
            length = int(headers.get("content-length", "0"))
            body = rest + (await reader.readexactly(length - len(rest)) if length > len(rest) else b"")
            status, extra, payload = await self.handle(method, path.split("?")[0], headers, body)
            out = [
                f"HTTP/1.1 {status} {_STATUS_TEXT.get(status, 'Error')}",
                "content-type: application/json",
                f"content-length: {len(payload)}",
            ] + [f"{k}: {v}" for k, v in extra.items()]
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode() + payload)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return

    async def _serve_h2(self, preface: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        conn.local_settings = h2.settings.Settings(
            client=False, initial_values={h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1000}
        )
        conn.initiate_connection()
        streams: dict[int, tuple[dict[str, str], bytearray]] = {}
        data = preface
        while True:
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    streams[event.stream_id] = ({str(k): str(v) for k, v in event.headers}, bytearray())
                elif isinstance(event, h2.events.DataReceived):
                    streams[event.stream_id][1].extend(event.data)
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    headers, body = streams.pop(event.stream_id)
                    asyncio.ensure_future(self._answer_h2(conn, writer, event.stream_id, headers, bytes(body)))
            writer.write(conn.data_to_send())
            await writer.drain()
            data = await reader.read(65536)
            if not data:
                return

    async def _answer_h2(
        self, conn: Any, writer: asyncio.StreamWriter, stream_id: int, headers: dict[str, str], body: bytes
    ) -> None:
        status, extra, payload = await self.handle(headers[":method"], headers[":path"].split("?")[0], headers, body)
        conn.send_headers(
            stream_id,
            [
                (":status", str(status)),
                ("content-type", "application/json"),
                ("content-length", str(len(payload))),
                *extra.items(),
            ],
        )
        conn.send_data(stream_id, payload, end_stream=True)
        writer.write(conn.data_to_send())


def service_account_json(url: str, project_id: str = "demo-project") -> str:
    """A service account whose OAuth token URI is the fake server's."""
    return json.dumps(
        {
            "type": "service_account",
            "project_id": project_id,
            "private_key_id": "fake-key-1",
            "private_key": _private_key(),
            "client_email": f"push@{project_id}.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": f"{url}/token",
        }
    )


def main() -> None:
    """``python -m tests.fakes.fcm_server [port] [delay seconds]``: serve until killed, printing the URL first."""
    import sys

    server = FakeFcmServer()
    server.delay = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    server.start_on(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(server.url, flush=True)  # noqa: T201
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return status, headers or {}, json.dumps(payload).encode()


def _error(
    status: int, retry_after: float | None, status_name: str | None = None, message: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    name, fcm_code, text = _ERRORS.get(status, ("UNKNOWN", "UNSPECIFIED_ERROR", "Unknown error."))
    error = {
        "code": status,
        "message": message or text,
        "status": status_name or name,
        "details": [{"@type": FCM_ERROR, "errorCode": fcm_code}],
    }
    headers = {"retry-after": str(int(retry_after))} if retry_after is not None else {}
    return _json(status, {"error": error}, headers)


if __name__ == "__main__":
    main()
