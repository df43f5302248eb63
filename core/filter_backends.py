"""The project's filter backend: a filter never drops a value it cannot read.

django-filter reads ``?upcoming=null`` as "no filter"; here a malformed boolean and an unknown choice are a 400 that
names the parameter (and the values it takes). Kept apart from ``core.filters``: DRF imports this module while
``rest_framework.generics`` is still loading, so it must not import the views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from django_filters.widgets import BooleanWidget


class StrictBooleanWidget(BooleanWidget):
    """Hands an unreadable value on to the field (django-filter's widget turns it into "no filter")."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        known = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if known is None and raw not in (None, "") else known


class StrictBooleanField(forms.NullBooleanField):
    default_error_messages = {"invalid": "Give true or false."}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: not filtered
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass  # None means "not filtered"


class AwareIsoDateTimeField(IsoDateTimeField):
    """A moment in a query (``?since=``) carries its offset, as one in a body must (``core.fields``)."""

    default_error_messages = {
        "naive": "Include the time zone offset, e.g. 2026-12-01T16:30:00+00:00 or 2026-12-01T16:30:00Z."
    }

    def to_python(self, value: Any) -> Any:
        try:
            parsed = parse_datetime(value.strip()) if isinstance(value, str) else None
        except ValueError:
            parsed = None  # malformed: the field's own message says so
        if parsed is not None and timezone.is_naive(parsed):
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        return super().to_python(value)


def _choice_values(choices: Any) -> list[str]:
    return [str(value) for value, _ in choices if value not in ("", None)]


def make_strict(filterset: filters.FilterSet) -> filters.FilterSet:
    """A filter never drops or guesses a value it cannot read: a malformed boolean, an unknown choice or a date-time
    without its offset is a 400 naming it."""
    for name, one in filterset.filters.items():
        if isinstance(one, filters.IsoDateTimeFilter):
            one.field_class = AwareIsoDateTimeField
        elif isinstance(one, filters.BooleanFilter):
            one.field_class = StrictBooleanField
            one.extra["widget"] = StrictBooleanWidget
        elif isinstance(one, filters.ChoiceFilter | filters.MultipleChoiceFilter) and not callable(
            choices := one.extra.get("choices", ())
        ):
            message = f"Give {name} as one of: {', '.join(_choice_values(choices))}."
            one.extra["error_messages"] = {"invalid_choice": message}
        # A filter builds its form field once and keeps it; one built before this (the schema generator reads the
        # filter sets' fields) would be copied into every later filter set without the strict class and messages.
        one.__dict__.pop("_field", None)
    return filterset


class StrictFilterBackend(filters.DjangoFilterBackend):
    """The project's filter backend (``DEFAULT_FILTER_BACKENDS``): every filter set it builds is strict."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> filters.FilterSet | None:
        filterset = super().get_filterset(request, queryset, view)
        return make_strict(filterset) if filterset is not None else None
