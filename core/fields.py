"""Serializer fields that resolve ids only among the rows the requesting actor may reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from core.views import MAX_ID

Scope = Callable[[Any], QuerySet[Any]]

# One message for a missing person and one the actor may not name: it never says who exists.
WORKER_MESSAGE = "Choose a worker of this project."
PROJECT_MESSAGE = "Choose one of your projects."
ADULT_WORKER_MESSAGE = "Choose a worker of your adult service."


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An id looked up in ``scope(request.user)``, never over all rows.

    A malformed id, a missing one and one the actor may not reference all get ``message``, which names nobody,
    so the field cannot tell anyone whether a row exists. Without a request in the serializer's context nothing
    resolves: the safe failure is "choose another".
    """

    def __init__(self, *, scope: Scope, message: str, **kwargs: Any) -> None:
        self.scope = scope
        self.message = message
        kwargs["error_messages"] = {"does_not_exist": message, "incorrect_type": message}
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_authenticated", False):
            raise serializers.ValidationError(self.message, code="does_not_exist")
        return self.scope(user)

    def to_internal_value(self, data: Any) -> Model:
        # Booleans and out-of-range numbers would reach the database (True is pk 1; 2**64 overflows).
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)  # type: ignore[no-any-return]
