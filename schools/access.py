"""Access helpers for the schools module. Each returns the object or raises the same 404."""

from __future__ import annotations

from typing import Any

from accounts.access import PROJECT_STAFF_ROLES, access_for, require_case_data_access
from accounts.models import Organisation, Role
from core.errors import NotFound
from core.views import id_or_404
from schools.models import Presentation, Referral, SchoolProject, SelfIdentification


def project_ids_serving(school_id: int) -> set[int]:
    """Projects the school has agreed to work with (a link only requested counts for nothing)."""
    return set(SchoolProject.objects.accepted().filter(school_id=school_id).values_list("project_id", flat=True))


def school_for_member(user: Any, school_id: Any) -> Organisation:
    """A school the user is staff of."""
    school_id = id_or_404(school_id)
    if school_id not in access_for(user).school_ids:
        raise NotFound()
    return Organisation.objects.select_related("school_profile").get(pk=school_id)


def school_for_reader(user: Any, school_id: Any) -> Organisation:
    """A school whose figures the user may see: its staff, and staff of a project serving it."""
    school_id = id_or_404(school_id)
    access = access_for(user)
    if school_id not in access.school_ids and not access.project_ids & project_ids_serving(school_id):
        raise NotFound()
    school = (
        Organisation.objects.select_related("school_profile")
        .filter(pk=school_id, kind=Organisation.Kind.SCHOOL)
        .first()
    )
    if school is None:
        raise NotFound()
    return school


def project_link_for_school_decider(user: Any, school_id: Any, project_id: Any) -> SchoolProject:
    """A project's link to a school whose lead or admin the user is: the people who accept or decline it."""
    school_id, project_id = id_or_404(school_id), id_or_404(project_id)
    if not access_for(user).holds(school_id, Role.SCHOOL_LEAD, Role.ADMIN):
        raise NotFound()
    return _link_or_404(school_id, project_id)


def project_link_for_either_side(user: Any, school_id: Any, project_id: Any) -> SchoolProject:
    """A link the user may end: as the school's lead or admin, or as a manager of the project."""
    school_id, project_id = id_or_404(school_id), id_or_404(project_id)
    access = access_for(user)
    if not (access.holds(school_id, Role.SCHOOL_LEAD, Role.ADMIN) or project_id in access.managed_project_ids):
        raise NotFound()
    return _link_or_404(school_id, project_id)


def _link_or_404(school_id: int, project_id: int) -> SchoolProject:
    link = SchoolProject.objects.select_related("school", "project").filter(school_id=school_id, project_id=project_id)
    found = link.first()
    if found is None:
        raise NotFound()
    return found


def project_for_manager(user: Any, project_id: Any) -> Organisation:
    project_id = id_or_404(project_id)
    if project_id not in access_for(user).managed_project_ids:
        raise NotFound()
    return Organisation.objects.get(pk=project_id)


def referral_for_reader(user: Any, referral_id: Any) -> Referral:
    from schools.selectors import referrals_visible_to

    referral = referrals_visible_to(user).filter(pk=id_or_404(referral_id)).first()
    if referral is None:
        raise NotFound()
    return referral


def referral_for_school_editor(user: Any, referral_id: Any) -> Referral:
    """A referral its school's staff may still change (a draft)."""
    referral = referral_for_reader(user, referral_id)
    if referral.school_id not in access_for(user).school_ids:
        raise NotFound()
    return referral


def referral_for_triage(user: Any, referral_id: Any) -> Referral:
    """A submitted referral to one of the user's projects."""
    access = require_case_data_access(user)
    referral = (
        Referral.objects.select_related("school", "project", "referred_by")
        .filter(pk=id_or_404(referral_id), project_id__in=access.project_ids)
        .exclude(status=Referral.Status.DRAFT)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


def presentation_for_reader(user: Any, presentation_id: Any) -> Presentation:
    from schools.selectors import presentations_visible_to

    presentation = presentations_visible_to(user).filter(pk=id_or_404(presentation_id)).first()
    if presentation is None:
        raise NotFound()
    return presentation


def presentation_for_worker(user: Any, presentation_id: Any) -> Presentation:
    presentation = presentation_for_reader(user, presentation_id)
    if not access_for(user).holds(presentation.project_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return presentation


def self_identification_for_reader(user: Any, item_id: Any) -> SelfIdentification:
    from schools.selectors import self_identifications_visible_to

    item = self_identifications_visible_to(user).filter(pk=id_or_404(item_id)).first()
    if item is None:
        raise NotFound()
    return item


def require_school_or_project_staff(user: Any) -> None:
    """Presentations are asked for by a school's staff or booked in by a project's: anyone else gets the 404."""
    access = access_for(user)
    if not (access.school_ids or access.project_ids):
        raise NotFound()


def sees_referral_in_full(user: Any, referral: Referral) -> bool:
    """What a reader sees of a referral they may read: the receiving project's staff see all of it once it is
    submitted; everyone else (the referring school's staff) sees what they sent, its status and the project's message.
    """
    return referral.status != Referral.Status.DRAFT and referral.project_id in access_for(user).project_ids
