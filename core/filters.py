"""Shared django-filter pieces."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from core.views import MAX_ID


class IdField(forms.IntegerField):
    """A whole number in the key range: anything else is a 400 that says so, before the database sees it."""

    default_error_messages = {"invalid": f"Give an id: a whole number from 1 to {MAX_ID}."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Replace the range checks so a value out of range gets the same message as a malformed one.
        self.validators = [
            MinValueValidator(1, message=self.error_messages["invalid"]),
            MaxValueValidator(MAX_ID, message=self.error_messages["invalid"]),
        ]


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})  # the range it takes, so clients know
class IdFilter(filters.NumberFilter):
    """Rows pointing at this id. An unknown id and one the actor may not see both just match nothing.

    Unlike a model-choice filter it never says whether the id exists; whole numbers only, from 1 within the key
    range, so the database never sees an out-of-range literal (a malformed or out-of-range id is a 400).
    """

    field_class = IdField

    def get_max_validator(self) -> None:
        return None  # IdField checks the whole range itself
