"""``Idempotency-Key`` for creating POSTs.

Same key and same body: the first response is replayed. Same key, other body: 422.
Same key while the first request is still running: 409. Keys are per user, kept
for ``IDEMPOTENCY_KEY_TTL``. A request that ended in a 5xx releases its key so
the client can retry; a request whose process died is taken over after
``IDEMPOTENCY_LOCK_SECONDS``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.errors import Conflict, ServiceError
from core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@dataclass
class Replay(Exception):
    response: Response


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(method.encode() + b"\0" + path.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def begin(request: Request) -> IdempotencyRecord | None:
    """Claim the key for this request, or raise :class:`Replay` / an error. None if no key was sent."""
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST" or not request.user.is_authenticated:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ServiceError(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters.", code="invalid_idempotency_key")
    request_fingerprint = fingerprint(request.method or "", request.path, request.body)
    now = timezone.now()
    IdempotencyRecord.objects.filter(
        user=request.user, key=key, created_at__lt=now - settings.IDEMPOTENCY_KEY_TTL
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=request_fingerprint)
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(user=request.user, key=key)
    if record.fingerprint != request_fingerprint:
        raise ServiceError(
            f"This {HEADER} was already used with a different request body.",
            code="idempotency_key_reused",
            status_code=422,
        )
    if record.state == IdempotencyRecord.State.DONE:
        response = Response(record.response_body, status=record.response_status)
        response["Idempotent-Replayed"] = "true"
        raise Replay(response)
    stale_before = now - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
    taken = IdempotencyRecord.objects.filter(pk=record.pk, updated_at__lt=stale_before).update(updated_at=now)
    if taken:
        return record
    raise Conflict(f"A request with this {HEADER} is still being processed.", code="idempotency_in_progress")


def finish(record: IdempotencyRecord, response: Response) -> None:
    if response.status_code >= 500:
        record.delete()
        return
    body: Any = json.loads(json.dumps(response.data, cls=JSONEncoder)) if response.data is not None else None
    record.state = IdempotencyRecord.State.DONE
    record.response_status = response.status_code
    record.response_body = body
    record.save(update_fields=["state", "response_status", "response_body", "updated_at"])
