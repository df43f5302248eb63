"""Audited reads, declared once per view: ``audited_read = "case.read"`` or ``{"list": "case.list", ...}``.

Every API base class in ``core.views`` mixes this in. After a successful GET by a member of staff of a view
(or viewset action) that declares an audited read, one ACCESS entry per record read goes to the trail. A young
person reading their own record is not an access to someone else's data and is not recorded. The records are found
without the view's help where possible:

1. ``self.object`` / ``self.object_list``, when the view sets them (files, PDFs and computed pages, where
   no serializer holds the records);
2. otherwise the page the view paginated;
3. otherwise the instance(s) behind the serializer data in the response.

A row that is not a model but carries one (``row.case``, ``row["case"]``) is recorded as that model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import access_for
from audit.services import record_access

AuditedRead = str | Mapping[str, str] | None


def as_models(items: Iterable[Any]) -> list[models.Model]:
    """The records behind ``items``: models as they are, rows by the model they carry under ``case``."""
    found: list[models.Model] = []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("case")
        elif not isinstance(item, models.Model):
            item = getattr(item, "case", None)
        if isinstance(item, models.Model):
            found.append(item)
    return found


def serialized_instances(data: Any) -> list[Any]:
    """The instance(s) a DRF serializer rendered into ``data`` (a paginated body is looked into)."""
    serializer = getattr(data, "serializer", None)
    if serializer is not None and getattr(serializer, "instance", None) is not None:
        instance = serializer.instance
        return list(instance) if isinstance(instance, Sequence | models.QuerySet) else [instance]
    if isinstance(data, Mapping) and "results" in data:
        return serialized_instances(data["results"])
    return []


class AuditedReadMixin:
    """Writes the declared audited read after a successful GET. See the module docstring."""

    audited_read: AuditedRead = None
    object: Any = None
    object_list: Iterable[Any] | None = None
    _audited_page: list[Any] | None = None

    def audited_event(self) -> str | None:
        """The event this request's handler declares, if any."""
        declared = self.audited_read
        if declared is None or isinstance(declared, str):
            return declared
        return declared.get(getattr(self, "action", None) or "")

    def audited_instances(self, response: Response) -> list[models.Model]:
        if self.object is not None:
            return as_models([self.object])
        if self.object_list is not None:
            return as_models(self.object_list)
        if self._audited_page is not None:
            return as_models(self._audited_page)
        return as_models(serialized_instances(getattr(response, "data", None)))

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        self._audited_page = page
        return page

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        event = self.audited_event()
        if event and request.method == "GET" and 200 <= response.status_code < 300 and _is_staff(request):
            record_access(actor=request.user, instances=self.audited_instances(response), event=event)
        return response


def _is_staff(request: Request) -> bool:
    return bool(request.user and request.user.is_authenticated and access_for(request.user).is_staff_member)
