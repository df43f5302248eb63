"""One error shape for the whole API.

Every error response is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
Services raise :class:`ServiceError` (or a subclass) for broken business rules; the
exception handler turns those, DRF's own exceptions and Django's ``Http404`` /
``PermissionDenied`` / ``ValidationError`` into that shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import bad_request as django_bad_request
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ServiceError(Exception):
    """A business rule said no. ``status`` is the HTTP status a view should answer with."""

    status: int = status.HTTP_400_BAD_REQUEST
    code: str = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.fields = fields if fields else ({field: [message]} if field else None)
        if status_code:
            self.status = status_code


class Conflict(ServiceError):
    status = status.HTTP_409_CONFLICT
    code = "conflict"


class NotFound(ServiceError):
    """Raised by access helpers: "not found" and "not allowed" look the same."""

    status = status.HTTP_404_NOT_FOUND
    code = "not_found"

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key in ("non_field_errors", "detail") else f"{key}: {inner}"
    return str(detail)


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: value for key, value in detail.items() if key != "non_field_errors"}
    return {}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = _first_message(detail)
        fields = _fields(detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        message = str(detail.get("detail", exc.detail)) if isinstance(detail, dict) else str(detail)
        fields = {}
    response.data = error_body(code, message, fields)
    return response


API_PREFIXES = ("/api/", "/_allauth/")


@csrf_exempt  # it changes nothing; without this a POST to an unknown path got Django's HTML CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """A path under /api/ that no route matches answers in the API's error shape, not with Django's HTML page."""
    return JsonResponse(error_body(NotFound.code, "Not found."), status=status.HTTP_404_NOT_FOUND)


def api_bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's own 400s (too many fields, a malformed body): the error shape under /api/, Django's page elsewhere."""
    if not request.path.startswith(API_PREFIXES):
        return django_bad_request(request, exception)
    return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)
