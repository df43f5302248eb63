"""Writes to case records. Every function checks the actor; every write is audited by auditlog.

Views look a case up for the actor first (``cases.access``) so a refusal is the same 404 as a missing case; the
services check again, so no other caller (a task, another app's service) can write for someone who may not.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, access_for
from accounts.models import Membership, Organisation, User
from cases.models import CaringRole, Consent, YoungCarer, age_on
from core.errors import Conflict, NotFound, ServiceError
from core.fields import WORKER_MESSAGE

MIN_AGE, MAX_AGE = 4, 25  # from Reception (age 4) to young adult carers (up to 25)


def _check_date_of_birth(date_of_birth: date) -> None:
    today = timezone.localdate()
    if date_of_birth > today:
        raise ServiceError("The date of birth is in the future.", field="date_of_birth")
    age = age_on(date_of_birth, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ServiceError(
            f"The date of birth makes them {age}; young carers and young adult carers are {MIN_AGE} to {MAX_AGE}.",
            field="date_of_birth",
        )


def _check_key_worker(key_worker: User | None, organisation_id: int) -> None:
    if key_worker is None:
        return
    works_there = Membership.objects.filter(
        user=key_worker, organisation_id=organisation_id, role__in=PROJECT_STAFF_ROLES, ended_at__isnull=True
    ).exists()
    if not works_there:
        raise ServiceError(WORKER_MESSAGE, field="key_worker")


def _require_editor(actor: User, organisation_id: int) -> None:
    if not access_for(actor).holds(organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()


def _check_school(school: Organisation | None) -> None:
    if school is not None and school.kind != Organisation.Kind.SCHOOL:
        raise ServiceError("The school must be a school organisation.", field="school")


@transaction.atomic
def young_carer_create(*, actor: User, organisation: Organisation, **data: Any) -> YoungCarer:
    if organisation.kind != Organisation.Kind.PROJECT or not access_for(actor).holds(
        organisation.pk, *PROJECT_STAFF_ROLES
    ):
        raise NotFound()
    _check_date_of_birth(data["date_of_birth"])
    _check_key_worker(data.get("key_worker"), organisation.pk)
    _check_school(data.get("school"))
    status = YoungCarer.Status.ACTIVE if data.get("key_worker") else YoungCarer.Status.REFERRED
    return YoungCarer.objects.create(organisation=organisation, status=status, **data)


EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "school",
    "key_worker",
    "communication_needs",
    "language",
    "interpreter_needed",
    "contingency_plan",
    "gender",
    "ethnicity",
    "disability",
)


@transaction.atomic
def young_carer_update(*, actor: User, case: YoungCarer, **data: Any) -> YoungCarer:
    _require_editor(actor, case.organisation_id)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if case.status == YoungCarer.Status.CLOSED:
        raise Conflict("The case is closed; reopen it first.", code="case_closed")
    if "date_of_birth" in data:
        _check_date_of_birth(data["date_of_birth"])
    if "key_worker" in data:
        _check_key_worker(data["key_worker"], case.organisation_id)
    if "school" in data:
        _check_school(data["school"])
    for name, value in data.items():
        setattr(case, name, value)
    if case.status == YoungCarer.Status.REFERRED and case.key_worker_id:
        case.status = YoungCarer.Status.ACTIVE
    case.save()
    return case


@transaction.atomic
def young_carer_close(*, actor: User, case: YoungCarer, reason: str, note: str = "") -> YoungCarer:
    _require_editor(actor, case.organisation_id)
    if case.status == YoungCarer.Status.CLOSED:
        raise Conflict("The case is already closed.", code="case_closed")
    if reason not in YoungCarer.ClosedReason.values:
        raise ServiceError("Give a reason for closing the case.", field="reason")
    if reason == YoungCarer.ClosedReason.OTHER and not note.strip():
        raise ServiceError("Say why the case is closed when the reason is 'other'.", field="note")
    case.status, case.closed_reason, case.closed_note, case.closed_at = (
        YoungCarer.Status.CLOSED,
        reason,
        note,
        timezone.now(),
    )
    case.save()
    return case


@transaction.atomic
def young_carer_reopen(*, actor: User, case: YoungCarer) -> YoungCarer:
    _require_editor(actor, case.organisation_id)
    if case.status != YoungCarer.Status.CLOSED:
        raise Conflict("The case is not closed.", code="not_closed")
    case.status = YoungCarer.Status.ACTIVE if case.key_worker_id else YoungCarer.Status.REFERRED
    case.closed_reason, case.closed_note, case.closed_at = "", "", None
    case.save()
    return case


def _check_tasks(tasks: list[str]) -> list[str]:
    unknown = sorted(set(tasks) - set(CaringRole.Task.values))
    if unknown:
        raise ServiceError(f"Unknown caring tasks: {', '.join(unknown)}.", field="caring_tasks")
    return sorted(set(tasks))


@transaction.atomic
def caring_role_add(*, actor: User, case: YoungCarer, **data: Any) -> CaringRole:
    _require_editor(actor, case.organisation_id)
    data["caring_tasks"] = _check_tasks(data.get("caring_tasks", []))
    return CaringRole.objects.create(case=case, **data)


@transaction.atomic
def caring_role_update(*, actor: User, role: CaringRole, **data: Any) -> CaringRole:
    _require_editor(actor, role.case.organisation_id)
    if "caring_tasks" in data:
        data["caring_tasks"] = _check_tasks(data["caring_tasks"])
    for name, value in data.items():
        setattr(role, name, value)
    role.save()
    return role


def caring_role_remove(*, actor: User, role: CaringRole) -> None:
    _require_editor(actor, role.case.organisation_id)
    role.delete()


SELF_BASES = {Consent.Basis.OWN, Consent.Basis.GILLICK}


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    case: YoungCarer,
    subject: str,
    given: bool,
    basis: str,
    given_by_name: str,
    given_by_relationship: str,
    given_at: datetime | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> Consent:
    if basis not in Consent.Basis.values:
        raise ServiceError("Say on which basis consent was given.", field="basis")
    given_at = given_at or timezone.now()
    if given_at > timezone.now():
        raise ServiceError("Consent cannot be recorded for a time in the future.", field="given_at")
    if valid_until is not None and valid_until < timezone.localtime(given_at).date():
        raise ServiceError("'Valid until' is before the consent was given.", field="valid_until")
    if basis == Consent.Basis.BEST_INTERESTS and not notes.strip():
        raise ServiceError("A best-interests decision needs a note of who decided and why.", field="notes")
    if basis in SELF_BASES and given_by_relationship.strip().lower() != "self":
        raise ServiceError("The young person's own or Gillick consent is given by them ('self').", field="basis")
    if basis == Consent.Basis.GILLICK and case.age() >= 16:
        raise ServiceError(
            "Gillick competence applies under 16; at 16 and over it is their own consent.", field="basis"
        )
    return Consent.objects.create(
        case=case,
        subject=subject,
        given=given,
        basis=basis,
        given_by_name=given_by_name,
        given_by_relationship=given_by_relationship,
        given_at=given_at,
        valid_until=valid_until,
        notes=notes,
        recorded_by=actor,
    )


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, note: str = "") -> Consent:
    _require_editor(actor, consent.case.organisation_id)
    if consent.withdrawn_at is not None:
        raise Conflict("This consent was already withdrawn.", code="already_withdrawn")
    consent.withdrawn_at = timezone.now()
    if note:
        consent.notes = f"{consent.notes}\nWithdrawn: {note}".strip()
    consent.save()
    return consent


def consent_in_force(case: YoungCarer, subject: str) -> Consent | None:
    """The most recent consent decision on ``subject`` that is in force, if it is a yes."""
    latest = case.consents.filter(subject=subject, withdrawn_at__isnull=True).order_by("-given_at", "-id").first()
    return latest if latest is not None and latest.is_in_force() else None


def case_in_organisation(case_id: int, organisation_id: int) -> YoungCarer:
    case = YoungCarer.objects.filter(pk=case_id, organisation_id=organisation_id).first()
    if case is None:
        raise NotFound()
    return case
