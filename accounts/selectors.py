from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import access_for
from accounts.models import MANAGING_ROLES, Invitation, Membership, Organisation, User


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
    """Invitations a user may see: those of organisations they manage, and those they sent."""
    access = access_for(user)
    managed = access.org_ids(*MANAGING_ROLES)
    return (
        Invitation.objects.filter(Q(organisation_id__in=managed) | Q(created_by=user))
        .select_related("organisation", "case", "created_by")
        .order_by("-created_at", "-id")
    )
