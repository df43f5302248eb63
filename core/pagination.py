"""Pagination: page numbers for workers' lists, cursors for feeds that grow at the top."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

MAX_PAGE_SIZE = 100


class StrictPageSize:
    """``page_size`` is a whole number from 1 to the maximum, or a 400 that says so.

    DRF's paginators quietly fall back to the default size for ``page_size=null`` and cap a size too large, so a
    client never learns its request was not read as it meant."""

    page_size: int | None = 25
    page_size_query_param: str | None = "page_size"
    max_page_size: int | None = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        name, largest = self.page_size_query_param or "page_size", self.max_page_size or MAX_PAGE_SIZE
        raw = request.query_params.get(name)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= largest:
            raise ValidationError({name: [f"Give {name} as a whole number from 1 to {largest}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class PageNumberPagination(StrictPageSize, pagination.PageNumberPagination):
    pass


class CursorPagination(StrictPageSize, pagination.CursorPagination):
    """For feeds (inbox, check-ins): stable under inserts, no COUNT(*)."""

    ordering = ("-created_at", "-id")
