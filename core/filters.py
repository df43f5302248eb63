"""Shared django-filter pieces."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.views import MAX_ID


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """Rows pointing at this id. An unknown id and one the actor may not see both just match nothing.

    Unlike a model-choice filter it never says whether the id exists; whole numbers only, within the key range,
    so the database never sees an out-of-range literal.
    """

    field_class = forms.IntegerField

    def get_max_validator(self) -> MaxValueValidator:
        return MaxValueValidator(MAX_ID)
