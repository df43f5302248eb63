"""The school's own details (lead, award) and which projects serve it."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.db import transaction

from accounts.access import access_for
from accounts.models import Membership, Organisation, Role, User
from core.errors import Conflict, NotFound, ServiceError
from schools.models import AwardLevel, SchoolProfile, SchoolProject

AWARD_YEARS = 3


def profile_of(school: Organisation) -> SchoolProfile:
    profile, _ = SchoolProfile.objects.get_or_create(organisation=school)
    return profile


def _check_can_manage(actor: User, school: Organisation) -> None:
    """The school's lead or admin, or a manager of a project that serves it."""
    access = access_for(actor)
    if access.holds(school.pk, Role.SCHOOL_LEAD, Role.ADMIN):
        return
    serving = set(SchoolProject.objects.filter(school=school).values_list("project_id", flat=True))
    if serving & access.managed_project_ids:
        return
    if school.pk in access.school_ids or serving & access.project_ids:
        raise ServiceError(
            "Only the school's young carers lead or the project's manager can change this.",
            code="forbidden",
            status_code=403,
        )
    raise NotFound()


@transaction.atomic
def school_profile_update(*, actor: User, school: Organisation, **data: object) -> SchoolProfile:
    _check_can_manage(actor, school)
    profile = profile_of(school)
    allowed = {"young_carers_lead", "award_level", "award_expires_on"}
    unknown = set(data) - allowed
    if unknown:
        raise ServiceError(
            f"These come from the schools register and cannot be changed here: {', '.join(sorted(unknown))}."
        )
    lead = cast(User | None, data.get("young_carers_lead", profile.young_carers_lead))
    if (
        lead is not None
        and not Membership.objects.filter(
            user=lead, organisation=school, role__in=[Role.SCHOOL_LEAD, Role.SCHOOL_STAFF], ended_at__isnull=True
        ).exists()
    ):
        raise ServiceError("The young carers lead must be a member of the school's staff.", field="young_carers_lead")
    level = data.get("award_level", profile.award_level)
    expires = data.get("award_expires_on", profile.award_expires_on)
    if level and not expires:
        raise ServiceError(f"An award lasts {AWARD_YEARS} years: give its expiry date.", field="award_expires_on")
    if level not in AwardLevel.values:
        raise ServiceError("Unknown award level.", field="award_level")
    assert expires is None or isinstance(expires, date)
    for name, value in data.items():
        setattr(profile, name, value)
    if not level:
        profile.award_expires_on = None
    profile.save()
    return profile


@transaction.atomic
def school_project_link(*, actor: User, school: Organisation, project: Organisation) -> SchoolProject:
    """A project manager says their project serves a school (then its staff can refer there)."""
    if project.pk not in access_for(actor).managed_project_ids:
        raise NotFound()
    if school.kind != Organisation.Kind.SCHOOL:
        raise NotFound()
    link, created = SchoolProject.objects.get_or_create(school=school, project=project)
    if not created:
        raise Conflict("The project already serves this school.", code="already_linked")
    return link


@transaction.atomic
def school_project_unlink(*, actor: User, school: Organisation, project: Organisation) -> None:
    if project.pk not in access_for(actor).managed_project_ids:
        raise NotFound()
    deleted, _ = SchoolProject.objects.filter(school=school, project=project).delete()
    if not deleted:
        raise NotFound()
