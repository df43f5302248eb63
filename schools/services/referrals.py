"""Staff referrals: drafts, submission with full checks, attachments, and the project's triage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, access_for, require_case_data_access
from accounts.models import Membership, Organisation, Role, User
from audit.services import record_event
from cases import services as case_services
from cases.models import CaringRole, Consent, YoungCarer, age_on
from core.errors import Conflict, NotFound, ServiceError
from notifications.services import notify
from schools.files import checked_upload, safe_name
from schools.models import Referral, ReferralAttachment, SchoolProject, SelfIdentification
from schools.rules import (
    MAX_PUPIL_AGE,
    MIN_PUPIL_AGE,
    YEAR_GROUP_TOLERANCE,
    expected_year_group,
    year_group_label,
)
from schools.services.notify import project_staff_to_tell, referral_context, tell_referrer
from schools.workdays import due_after

ACKNOWLEDGE_WITHIN_WORKING_DAYS = 2
ATTACHMENT_TYPES = {"application/pdf", "image/png", "image/jpeg"}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

EDITABLE = (
    "project",
    "first_name",
    "last_name",
    "date_of_birth",
    "year_group",
    "gender",
    "postcode",
    "ethnicity",
    "cared_for",
    "relationship",
    "condition_category",
    "caring_tasks",
    "impact_on_school",
    "impact_notes",
    "pupil_views",
    "pupil_knows_and_agrees",
    "parent_knows_and_agrees",
    "parent_name",
    "parent_relationship",
    "parent_not_asked_basis",
    "parent_not_asked_note",
    "safeguarding_concern",
    "dsl_informed",
    "self_identification",
)


# --- Drafts and submission -----------------------------------------------------------------------


def _check_school_member(actor: User, school: Organisation) -> None:
    if school.kind != Organisation.Kind.SCHOOL or school.pk not in access_for(actor).school_ids:
        raise NotFound()


def _check_project(school: Organisation, project: Organisation | None) -> None:
    if project is None:
        return
    if not SchoolProject.objects.accepted().filter(school=school, project=project, project__is_active=True).exists():
        raise ServiceError("That project does not serve this school; choose one that does.", field="project")


def _check_date_of_birth(date_of_birth: date, today: date) -> int:
    if date_of_birth > today:
        raise ServiceError("The date of birth is in the future.", field="date_of_birth")
    age = age_on(date_of_birth, today)
    if not MIN_PUPIL_AGE <= age <= MAX_PUPIL_AGE:
        raise ServiceError(
            f"The date of birth makes the pupil {age}; pupils are {MIN_PUPIL_AGE} to {MAX_PUPIL_AGE}.",
            field="date_of_birth",
        )
    return age


def _check_year_group(date_of_birth: date, year_group: int, today: date) -> None:
    expected = expected_year_group(date_of_birth, today)
    if abs(year_group - expected) > YEAR_GROUP_TOLERANCE:
        raise ServiceError(
            f"{year_group_label(year_group)} does not match the date of birth: a pupil born then is in "
            f"{year_group_label(max(expected, 0))} this school year (one year either side is accepted).",
            field="year_group",
        )


def _check_codes(values: list[str], allowed: list[str], field: str) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ServiceError(f"Unknown values: {', '.join(unknown)}.", field=field)
    return sorted(set(values))


def _check_what_is_given(referral: Referral) -> None:
    """Checks that hold for drafts too: whatever is filled in must be right."""
    today = timezone.localdate()
    if referral.date_of_birth is not None:
        _check_date_of_birth(referral.date_of_birth, today)
        if referral.year_group is not None:
            _check_year_group(referral.date_of_birth, referral.year_group, today)
    referral.caring_tasks = _check_codes(referral.caring_tasks or [], CaringRole.Task.values, "caring_tasks")
    referral.impact_on_school = _check_codes(
        referral.impact_on_school or [], Referral.Impact.values, "impact_on_school"
    )
    _check_project(referral.school, referral.project)


EMPTY: tuple[object, ...] = (None, "", [])
PUPIL_MUST_AGREE = "The pupil must know about the referral and agree to it."
SAY_IF_SAFEGUARDING = "Say whether the referral raises a safeguarding concern."
REQUIRED_TO_SUBMIT = {
    "project": "Choose the young carers project to refer to.",
    "first_name": "Give the pupil's first name.",
    "last_name": "Give the pupil's last name.",
    "date_of_birth": "Give the pupil's date of birth.",
    "year_group": "Give the pupil's year group.",
    "cared_for": "Say who the pupil cares for.",
    "relationship": "Say how the pupil is related to the person they care for.",
    "condition_category": "Say what the cared-for person's condition is (the category is enough).",
    "caring_tasks": "Say what caring the pupil does.",
}


def _check_complete(referral: Referral) -> None:
    """Every missing answer at once, so the school can fill them all in one go; then the rules between answers."""
    missing = {name: [message] for name, message in REQUIRED_TO_SUBMIT.items() if getattr(referral, name) in EMPTY}
    if referral.pupil_knows_and_agrees is not True:
        missing["pupil_knows_and_agrees"] = [PUPIL_MUST_AGREE]
    if referral.safeguarding_concern is None:
        missing["safeguarding_concern"] = [SAY_IF_SAFEGUARDING]
    if missing:
        count = f"{len(missing)} answers are" if len(missing) > 1 else "1 answer is"
        raise ServiceError(f"{count} missing before this referral can be sent.", code="incomplete", fields=missing)
    _check_consent(referral)
    _check_safeguarding(referral)


def _check_consent(referral: Referral) -> None:
    if referral.pupil_knows_and_agrees is not True:
        raise ServiceError(PUPIL_MUST_AGREE, field="pupil_knows_and_agrees")
    if referral.parent_knows_and_agrees is True:
        if not referral.parent_name.strip() or not referral.parent_relationship.strip():
            raise ServiceError("Give the name and relationship of the parent who agreed.", field="parent_name")
        return
    basis = referral.parent_not_asked_basis
    if not basis:
        raise ServiceError(
            "A parent must know and agree, or give the reason a parent cannot be asked.", field="parent_not_asked_basis"
        )
    assert referral.date_of_birth is not None
    if basis == Referral.ParentBasis.PUPIL_16_PLUS and age_on(referral.date_of_birth, timezone.localdate()) < 16:
        raise ServiceError(
            "The pupil is under 16, so they cannot consent as a 16-year-old.", field="parent_not_asked_basis"
        )
    if not referral.parent_not_asked_note.strip():
        raise ServiceError("Explain why a parent cannot be asked.", field="parent_not_asked_note")


def _check_safeguarding(referral: Referral) -> None:
    if referral.safeguarding_concern is None:
        raise ServiceError(SAY_IF_SAFEGUARDING, field="safeguarding_concern")
    if referral.safeguarding_concern and not referral.dsl_informed:
        raise ServiceError(
            "A safeguarding concern belongs with your Designated Safeguarding Lead now: tell them, then confirm it here. "
            "This referral does not replace that.",
            field="dsl_informed",
            code="dsl_not_informed",
        )


def _apply(referral: Referral, data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"These fields cannot be set here: {', '.join(sorted(unknown))}.")
    if "self_identification" in data:
        data = {**data, "self_identification": _self_identification_at(referral.school, data["self_identification"])}
    for name, value in data.items():
        setattr(referral, name, value)


def _self_identification_at(school: Organisation, item_id: int | None) -> SelfIdentification | None:
    """The pupil's own self-identification this referral follows up: it must be at the same school."""
    if item_id is None:
        return None
    item = SelfIdentification.objects.filter(pk=item_id, school=school).first()
    if item is None:
        raise ServiceError("There is no self-identification with that id at this school.", field="self_identification")
    return item


