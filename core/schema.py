"""The OpenAPI schema says what the API really does: its error responses, ``Idempotency-Key`` and public descriptions.

drf-spectacular documents only the success response of each operation. Every operation here can also answer in
the one error shape (``core.errors``), and which statuses it can give follows from the view: every operation can answer
400 (input it cannot read) and 404 (an id it cannot show: the same body for "missing" and "not yours", or a page past
the last), one that needs a signed-in caller 401 and 403, one that takes a body 415, a throttled one 429, and every
POST honours ``Idempotency-Key`` (409 while the first request with that key runs, 422 when the key is reused with
another body).
"""

from __future__ import annotations

import inspect
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.serializers import PolymorphicProxySerializerExtension
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from core.idempotency import HEADER, MAX_KEY_LENGTH

ERROR_DESCRIPTIONS = {
    "400": "The input is not valid: `error.fields` names each field and what is wrong with it.",
    "401": "Not signed in, or the token has expired or been revoked.",
    "403": "Signed in but refused for the whole operation: `mfa_required` when a staff session has not passed "
    "the second factor, `permission_denied` when the caller's role may not use it.",
    "404": "Not found: an id in the path or the body, or a page past the last. The same answer whether the object "
    "does not exist or the caller may not see it.",
    "415": "The body is not JSON (only the upload endpoints take multipart/form-data).",
    "409": "A conflict: a request with the same `Idempotency-Key` is still running, or the object is not in a state "
    "that allows this step.",
    "422": "The `Idempotency-Key` was already used with a different body.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="A stable code to branch on: `not_found`, `mfa_required`..."),
                "message": serializers.CharField(help_text="A sentence a person can act on."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text="Per-field messages, for invalid input.",
                ),
            },
        )
    },
)


class AnyOfProxySerializer(PolymorphicProxySerializer):
    """A response that is one of several shapes where a fuller shape also satisfies a briefer one.

    ``oneOf`` would reject such a value (it matches two); ``anyOf`` says what is meant: it has at least one shape.
    """


class AnyOfProxySerializerExtension(PolymorphicProxySerializerExtension):
    target_class = AnyOfProxySerializer  # type: ignore[assignment]  # a class is allowed as well as its path
    priority = 1

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = super().map_serializer(auto_schema, direction)
        return {"anyOf": schema.pop("oneOf"), **schema}


class ApiAutoSchema(AutoSchema):
    def get_description(self) -> str:  # type: ignore[override]
        """The operation's own docstring, or its view's; never one inherited from a base class of the plumbing."""
        action = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        own = (action.__doc__ if action is not None else None) or self.view.__class__.__dict__.get("__doc__")
        return inspect.cleandoc(own) if own else ""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(
                OpenApiParameter(
                    HEADER,
                    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
                    OpenApiParameter.HEADER,
                    required=False,
                    description=f"Up to {MAX_KEY_LENGTH} characters. Sending the same key with the same body again "
                    "replays the first response instead of acting twice.",
                )
            )
        return parameters

    def _get_filter_parameters(self) -> list[Any]:
        """Filters only where the view applies them: its list, or an action that names its own ``filterset_class``.

        drf-spectacular would otherwise list the viewset's filters on every action answering a list
        (``{id}/attachments/``...), where they would be silently ignored."""
        if not self._applies_filters():
            return []
        parameters: list[Any] = super()._get_filter_parameters()
        return parameters

    def _applies_filters(self) -> bool:
        name = getattr(self.view, "action", None)
        if name in (None, "list"):
            return True
        return "filterset_class" in getattr(getattr(self.view, name, None), "kwargs", {})

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        error = self._get_response_for_code(ErrorSerializer, "400", direction=direction)
        for status in self.error_statuses():
            responses.setdefault(status, {**error, "description": ERROR_DESCRIPTIONS[status]})
        return responses

    def error_statuses(self) -> list[str]:
        """Any operation can meet input it cannot read (a malformed id, filter or body) and an id it cannot show."""
        statuses = ["400"]
        if not self._is_open():
            statuses += ["401", "403"]
        statuses.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append("415")
        if self.method == "POST":
            statuses += ["409", "422"]
        if self.view.get_throttles():
            statuses.append("429")
        return statuses

    def _is_open(self) -> bool:
        return any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
