"""Writes for the questionnaires engine: loading instruments, assigning them, answering them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import PROJECT_STAFF_ROLES, access_for
from accounts.models import Organisation
from api.wellbeing import rules, scoring
from api.wellbeing.access import MANAGER_ROLES
from api.wellbeing.models import Assignment, Instrument, InstrumentVersion, QuestionnaireResponse
from api.wellbeing.services import Outcome, alert_raise
from audit.services import record_event
from cases.models import YoungCarer
from core.errors import Conflict, NotFound, ServiceError

REVIEW_EVERY_MONTHS = 6
EXAMPLE_INSTRUMENT_FILE = Path(__file__).resolve().parent / "data" / "home_and_school.json"


@transaction.atomic
def instrument_load(
    *,
    organisation: Organisation | None,
    code: str,
    name: str,
    definition: dict[str, Any],
    licence_note: str = "",
    actor: Any = None,
) -> InstrumentVersion:
    """Create the instrument or a new version of it. Loading the same definition again changes nothing."""
    scoring.validate_definition(definition)
    instrument, _ = Instrument.objects.select_for_update().get_or_create(
        organisation=organisation, code=code, defaults={"name": name, "licence_note": licence_note}
    )
    if instrument.name != name or instrument.licence_note != licence_note:
        instrument.name, instrument.licence_note = name, licence_note
        instrument.save(update_fields=["name", "licence_note"])
    current = instrument.versions.order_by("-number").first()
    if current is not None and current.definition == definition:
        return current
    number = current.number + 1 if current else 1
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=number, definition=definition, created_by=actor
    )
    if actor is not None:
        record_event(actor=actor, instance=instrument, event="instrument.load", details={"version": number})
    return version


def instrument_import(*, actor: Any, organisation: Organisation, **data: Any) -> InstrumentVersion:
    """A project loads an instrument it holds a licence for. Managers only."""
    if not access_for(actor).holds(organisation.pk, *MANAGER_ROLES):
        raise NotFound()
    return instrument_load(organisation=organisation, actor=actor, **data)


def load_example_instrument() -> InstrumentVersion:
    """The example instrument we wrote ourselves, shipped with the product."""
    data = json.loads(EXAMPLE_INSTRUMENT_FILE.read_text(encoding="utf-8"))
    return instrument_load(organisation=None, code=data["code"], name=data["name"], definition=data["definition"])


def current_version(instrument: Instrument) -> InstrumentVersion:
    version = instrument.versions.order_by("-number").first()
    if version is None:
        raise ServiceError("This questionnaire has no version to answer yet.", code="no_version")
    return version


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    case: YoungCarer,
    instrument: Instrument,
    reason: str,
    due_on: date | None = None,
    repeat_every_months: int | None = REVIEW_EVERY_MONTHS,
) -> Assignment:
    if not access_for(actor).holds(case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    if instrument.organisation_id not in (None, case.organisation_id):
        raise NotFound()
    if case.status == YoungCarer.Status.CLOSED:
        raise ServiceError("The case is closed.", code="case_closed", status_code=409)
    current_version(instrument)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                case=case,
                instrument=instrument,
                reason=reason,
                due_on=due_on or timezone.localdate(),
                repeat_every_months=repeat_every_months,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict("This questionnaire is already waiting to be answered.", code="already_assigned") from None
    return assignment


@transaction.atomic
def assignment_cancel(*, actor: Any, assignment: Assignment) -> Assignment:
    if assignment.status != Assignment.Status.PENDING:
        raise Conflict("Only a pending questionnaire can be cancelled.", code="not_pending")
    assignment.status = Assignment.Status.CANCELLED
    assignment.save(update_fields=["status"])
    record_event(actor=actor, instance=assignment, event="questionnaire.cancel")
    return assignment


def _score_fall(response: QuestionnaireResponse, version: InstrumentVersion) -> rules.Match | None:
    threshold = version.definition["scoring"].get("alert_when_worse_by")
    if threshold is None or response.score is None:
        return None
    previous = (
        QuestionnaireResponse.objects.filter(
            case_id=response.case_id, version__instrument_id=version.instrument_id, score__isnull=False
        )
        .exclude(pk=response.pk)
        .order_by("-submitted_at", "-id")
        .values_list("score", flat=True)
        .first()
    )
    if previous is None:
        return None
    worse = scoring.worse_by(version.definition, Decimal(previous), response.score)
    return rules.score_fall_match(
        instrument=version.instrument.code,
        worse_by=float(worse),
        threshold=float(threshold),
        previous=float(previous),
        latest=float(response.score),
    )


@transaction.atomic
def response_submit(
    *, actor: Any, assignment: Assignment, answers: dict[str, Any], version: InstrumentVersion | None = None
) -> tuple[QuestionnaireResponse, Outcome]:
    """Score the answers against the version they were given for; run the safeguarding rules."""
    assignment = Assignment.objects.select_for_update().select_related("case", "instrument").get(pk=assignment.pk)
    if assignment.status != Assignment.Status.PENDING:
        raise Conflict("This questionnaire has already been answered or was cancelled.", code="not_pending")
    if version is None:
        version = current_version(assignment.instrument)
    elif version.instrument_id != assignment.instrument_id:
        raise ServiceError("That version belongs to another questionnaire.", field="version")
    result = scoring.score(version.definition, answers)
    now = timezone.now()
    response = QuestionnaireResponse.objects.create(
        case=assignment.case,
        version=version,
        assignment=assignment,
        answers=answers,
        complete=result.complete,
        raw_total=result.raw_total,
        score=result.score,
        band=result.band,
        subscales=result.subscales,
        submitted_at=now,
        submitted_by=actor,
    )
    assignment.status, assignment.completed_at = Assignment.Status.COMPLETED, now
    assignment.save(update_fields=["status", "completed_at"])
    match = _score_fall(response, version)
    if match is None:
        return response, Outcome()
    alert, told = alert_raise(case=assignment.case, matches=[match], actor=actor, response=response, now=now)
    return response, Outcome(alert=alert, worker_told=told)


def create_due_reviews(today: date | None = None) -> int:
    """Create the next review of each repeating questionnaire whose time has come. Idempotent."""
    today = today or timezone.localdate()
    candidates = Assignment.objects.filter(
        repeat_every_months__isnull=False,
        next_created=False,
        case__status__in=[YoungCarer.Status.ACTIVE, YoungCarer.Status.REFERRED],
    ).exclude(status=Assignment.Status.CANCELLED)
    created = 0
    for assignment in candidates.iterator():
        assert assignment.repeat_every_months is not None
        next_due = assignment.due_on + relativedelta(months=assignment.repeat_every_months)
        if next_due <= today and _create_review(assignment, next_due):
            created += 1
    return created


@transaction.atomic
def _create_review(assignment: Assignment, due_on: date) -> bool:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.next_created:
        return False
    if Assignment.objects.filter(
        case_id=locked.case_id, instrument_id=locked.instrument_id, status=Assignment.Status.PENDING
    ).exists():
        return False  # one outstanding at a time; the next one follows once it is answered
    Assignment.objects.create(
        case_id=locked.case_id,
        instrument_id=locked.instrument_id,
        reason=Assignment.Reason.REVIEW,
        due_on=due_on,
        repeat_every_months=locked.repeat_every_months,
    )
    locked.next_created = True
    locked.save(update_fields=["next_created"])
    return True
