"""Who may do what with check-ins, questionnaires and alerts. Each helper returns the object or raises."""

from __future__ import annotations

from typing import Any

from accounts.access import PROJECT_STAFF_ROLES, access_for, chosen_or_only, creator_seats, require_case_data_access
from accounts.models import Organisation, Role
from api.wellbeing.models import Alert, Assignment, Instrument
from cases.models import YoungCarer
from core.errors import NotFound, ServiceError

MANAGER_ROLES = (Role.PROJECT_MANAGER, Role.ADMIN)


class YoungPeopleOnly(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"Only a young person can {what} from their own app.", code="young_people_only", status_code=403
        )


def own_case(user: Any, what: str) -> YoungCarer:
    """The case of the young person signed in; staff get a 403 that says why."""
    access = access_for(user)
    if not access.is_young_carer:
        raise YoungPeopleOnly(what)
    case = YoungCarer.objects.select_related("organisation").get(pk=access.young_carer_id or 0)
    if case.status == YoungCarer.Status.CLOSED:
        raise ServiceError(
            "Your support with the project has ended, so this cannot be sent.", code="case_closed", status_code=409
        )
    return case


def words_visible(user: Any, case: YoungCarer) -> bool:
    """Own words: the young person, their key worker and the project's managers. Nobody else."""
    access = access_for(user)
    if access.young_carer_id == case.pk:
        return True
    if case.key_worker_id == user.pk:
        return True
    return access.holds(case.organisation_id, *MANAGER_ROLES)


def project_for_staff(user: Any, organisation_id: int | None, *roles: str) -> Organisation:
    """The project the staff member acts for: the one named, or their only one."""
    require_case_data_access(user)
    seats = creator_seats(user, *(roles or PROJECT_STAFF_ROLES), kind=Organisation.Kind.PROJECT)
    if organisation_id is not None and organisation_id not in seats:
        raise NotFound()
    chosen = Organisation.objects.get(pk=organisation_id) if organisation_id is not None else None
    return chosen_or_only(chosen, seats, field="organisation", label="project")


def alert_for_staff(user: Any, alert_id: int) -> Alert:
    access = require_case_data_access(user)
    alert = Alert.objects.select_related("case", "checkin").filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    if not access.holds(alert.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return alert


def instrument_usable_by(user: Any, instrument_id: int, organisation_id: int) -> Instrument:
    """An instrument the project may assign: shipped with the product or loaded by that project."""
    instrument = Instrument.objects.filter(pk=instrument_id).first()
    if instrument is None or instrument.organisation_id not in (None, organisation_id):
        raise NotFound()
    return instrument


def assignment_for_answerer(user: Any, assignment_id: int) -> Assignment:
    """The young person it is for, or project staff of their project (filling it in together)."""
    access = require_case_data_access(user)
    assignment = Assignment.objects.select_related("case", "instrument").filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound()
    if access.young_carer_id == assignment.case_id:
        return assignment
    if not access.holds(assignment.case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return assignment


def assignment_for_staff(user: Any, assignment_id: int) -> Assignment:
    access = require_case_data_access(user)
    assignment = Assignment.objects.select_related("case", "instrument").filter(pk=assignment_id).first()
    if assignment is None or not access.holds(assignment.case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return assignment
