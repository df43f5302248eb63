"""Serializer fields the whole API shares: ids resolved only among what the actor may reference, and dates and
times that are aware, bounded and documented as what they are."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.views import MAX_ID

Scope = Callable[[Any], QuerySet[Any]]

# One message for a missing person and one the actor may not name: it never says who exists.
WORKER_MESSAGE = "Choose a worker of this project."
PROJECT_MESSAGE = "Choose one of your projects."
ADULT_WORKER_MESSAGE = "Choose a worker of your adult service."


@extend_schema_field(OpenApiTypes.INT)  # no queryset until a request comes, so the schema cannot derive the type
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
        # Text is refused too: a JSON body sends an id as a number.
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)  # type: ignore[no-any-return]


# Dates a person could mean: a year outside these is a typing slip (a consent "given" in 151), never a record.
MIN_YEAR, MAX_YEAR = 1900, 2100
OUT_OF_RANGE = f"Give a date between the years {MIN_YEAR} and {MAX_YEAR}."
# A wall-clock time of day, with no offset: a weekly group meets at 16:30 London time in summer and winter alike.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _in_range(value: datetime.date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def _parses_naive(value: Any) -> bool:
    if not isinstance(value, str):
        return isinstance(value, datetime.datetime) and timezone.is_naive(value)
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return False  # a malformed value: the field's own message says so
    return parsed is not None and timezone.is_naive(parsed)


class AwareDateTimeField(serializers.DateTimeField):
    """A moment: its offset is required (a bare "16:30" read as UTC is an hour out all summer), its year sensible."""

    default_error_messages = {
        "naive": "Include the time zone offset, e.g. 2026-12-01T16:30:00+00:00 or 2026-12-01T16:30:00Z.",
        "out_of_range": OUT_OF_RANGE,
    }

    def to_internal_value(self, value: Any) -> datetime.datetime:
        if _parses_naive(value):
            self.fail("naive")
        moment: datetime.datetime = super().to_internal_value(value)
        if not _in_range(moment):
            self.fail("out_of_range")
        return moment


class BoundedDateField(serializers.DateField):
    """A calendar date within sensible years."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value: Any) -> datetime.date:
        day: datetime.date = super().to_internal_value(value)
        if not _in_range(day):
            self.fail("out_of_range")
        return day


@extend_schema_field(
    {"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "16:30", "description": "Local time (Europe/London)."}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time of day in London, "HH:MM" or "HH:MM:SS": an offset would make it a moment, which it is not."""

    default_error_messages = {"invalid": "Give a local time of day as HH:MM, e.g. 16:30 (no time zone)."}

    def to_internal_value(self, value: Any) -> datetime.time:
        if isinstance(value, str) and not re.fullmatch(LOCAL_TIME_PATTERN, value):
            self.fail("invalid")
        time: datetime.time = super().to_internal_value(value)
        return time


class StrictIntegerField(serializers.IntegerField):
    """A whole number sent as a JSON number: "5" (text) and true (a boolean) are refused rather than read as 5 and 1."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str | bool):
            self.fail("invalid")
        number: int = super().to_internal_value(data)
        return number


def use_for_model_fields() -> None:
    """Make every ModelSerializer build these fields for model date, datetime, time and integer columns.

    DRF looks the field class up in ``ModelSerializer.serializer_field_mapping``; setting it once here covers all the
    project's ModelSerializers (and any added later) without a base class each of them must remember to use.
    """
    serializers.ModelSerializer.serializer_field_mapping.update(
        {
            models.DateTimeField: AwareDateTimeField,
            models.DateField: BoundedDateField,
            models.TimeField: LocalTimeField,
            models.IntegerField: StrictIntegerField,
            models.SmallIntegerField: StrictIntegerField,
            models.BigIntegerField: StrictIntegerField,
            models.PositiveIntegerField: StrictIntegerField,
            models.PositiveSmallIntegerField: StrictIntegerField,
            models.PositiveBigIntegerField: StrictIntegerField,
        }
    )
