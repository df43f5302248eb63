"""Access helpers for case records. Each returns the record or raises the same 404."""

from __future__ import annotations

from typing import Any

from accounts.access import PROJECT_STAFF_ROLES, access_for, require_case_data_access
from cases.models import YoungCarer
from core.errors import NotFound


def case_for_reader(user: Any, case_id: int) -> YoungCarer:
    """A case the user may read: their own (young carer), or one of their project's (staff with MFA)."""
    from cases.selectors import young_carers_visible_to

    case = young_carers_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def case_for_editor(user: Any, case_id: int) -> YoungCarer:
    """A case the user may change: project staff of the case's project only."""
    access = require_case_data_access(user)
    case = YoungCarer.objects.select_related("organisation").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    if not access.holds(case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return case


def can_manage_cases_in(user: Any, organisation_id: int) -> bool:
    return access_for(user).holds(organisation_id, *PROJECT_STAFF_ROLES)
