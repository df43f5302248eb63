from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet

from accounts.access import PROJECT_STAFF_ROLES, SCHOOL_ROLES, access_for
from accounts.models import MANAGING_ROLES, ROLES_BY_KIND, Invitation, Membership, Organisation, Role, User


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Organisations the user belongs to; a young carer sees their project (and school)."""
    access = access_for(user)
    if access.is_young_carer:
        case = user.young_carer  # type: ignore[attr-defined]
        ids = {case.organisation_id} | ({case.school_id} if case.school_id else set())
        return Organisation.objects.filter(pk__in=ids)
    return Organisation.objects.filter(pk__in=access.org_ids())


def members_of(user: User, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations a user may see: those of organisations they manage, and those they sent while they still
    work somewhere (someone who has left keeps no view of the people they invited)."""
    access = access_for(user)
    managed = access.org_ids(*MANAGING_ROLES)
    sent = Q(created_by=user) if access.is_staff_member else Q(pk__in=[])
    return (
        Invitation.objects.filter(Q(organisation_id__in=managed) | sent)
        .select_related("organisation", "case", "created_by")
        .order_by("-created_at", "-id")
    )


# --- What an actor may name in a request body ---------------------------------------------------------
# Each scope below backs a core.fields.ScopedPrimaryKeyRelatedField: an id outside it gets the same message as a
# missing one. Organisations that are public services (projects, adult services) form a directory any staff member
# may name; people may be named only by someone who works alongside them.


def staff_in(organisation_ids: set[int], roles: Collection[str]) -> QuerySet[User]:
    """People holding one of ``roles`` now in one of ``organisation_ids``."""
    seats = Membership.objects.filter(
        organisation_id__in=organisation_ids, role__in=roles, ended_at__isnull=True, organisation__is_active=True
    )
    return User.objects.filter(pk__in=seats.values("user_id"), is_active=True)


def project_workers_nameable_by(user: User) -> QuerySet[User]:
    """Workers of the actor's own projects (key workers, facilitators, assessors, presenters)."""
    return staff_in(access_for(user).project_ids, PROJECT_STAFF_ROLES)


def school_staff_nameable_by(user: User) -> QuerySet[User]:
    """Staff of the actor's own schools (a school's young carers lead)."""
    return staff_in(access_for(user).school_ids, SCHOOL_ROLES | {Role.ADMIN})


def adult_workers_nameable_by(user: User) -> QuerySet[User]:
    """Members of the actor's own adult services (the worker who takes a hand-over)."""
    return staff_in(access_for(user).adult_services_ids, ROLES_BY_KIND[Organisation.Kind.ADULT_SERVICES])


def projects_acted_for_by(user: User) -> QuerySet[Organisation]:
    """Projects the actor works for: where a group, event, case or resource of theirs may belong."""
    return Organisation.objects.filter(pk__in=access_for(user).project_ids)


def managed_projects_of(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=access_for(user).managed_project_ids)


def schools_acted_for_by(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=access_for(user).school_ids, kind=Organisation.Kind.SCHOOL)


def project_directory_for(user: User) -> QuerySet[Organisation]:
    """Active projects, named by project staff (events opened to another project); nobody else needs them."""
    if not access_for(user).project_ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.PROJECT, is_active=True)


def adult_services_directory_for(user: User) -> QuerySet[Organisation]:
    """Active adult services, named by project staff handing a young adult carer over."""
    if not access_for(user).project_ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind=Organisation.Kind.ADULT_SERVICES, is_active=True)