@transaction.atomic
def referral_create(*, actor: User, school: Organisation, **data: Any) -> Referral:
    """Save a draft: incomplete is fine, wrong is not."""
    _check_school_member(actor, school)
    referral = Referral(school=school, referred_by=actor)
    _apply(referral, data)
    _check_what_is_given(referral)
    referral.save()
    return referral


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, **data: Any) -> Referral:
    _check_school_member(actor, referral.school)
    if referral.status != Referral.Status.DRAFT:
        raise Conflict("A submitted referral cannot be changed; contact the project.", code="not_a_draft")
    _apply(referral, data)
    _check_what_is_given(referral)
    referral.save()
    return referral


@transaction.atomic
def referral_submit(*, actor: User, referral: Referral) -> Referral:
    _check_school_member(actor, referral.school)
    referral = Referral.objects.select_for_update(of=("self",)).select_related("school", "project").get(pk=referral.pk)
    if referral.status != Referral.Status.DRAFT:
        raise Conflict("This referral was already submitted.", code="already_submitted")
    _check_what_is_given(referral)
    _check_complete(referral)
    now = timezone.now()
    referral.status, referral.submitted_at = Referral.Status.SUBMITTED, now
    if referral.self_identification_id:
        SelfIdentification.objects.filter(pk=referral.self_identification_id).update(
            status=SelfIdentification.Status.REFERRED, followed_up_by=actor, followed_up_at=now
        )
    referral.acknowledge_due_at = due_after(now, ACKNOWLEDGE_WITHIN_WORKING_DAYS)
    referral.save()
    assert referral.project_id is not None
    notify(
        recipients=project_staff_to_tell(referral.project_id),
        kind="referral.received",
        context=referral_context(referral, due=timezone.localtime(referral.acknowledge_due_at).strftime("%d %b %Y")),
        dedupe_key=f"referral.received:{referral.pk}",
    )
    record_event(actor=actor, instance=referral, event="referral.submit", details={"census_code": referral.census_code})
    return referral


