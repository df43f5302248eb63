"""Awareness presentations, and pupils self-identifying through a presentation's link."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, access_for
from accounts.models import Membership, Organisation, User
from audit.services import record_event
from core.errors import Conflict, NotFound, ServiceError
from notifications.services import notify
from schools.models import Presentation, SchoolProject, SelfIdentification, YearGroup
from schools.services.notify import project_staff_to_tell, school_leads

FORM_SALT = "schools.self-identification.form"
MIN_FILL_SECONDS = 4  # people take longer than this to type a name; scripts do not
MAX_FORM_AGE = timedelta(hours=3)
OPEN_FOR = timedelta(days=28)  # the link works from when it is scheduled until four weeks after delivery
CAP_WITHOUT_ATTENDANCE = 150
CAP_OVER_ATTENDANCE = 1.2


def _check_year_groups(values: list[int], field: str) -> list[int]:
    unknown = sorted({v for v in values if v not in YearGroup.values})
    if unknown:
        raise ServiceError(f"Unknown year groups: {', '.join(map(str, unknown))}.", field=field)
    return sorted(set(values))


def _serves(school: Organisation, project: Organisation) -> bool:
    return SchoolProject.objects.accepted().filter(school=school, project=project).exists()


@transaction.atomic
def presentation_request(
    *,
    actor: User,
    school: Organisation,
    project: Organisation,
    audience: str,
    year_groups: list[int],
    expected_size: int | None = None,
    preferred_dates: list[Any] | None = None,
    request_notes: str = "",
) -> Presentation:
    """A school asks a project that serves it (its staff), or the project books one in for a school it serves."""
    access = access_for(actor)
    if school.pk not in access.school_ids and project.pk not in access.project_ids:
        raise NotFound()
    if not _serves(school, project):
        raise ServiceError("That project does not serve this school.", field="project")
    presentation = Presentation.objects.create(
        school=school,
        project=project,
        requested_by=actor,
        audience=audience,
        year_groups=_check_year_groups(year_groups, "year_groups"),
        expected_size=expected_size,
        preferred_dates=[str(d) for d in preferred_dates or []],
        request_notes=request_notes,
    )
    if school.pk in access.school_ids:
        notify(
            recipients=project_staff_to_tell(project.pk),
            kind="presentation.requested",
            context={"presentation_id": presentation.pk, "school_name": school.name},
            dedupe_key=f"presentation.requested:{presentation.pk}",
        )
    return presentation


def _lock(presentation: Presentation, *allowed: str) -> Presentation:
    locked = (
        Presentation.objects.select_for_update(of=("self",)).select_related("school", "project").get(pk=presentation.pk)
    )
    if locked.status not in allowed:
        raise Conflict(f"The presentation is {locked.get_status_display().lower()}.", code="wrong_status")
    return locked


def _check_worker(actor: User, presentation: Presentation) -> None:
    if not access_for(actor).holds(presentation.project_id, *PROJECT_STAFF_ROLES):
        raise NotFound()


@transaction.atomic
def presentation_schedule(
    *, actor: User, presentation: Presentation, scheduled_for: datetime, presenter: User | None = None
) -> Presentation:
    _check_worker(actor, presentation)
    presentation = _lock(presentation, Presentation.Status.REQUESTED, Presentation.Status.SCHEDULED)
    presenter = presenter or actor
    if not Membership.objects.filter(
        user=presenter, organisation_id=presentation.project_id, role__in=PROJECT_STAFF_ROLES, ended_at__isnull=True
    ).exists():
        raise ServiceError("The presenter must work for the project.", field="presenter")
    if scheduled_for < timezone.now():
        raise ServiceError("The date is in the past; record a past presentation as delivered.", field="scheduled_for")
    presentation.status, presentation.scheduled_for, presentation.presenter = (
        Presentation.Status.SCHEDULED,
        scheduled_for,
        presenter,
    )
    presentation.save()
    notify(
        recipients=[presentation.requested_by_id],
        kind="presentation.scheduled",
        context={
            "presentation_id": presentation.pk,
            "school_name": presentation.school.name,
            "when": timezone.localtime(scheduled_for).strftime("%d %b %Y %H:%M"),
        },
        dedupe_key=f"presentation.scheduled:{presentation.pk}:{scheduled_for.isoformat()}",
    )
    return presentation


@transaction.atomic
def presentation_deliver(
    *,
    actor: User,
    presentation: Presentation,
    delivered_at: datetime,
    attendance: int,
    year_groups: list[int],
    resources_used: list[str] | None = None,
    feedback: str = "",
) -> Presentation:
    _check_worker(actor, presentation)
    presentation = _lock(presentation, Presentation.Status.REQUESTED, Presentation.Status.SCHEDULED)
    if delivered_at > timezone.now():
        raise ServiceError("A presentation cannot be delivered in the future.", field="delivered_at")
    presentation.status, presentation.delivered_at = Presentation.Status.DELIVERED, delivered_at
    presentation.attendance = attendance
    presentation.delivered_year_groups = _check_year_groups(year_groups, "year_groups")
    presentation.resources_used = [r.strip()[:200] for r in resources_used or [] if r.strip()]
    presentation.feedback = feedback
    presentation.presenter = presentation.presenter or actor
    presentation.save()
    record_event(actor=actor, instance=presentation, event="presentation.deliver", details={"attendance": attendance})
    return presentation


@transaction.atomic
def presentation_cancel(*, actor: User, presentation: Presentation, reason: str) -> Presentation:
    access = access_for(actor)
    if presentation.school_id not in access.school_ids and not access.holds(
        presentation.project_id, *PROJECT_STAFF_ROLES
    ):
        raise NotFound()
    if not reason.strip():
        raise ServiceError("Say why the presentation is cancelled.", field="reason")
    presentation = _lock(presentation, Presentation.Status.REQUESTED, Presentation.Status.SCHEDULED)
    presentation.status = Presentation.Status.CANCELLED
    presentation.feedback = f"Cancelled: {reason.strip()}"
    presentation.save()
    return presentation


# --- Self-identification ------------------------------------------------------------------------


def open_presentation(token: str) -> Presentation:
    """The presentation whose link this is, while its link is open; else 404."""
    presentation = Presentation.objects.select_related("school", "project").filter(token=token).first()
    if presentation is None or not link_is_open(presentation):
        raise NotFound("This link is not open. Ask a teacher or your school's young carers lead.")
    return presentation


def link_is_open(presentation: Presentation, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if presentation.status == Presentation.Status.SCHEDULED:
        return True
    if presentation.status == Presentation.Status.DELIVERED and presentation.delivered_at:
        return now <= presentation.delivered_at + OPEN_FOR
    return False


def form_started_token(presentation: Presentation) -> str:
    """A signed note of which form was opened and when: the submit must come back with it, not too soon."""
    return signing.dumps({"p": presentation.pk, "t": timezone.now().timestamp()}, salt=FORM_SALT)


def _check_form_started(token: str, presentation: Presentation) -> None:
    try:
        payload = signing.loads(token, salt=FORM_SALT, max_age=MAX_FORM_AGE)
    except signing.SignatureExpired:
        raise ServiceError(
            "The form was open too long; please reload it.", field="form_started", code="form_expired"
        ) from None
    except signing.BadSignature:
        raise ServiceError("Please reload the form.", field="form_started", code="form_invalid") from None
    if not isinstance(payload, dict) or payload.get("p") != presentation.pk:
        raise ServiceError("Please reload the form.", field="form_started", code="form_invalid")
    if timezone.now().timestamp() - float(payload.get("t", 0)) < MIN_FILL_SECONDS:
        raise ServiceError(
            "That was very quick. Please check your answers and send again.", code="too_fast", status_code=429
        )


def _cap(presentation: Presentation) -> int:
    if presentation.attendance:
        return max(20, int(presentation.attendance * CAP_OVER_ATTENDANCE))
    return CAP_WITHOUT_ATTENDANCE


@transaction.atomic
def self_identification_submit(
    *,
    token: str,
    form_started: str,
    honeypot: str = "",
    first_name: str,
    last_name: str = "",
    year_group: int | None = None,
    form_group: str = "",
    who_they_care_for: str = "",
    message: str = "",
    ok_to_contact: bool = True,
) -> SelfIdentification:
    presentation = open_presentation(token)
    if honeypot.strip():
        raise ServiceError("The form could not be sent.", code="rejected")
    _check_form_started(form_started, presentation)
    presentation = (
        Presentation.objects.select_for_update(of=("self",)).select_related("school", "project").get(pk=presentation.pk)
    )
    if presentation.self_identifications.count() >= _cap(presentation):
        raise ServiceError(
            "This link has had more answers than there were people at the presentation. Please talk to a teacher instead.",
            code="link_full",
            status_code=429,
        )
    if not first_name.strip():
        raise ServiceError("Tell us your first name so someone can find you.", field="first_name")
    if year_group is not None and year_group not in YearGroup.values:
        raise ServiceError("Choose your year group.", field="year_group")
    item = SelfIdentification.objects.create(
        presentation=presentation,
        school=presentation.school,
        project=presentation.project,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        year_group=year_group,
        form_group=form_group.strip(),
        who_they_care_for=who_they_care_for.strip(),
        message=message.strip(),
        ok_to_contact=ok_to_contact,
    )
    profile = getattr(presentation.school, "school_profile", None)
    recipients = set(school_leads(presentation.school_id, profile.young_carers_lead_id if profile else None))
    recipients |= set(project_staff_to_tell(presentation.project_id))
    notify(
        recipients=recipients,
        kind="referral.self_identified",
        context={"self_identification_id": item.pk, "school_name": presentation.school.name},
        dedupe_key=f"referral.self_identified:{item.pk}",
    )
    return item


@transaction.atomic
def self_identification_follow_up(
    *, actor: User, item: SelfIdentification, status: str, note: str = ""
) -> SelfIdentification:
    access = access_for(actor)
    if item.school_id not in access.school_ids and item.project_id not in access.project_ids:
        raise NotFound()
    if status not in SelfIdentification.Status.values or status == SelfIdentification.Status.NEW:
        raise ServiceError("Choose how it was followed up.", field="status")
    item.status, item.follow_up_note = status, note.strip()
    item.followed_up_by, item.followed_up_at = actor, timezone.now()
    item.save()
    return item
