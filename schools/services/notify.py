"""Who hears about what in the schools module. All sends go through notifications.services.notify."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.access import PROJECT_STAFF_ROLES, SCHOOL_ROLES
from accounts.models import Membership, Role
from notifications.services import notify
from schools.models import Referral


def project_staff_to_tell(project_id: int) -> list[int]:
    """The project's on-duty workers, or all its staff when nobody is on duty."""
    members = Membership.objects.filter(organisation_id=project_id, role__in=PROJECT_STAFF_ROLES, ended_at__isnull=True)
    on_duty = [m for m in members if m.is_on_duty]
    return sorted({m.user_id for m in (on_duty or members)})


def school_leads(school_id: int, profile_lead_id: int | None = None) -> list[int]:
    """The school's leads, and the profile's young carers lead while they still hold a role at the school."""
    is_lead = Q(role=Role.SCHOOL_LEAD)
    if profile_lead_id:
        is_lead |= Q(user_id=profile_lead_id, role__in=SCHOOL_ROLES)
    members = Membership.objects.filter(is_lead, organisation_id=school_id, ended_at__isnull=True)
    return sorted(set(members.values_list("user_id", flat=True)))


def referral_context(referral: Referral, **extra: Any) -> dict[str, Any]:
    # Initials only: notifications can show on a lock screen.
    initials = f"{referral.first_name[:1]}{referral.last_name[:1]}".upper() or "-"
    return {
        "referral_id": referral.pk,
        "reference": referral.reference,
        "initials": initials,
        "school_name": referral.school.name,
        "message": referral.message_to_referrer,
        **extra,
    }


def tell_referrer(referral: Referral, kind: str, **extra: Any) -> None:
    notify(
        recipients=[referral.referred_by_id],
        kind=kind,
        context=referral_context(referral, **extra),
        dedupe_key=f"{kind}:{referral.pk}",
    )
