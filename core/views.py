"""Base classes for API views, and the health and readiness probes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, generics, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import idempotency
from core.audited import AuditedReadMixin
from core.errors import NotFound
from core.redis import redis_ping

if TYPE_CHECKING:
    from accounts.models import User


def actor(request: Request) -> User:
    """The signed-in user of an API request (views require authentication by default), typed for services."""
    return cast("User", request.user)


MAX_ID = 2**63 - 1  # BigAutoField


def id_or_404(value: Any) -> int:
    """A primary key from a URL or body, or the same 404 as an object the actor may not see."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number <= MAX_ID:
        raise NotFound()
    return number


class MethodFirstMixin:
    """A method the view does not serve is a 405 for everyone, before sign-in or permissions are looked at
    (DRF checks those first, so ``TRACE`` on an open form answered 401)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = request.method or ""
        if not hasattr(self, method.lower()):
            raise exceptions.MethodNotAllowed(method)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class IdempotentMixin:
    """Honours ``Idempotency-Key`` on POST. Mixed into every API base class below."""

    _idempotency_record = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._idempotency_record = idempotency.begin(request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        try:
            return super().handle_exception(exc)  # type: ignore[misc]
        except Exception:
            # An unhandled error becomes a 500 without passing finalize_response: free the key so a retry runs.
            if self._idempotency_record is not None:
                self._idempotency_record.delete()
                self._idempotency_record = None
            raise

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self._idempotency_record is not None and isinstance(response, Response):
            idempotency.finish(self._idempotency_record, response)
            self._idempotency_record = None
        return response


class ApiView(MethodFirstMixin, AuditedReadMixin, IdempotentMixin, APIView):
    pass


class ApiGenericView(MethodFirstMixin, AuditedReadMixin, IdempotentMixin, generics.GenericAPIView):  # type: ignore[type-arg]
    pass


class ApiViewSet(MethodFirstMixin, AuditedReadMixin, IdempotentMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    pass


class ApiModelViewSet(MethodFirstMixin, AuditedReadMixin, IdempotentMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    pass


class ApiReadOnlyViewSet(MethodFirstMixin, AuditedReadMixin, IdempotentMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    pass


def health(request: HttpRequest) -> JsonResponse:
    """Alive: the process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("ready-probe", "1", timeout=5)
    if cache.get("ready-probe") != "1":
        raise RuntimeError("cache did not return what was written")


def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    async_to_sync(layer.send)("ready-probe", {"type": "probe"})
    async_to_sync(layer.receive)("ready-probe")


def _check_redis() -> None:
    # The cache answers from process memory while Redis is down, so its own check would pass: ask Redis.
    redis_ping(settings.REDIS_URL)


def ready(request: HttpRequest) -> JsonResponse:
    """Ready: the database, the cache, the channel layer and (when configured) Redis all answer."""
    checks = {"database": _check_database, "cache": _check_cache, "channel_layer": _check_channel_layer}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the name is reported
            results[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503
    )


class FileResponseMixin:
    """For views that answer with a file (a PDF, an image): ``Accept: application/pdf`` must not be refused with a
    406 by the API's JSON-only renderers. The file goes out as it is; an error still comes in the JSON error shape."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # type: ignore[misc]
