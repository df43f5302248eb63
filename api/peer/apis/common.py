"""Helpers shared by the peer API views."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from rest_framework.request import Request

from accounts.access import access_for
from accounts.models import Organisation
from api.peer.schedule import LONDON
from core.errors import NotFound, ServiceError


def project_for(request: Request, data: dict[str, Any]) -> Organisation:
    organisation = data.pop("organisation", None)
    if organisation is not None:
        return organisation
    project_ids = access_for(request.user).project_ids
    if len(project_ids) != 1:
        raise NotFound() if not project_ids else ServiceError("Say which project this is for.", field="organisation")
    return Organisation.objects.get(pk=next(iter(project_ids)))


def local_day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, LONDON)
