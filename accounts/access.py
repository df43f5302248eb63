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
from rest_framework import exceptions, permissions

from accounts.credentials import MFA_PASSED
from accounts.models import Membership, Organisation, Role
from core.errors import NotFound, ServiceError

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
    has_mfa: bool  # an authenticator is set up
    mfa_passed: bool  # the credential of this request passed the second factor

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
    passed = getattr(user, MFA_PASSED, None)
    mfa_passed = has_mfa and (passed if passed is not None else True)
    return Access(user.pk, seats, young_carer.pk if young_carer else None, has_mfa, mfa_passed)


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
    default_detail = (
        "Sign in with your second factor (an authenticator app) before reading case data; "
        "set one up first if you have none."
    )
    default_code = "mfa_required"


def require_case_data_access(user: Any) -> Access:
    """Staff must have signed in with their second factor before any read of case data.

    Having an authenticator is not enough: the session (or the JWT issued from it) must have
    passed it. Young carers read their own data without one.
    """
    access = access_for(user)
    if access.is_staff_member and not access.mfa_passed and not settings.DEMO_RELAX_MFA:
        raise MFARequired()
    return access


def organisation_for_member(user: Any, organisation_id: int, *roles: str) -> Organisation:
    """The organisation, if the actor holds one of ``roles`` there (any role if none), else 404."""
    access = access_for(user)
    if not access.holds(organisation_id, *roles):
        raise NotFound()
    return Organisation.objects.get(pk=organisation_id)


def creator_seats(user: Any, *roles: str, kind: str) -> set[int]:
    """Organisations of ``kind`` where the actor holds one of ``roles``; none is the same 404 as any refused request.

    Creates call it first, before reading the body, so nobody learns from the body's errors what they may not do.
    """
    ids = access_for(user).org_ids(*roles, kind=kind)
    if not ids:
        raise NotFound()
    return ids


def project_seats(user: Any) -> set[int]:
    """Projects where the actor works (worker, manager or admin); none is a 404."""
    return creator_seats(user, *PROJECT_STAFF_ROLES, kind=Organisation.Kind.PROJECT)


def school_seats(user: Any) -> set[int]:
    """Schools where the actor is staff, lead or admin; none is a 404."""
    return creator_seats(user, *SCHOOL_ROLES, Role.ADMIN, kind=Organisation.Kind.SCHOOL)


# Who may invite anyone at all: project staff (a young person to their case), a school's lead, managers and admins.
INVITING_ROLES = (Role.PROJECT_WORKER, Role.PROJECT_MANAGER, Role.SCHOOL_LEAD, Role.ADMIN)


def require_inviter(user: Any) -> None:
    """Before an invitation's body is read: someone who may invite nobody gets the same 404 whatever they send."""
    if not getattr(user, "is_superuser", False) and not access_for(user).org_ids(*INVITING_ROLES):
        raise NotFound()


def managed_project_seats(user: Any) -> set[int]:
    """Projects the actor manages (manager or admin); none is a 404."""
    return creator_seats(user, Role.PROJECT_MANAGER, Role.ADMIN, kind=Organisation.Kind.PROJECT)


def chosen_or_only(chosen: Organisation | None, seat_ids: set[int], *, field: str, label: str) -> Organisation:
    """The organisation named in the body (already scoped to ``seat_ids`` by its field), else the actor's only one."""
    if chosen is not None:
        return chosen
    if len(seat_ids) != 1:
        raise ServiceError(f"Say which {label} this is for.", field=field)
    return Organisation.objects.get(pk=next(iter(seat_ids)))


def refuse_move(data: dict[str, Any], field: str = "organisation") -> None:
    """An update never moves a record to another organisation (or school): that is a hand-over, not an edit."""
    if field in data:
        raise ServiceError("This cannot move to another organisation here.", field=field)


class CaseDataPermission(permissions.IsAuthenticated):
    """For views whose every route touches case data: staff who have not passed MFA are refused first.

    Checked before the handler runs, so the refusal is the same whether the id in the URL exists, belongs to
    another organisation or is missing, and comes before the body is read.
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        require_case_data_access(request.user)
        return True
