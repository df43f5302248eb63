"""The school's own details (lead, award) and which projects serve it: asked by a project, agreed by the school."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.db import transaction
from django.utils import timezone

from accounts.access import access_for, require_case_data_access
from accounts.models import Membership, Organisation, Role, User
from core.errors import Conflict, NotFound, ServiceError
from notifications.services import notify
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
    serving = set(SchoolProject.objects.accepted().filter(school=school).values_list("project_id", flat=True))
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


def _open_statuses() -> tuple[str, str]:
    return (SchoolProject.Status.REQUESTED, SchoolProject.Status.ACCEPTED)


def _link_context(link: SchoolProject) -> dict[str, object]:
    return {"school_id": link.school_id, "school_name": link.school.name, "project_name": link.project.name}


def school_deciders(school_id: int) -> list[int]:
    """Who accepts or declines a project's request, and so who is told of it: the school's leads and admins."""
    members = Membership.objects.filter(
        organisation_id=school_id, role__in=[Role.SCHOOL_LEAD, Role.ADMIN], ended_at__isnull=True
    )
    return sorted(set(members.values_list("user_id", flat=True)))


def _project_managers(project_id: int) -> list[int]:
    members = Membership.objects.filter(
        organisation_id=project_id, role__in=[Role.PROJECT_MANAGER, Role.ADMIN], ended_at__isnull=True
    )
    return sorted(set(members.values_list("user_id", flat=True)))


@transaction.atomic
def school_project_request(*, actor: User, school: Organisation, project: Organisation) -> SchoolProject:
    """A project manager asks to serve a school. Nothing trusts the link until the school accepts it."""
    if project.pk not in access_for(actor).managed_project_ids or school.kind != Organisation.Kind.SCHOOL:
        raise NotFound()
    require_case_data_access(actor)  # a link opens the school's figures: decided only after the second factor
    link = SchoolProject.objects.select_for_update().filter(school=school, project=project).first()
    if link is not None and link.status in _open_statuses():
        raise Conflict(
            "The project already serves this school or has asked to.", code="already_linked", field="project"
        )
    link = link or SchoolProject(school=school, project=project)
    link.status, link.requested_by, link.requested_at = SchoolProject.Status.REQUESTED, actor, timezone.now()
    link.decided_by = link.decided_at = None
    link.save()
    notify(
        recipients=school_deciders(school.pk),
        kind="school.link_requested",
        context=_link_context(link),
        dedupe_key=f"school.link_requested:{link.pk}:{link.requested_at.isoformat()}",
    )
    return link


def _decide(link: SchoolProject, actor: User, status: str, *allowed: str) -> SchoolProject:
    locked = SchoolProject.objects.select_for_update().select_related("school", "project").get(pk=link.pk)
    if locked.status not in allowed:
        raise Conflict(f"This link is {locked.get_status_display().lower()}.", code="link_not_open")
    locked.status, locked.decided_by, locked.decided_at = status, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def _check_school_decider(actor: User, link: SchoolProject) -> None:
    """The school's lead or admin decides; they must have passed the second factor like any staff reading cases."""
    if not access_for(actor).holds(link.school_id, Role.SCHOOL_LEAD, Role.ADMIN):
        raise NotFound()
    require_case_data_access(actor)


@transaction.atomic
def school_project_accept(*, actor: User, link: SchoolProject) -> SchoolProject:
    _check_school_decider(actor, link)
    link = _decide(link, actor, SchoolProject.Status.ACCEPTED, SchoolProject.Status.REQUESTED)
    notify(recipients=_project_managers(link.project_id), kind="school.link_accepted", context=_link_context(link))
    return link


@transaction.atomic
def school_project_decline(*, actor: User, link: SchoolProject) -> SchoolProject:
    """Decline a request, or end a link the school had accepted."""
    _check_school_decider(actor, link)
    requested = link.status == SchoolProject.Status.REQUESTED
    status = SchoolProject.Status.DECLINED if requested else SchoolProject.Status.ENDED
    link = _decide(link, actor, status, *_open_statuses())
    notify(recipients=_project_managers(link.project_id), kind="school.link_declined", context=_link_context(link))
    return link


@transaction.atomic
def school_project_end(*, actor: User, link: SchoolProject) -> SchoolProject:
    """Either side stops working together: the project withdraws its request, or either ends an accepted
    link. The row stays as history; the project's managers are told when the school ended it."""
    access = access_for(actor)
    by_school = access.holds(link.school_id, Role.SCHOOL_LEAD, Role.ADMIN)
    if not (by_school or link.project_id in access.managed_project_ids):
        raise NotFound()
    require_case_data_access(actor)
    link = _decide(link, actor, SchoolProject.Status.ENDED, *_open_statuses())
    if by_school:
        notify(recipients=_project_managers(link.project_id), kind="school.link_declined", context=_link_context(link))
    return link
