"""Who the actor is and what they hold: the one place access decisions start from.

``access_for(user)`` loads a user's active memberships (one query, cached on the
user object for the request) and answers role questions. Domain apps build their
own helpers (``cases.access``, ``schools.access``...) on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from rest_framework import exceptions

from accounts.models import Membership, Organisation, Role
from core.errors import NotFound

STAFF_ROLES = set(Role.values)
PROJECT_STAFF_ROLES = {Role.PROJECT_WORKER, Role.PROJECT_MANAGER, Role.ADMIN}
SCHOOL_ROLES = {Role.SCHOOL_STAFF, Role.SCHOOL_LEAD}


@dataclass(frozen=True)
class Seat:
    organisation_id: int
    kind: str
    role: str
    is_on_duty: bool


@dataclass(frozen=True)
class Access:
    user_id: int
    seats: tuple[Seat, ...]
    young_carer_id: int | None
    has_mfa: bool

    @property
    def is_staff_member(self) -> bool:
        return bool(self.seats)

    @property
    def is_young_carer(self) -> bool:
        return self.young_carer_id is not None

    def org_ids(self, *roles: str, kind: str | None = None) -> set[int]:
        """Organisations where the actor holds any of ``roles`` (any role if none given)."""
        return {
            seat.organisation_id
            for seat in self.seats
            if (not roles or seat.role in roles) and (kind is None or seat.kind == kind)
        }

    def holds(self, organisation_id: int, *roles: str) -> bool:
        return organisation_id in self.org_ids(*roles)

    @property
    def project_ids(self) -> set[int]:
        return self.org_ids(*PROJECT_STAFF_ROLES, kind=Organisation.Kind.PROJECT)

    @property
    def managed_project_ids(self) -> set[int]:
        return self.org_ids(Role.PROJECT_MANAGER, Role.ADMIN, kind=Organisation.Kind.PROJECT)

    @property
    def school_ids(self) -> set[int]:
        return self.org_ids(*SCHOOL_ROLES, Role.ADMIN, kind=Organisation.Kind.SCHOOL)

    @property
    def adult_services_ids(self) -> set[int]:
        return self.org_ids(kind=Organisation.Kind.ADULT_SERVICES)

    @property
    def commissioner_ids(self) -> set[int]:
        return self.org_ids(kind=Organisation.Kind.COMMISSIONER)


def _load(user: Any) -> Access:
    seats = tuple(
        Seat(m.organisation_id, m.organisation.kind, m.role, m.is_on_duty)
        for m in Membership.objects.filter(user_id=user.pk, ended_at__isnull=True, organisation__is_active=True)
        .select_related("organisation")
        .only("organisation_id", "role", "is_on_duty", "organisation__kind")
    )
    young_carer = getattr(user, "young_carer", None) if not seats else None
    has_mfa = bool(seats) and Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    return Access(user.pk, seats, young_carer.pk if young_carer else None, has_mfa)


def access_for(user: Any) -> Access:
    """The actor's access, computed once per user object."""
    if not getattr(user, "is_authenticated", False):
        raise exceptions.NotAuthenticated()
    cached = getattr(user, "_access", None)
    if cached is None:
        cached = _load(user)
        user._access = cached
    return cached


def forget_access(user: Any) -> None:
    user.__dict__.pop("_access", None)


class MFARequired(exceptions.PermissionDenied):
    default_detail = "Set up two-factor authentication (an authenticator app) before reading case data."
    default_code = "mfa_required"


def require_case_data_access(user: Any) -> Access:
    """Staff must have TOTP before any read of case data. Young carers read their own without it."""
    access = access_for(user)
    if access.is_staff_member and not access.has_mfa and not settings.DEMO_RELAX_MFA:
        raise MFARequired()
    return access


def organisation_for_member(user: Any, organisation_id: int, *roles: str) -> Organisation:
    """The organisation, if the actor holds one of ``roles`` there (any role if none), else 404."""
    access = access_for(user)
    if not access.holds(organisation_id, *roles):
        raise NotFound()
    return Organisation.objects.get(pk=organisation_id)