@transaction.atomic
def referral_delete_draft(*, actor: User, referral: Referral) -> None:
    _check_school_member(actor, referral.school)
    if referral.status != Referral.Status.DRAFT:
        raise Conflict("Only a draft can be deleted.", code="not_a_draft")
    for attachment in referral.attachments.all():
        attachment.file.delete(save=False)
    referral.delete()


# --- Attachments ---------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: User, referral: Referral, upload: UploadedFile, kind: str) -> ReferralAttachment:
    """Stored privately under a random name. Drafts only: what the project received does not change under it."""
    _check_school_member(actor, referral.school)
    if referral.status != Referral.Status.DRAFT:
        raise Conflict("Attachments can be added while the referral is a draft.", code="not_a_draft")
    if kind not in ReferralAttachment.Kind.values:
        raise ServiceError("Unknown kind of attachment.", field="kind")
    if referral.attachments.count() >= MAX_ATTACHMENTS:
        raise ServiceError(f"A referral can carry at most {MAX_ATTACHMENTS} attachments.", field="file")
    content_type = checked_upload(upload, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    attachment = ReferralAttachment(
        referral=referral,
        kind=kind,
        original_name=safe_name(upload.name, content_type),
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    # If the row fails to save, do not leave the file behind.
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


# --- Triage --------------------------------------------------------------------------------------


def _lock_open(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update(of=("self",)).select_related("school", "project").get(pk=referral.pk)
    if locked.status not in Referral.OPEN:
        raise Conflict(f"This referral is already {locked.get_status_display().lower()}.", code="already_decided")
    return locked


def _check_worker(actor: User, referral: Referral) -> None:
    access = require_case_data_access(actor)
    if referral.project_id is None or not access.holds(referral.project_id, *PROJECT_STAFF_ROLES):
        raise NotFound()


@transaction.atomic
def referral_acknowledge(*, actor: User, referral: Referral, message: str = "") -> Referral:
    _check_worker(actor, referral)
    referral = _lock_open(referral)
    if referral.status != Referral.Status.SUBMITTED:
        raise Conflict("This referral was already acknowledged.", code="already_acknowledged")
    referral.status, referral.acknowledged_at, referral.acknowledged_by = (
        Referral.Status.ACKNOWLEDGED,
        timezone.now(),
        actor,
    )
    referral.message_to_referrer = message.strip() or "We have received your referral and will be in touch."
    referral.save()
    on_time = referral.acknowledge_due_at is None or referral.acknowledged_at <= referral.acknowledge_due_at
    record_event(actor=actor, instance=referral, event="referral.acknowledge", details={"on_time": on_time})
    tell_referrer(referral, "referral.acknowledged")
    return referral


def _decide(referral: Referral, actor: User, status: str, message: str) -> None:
    now = timezone.now()
    if referral.acknowledged_at is None:
        referral.acknowledged_at, referral.acknowledged_by = now, actor
    referral.status, referral.decided_at, referral.decided_by = status, now, actor
    referral.message_to_referrer = message.strip()


@transaction.atomic
def referral_accept(
    *, actor: User, referral: Referral, key_worker: User | None = None, case: int | None = None, message: str = ""
) -> Referral:
    """Open the young carer's record (or link to the one they already have), carrying consent and caring details."""
    _check_worker(actor, referral)
    referral = _lock_open(referral)
    assert referral.project is not None and referral.date_of_birth is not None
    existing = _existing_record(referral, case) if case is not None else None
    record = existing or _open_record(actor, referral, key_worker or actor)
    _carry_consent(actor, referral, record)
    if existing is None or not existing.caring_roles.filter(cared_for__iexact=referral.cared_for).exists():
        case_services.caring_role_add(
            actor=actor,
            case=record,
            cared_for=referral.cared_for,
            relationship=referral.relationship,
            condition_category=referral.condition_category,
            caring_tasks=referral.caring_tasks,
        )
    _decide(
        referral,
        actor,
        Referral.Status.ACCEPTED,
        message or "The project has accepted the referral and will support the pupil.",
    )
    referral.case = record
    referral.save()
    record_event(actor=actor, instance=referral, event="referral.accept", details={"case_id": record.pk})
    tell_referrer(referral, "referral.accepted")
    return referral


def _existing_record(referral: Referral, case_id: int) -> YoungCarer:
    # The same answer whether the id does not exist or belongs to another project.
    record = YoungCarer.objects.filter(pk=case_id, organisation=referral.project).first()
    if record is None:
        raise ServiceError("There is no record with that id in this project.", field="case")
    return record


def _open_record(actor: User, referral: Referral, key_worker: User) -> YoungCarer:
    assert referral.project is not None and referral.date_of_birth is not None
    if not Membership.objects.filter(
        user=key_worker, organisation=referral.project, role__in=PROJECT_STAFF_ROLES, ended_at__isnull=True
    ).exists():
        raise ServiceError("The key worker must work for the project.", field="key_worker")
    return case_services.young_carer_create(
        actor=actor,
        organisation=referral.project,
        first_name=referral.first_name,
        last_name=referral.last_name,
        date_of_birth=referral.date_of_birth,
        school=referral.school,
        key_worker=key_worker,
        gender=referral.gender,
        ethnicity=referral.ethnicity,
    )


def _carry_consent(actor: User, referral: Referral, case: YoungCarer) -> None:
    given_at = referral.submitted_at or timezone.now()
    if referral.parent_knows_and_agrees:
        case_services.consent_record(
            actor=actor,
            case=case,
            subject=Consent.Subject.SUPPORT,
            given=True,
            basis=Consent.Basis.PARENT,
            given_by_name=referral.parent_name,
            given_by_relationship=referral.parent_relationship,
            given_at=given_at,
            notes=f"Given to the school with referral {referral.reference}.",
        )
        return
    age = age_on(referral.date_of_birth or timezone.localdate(), timezone.localdate())
    basis_note = f"{referral.get_parent_not_asked_basis_display()}: {referral.parent_not_asked_note}"
    if age >= 16:
        basis = Consent.Basis.OWN
    elif referral.parent_not_asked_basis == Referral.ParentBasis.PUPIL_GILLICK_COMPETENT:
        basis = Consent.Basis.GILLICK
    else:
        basis = Consent.Basis.BEST_INTERESTS
    case_services.consent_record(
        actor=actor,
        case=case,
        subject=Consent.Subject.SUPPORT,
        given=True,
        basis=basis,
        given_by_name=referral.full_name if basis != Consent.Basis.BEST_INTERESTS else actor.display_name,
        given_by_relationship="self" if basis != Consent.Basis.BEST_INTERESTS else "project worker",
        given_at=given_at,
        notes=f"Referral {referral.reference}; parent not asked. {basis_note}",
    )


@transaction.atomic
def referral_signpost(*, actor: User, referral: Referral, to: str, reason: str, message: str = "") -> Referral:
    _check_worker(actor, referral)
    if not to.strip():
        raise ServiceError("Say where the pupil is signposted to.", field="to")
    if not reason.strip():
        raise ServiceError("Say why the pupil is signposted there.", field="reason")
    referral = _lock_open(referral)
    _decide(
        referral, actor, Referral.Status.SIGNPOSTED, message or f"The project has signposted the pupil to {to.strip()}."
    )
    referral.signpost_to, referral.signpost_reason = to.strip(), reason.strip()
    referral.save()
    record_event(actor=actor, instance=referral, event="referral.signpost", details={"to": referral.signpost_to})
    tell_referrer(referral, "referral.signposted", to=referral.signpost_to)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str, message: str = "") -> Referral:
    _check_worker(actor, referral)
    if not reason.strip():
        raise ServiceError("Give a reason for declining the referral.", field="reason")
    referral = _lock_open(referral)
    _decide(referral, actor, Referral.Status.DECLINED, message or reason)
    referral.decline_reason = reason.strip()
    referral.save()
    record_event(actor=actor, instance=referral, event="referral.decline", details={})
    tell_referrer(referral, "referral.declined")
    return referral


MERGE_FILL = (
    "gender",
    "postcode",
    "ethnicity",
    "impact_notes",
    "pupil_views",
    "parent_name",
    "parent_relationship",
    "self_identification_id",  # the pupil's own words stay reachable from the referral that is kept
)


@transaction.atomic
def referral_merge(*, actor: User, referral: Referral, into: Referral, message: str = "") -> Referral:
    """Fold a duplicate (``referral``) into the one that is kept (``into``); both stay on record."""
    _check_worker(actor, referral)
    _check_worker(actor, into)
    if referral.pk == into.pk:
        raise ServiceError("A referral cannot be merged into itself.", field="into")
    if referral.project_id != into.project_id:
        raise ServiceError("Both referrals must be to the same project.", field="into")
    duplicate, kept = _lock_open(referral), _lock_open(into)
    for name in MERGE_FILL:
        if not getattr(kept, name) and getattr(duplicate, name):
            setattr(kept, name, getattr(duplicate, name))
    kept.impact_on_school = sorted(set(kept.impact_on_school) | set(duplicate.impact_on_school))
    kept.caring_tasks = sorted(set(kept.caring_tasks) | set(duplicate.caring_tasks))
    kept.save()
    duplicate.attachments.update(referral=kept)
    _decide(
        duplicate,
        actor,
        Referral.Status.MERGED,
        message or "This pupil had already been referred; the referrals are now one.",
    )
    duplicate.duplicate_of = kept
    duplicate.save()
    record_event(actor=actor, instance=duplicate, event="referral.merge", details={"into": kept.pk})
    tell_referrer(duplicate, "referral.merged")
    return kept


def referrals_remind_overdue(now: datetime | None = None) -> int:
    """Tell each project's managers and on-duty workers about referrals not acknowledged in time. Once per referral."""
    now = now or timezone.now()
    overdue = list(
        Referral.objects.select_related("school")
        .filter(status=Referral.Status.SUBMITTED, acknowledge_due_at__lt=now, overdue_reminded_at__isnull=True)
        .order_by("acknowledge_due_at")[:500]
    )
    recipients: dict[int, set[int]] = {}
    for referral in overdue:
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk, overdue_reminded_at__isnull=True).update(
                overdue_reminded_at=now
            )
            if not claimed:
                continue
            assert referral.project_id is not None
            if referral.project_id not in recipients:
                recipients[referral.project_id] = _overdue_recipients(referral.project_id)
            notify(
                recipients=recipients[referral.project_id],
                kind="referral.acknowledge_overdue",
                context=referral_context(referral),
                dedupe_key=f"referral.acknowledge_overdue:{referral.pk}",
            )
    return len(overdue)


def _overdue_recipients(project_id: int) -> set[int]:
    managers = Membership.objects.filter(
        organisation_id=project_id, role__in=[Role.PROJECT_MANAGER, Role.ADMIN], ended_at__isnull=True
    ).values_list("user_id", flat=True)
    return {*project_staff_to_tell(project_id), *managers}
