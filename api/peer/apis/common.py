"""Helpers shared by the peer API views."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from rest_framework.request import Request

from accounts.access import access_for
from accounts.models import Organisation, User
from api.peer.schedule import LONDON
from core.errors import NotFound, ServiceError


def actor_of(request: Request) -> User:
    """The signed-in person (every view here but the two open ones requires one)."""
    return cast(User, request.user)


def id_or_404(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < value < 2**31:
        raise NotFound()
    return value


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
