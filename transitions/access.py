"""Access helpers for transitions and hand-overs. Each returns the object or raises the same 404."""

from __future__ import annotations

from typing import Any

from accounts.access import PROJECT_STAFF_ROLES, require_case_data_access
from accounts.models import Organisation
from core.errors import NotFound
from transitions.models import Handover, Transition

# Adult services may open the pack of a hand-over waiting for them or taken on by them, not one they returned.
OPEN_TO_ADULT_SERVICES = {Handover.Status.PENDING, Handover.Status.ACCEPTED}


def transition_for_staff(user: Any, transition_id: int) -> Transition:
    """A transition that project staff of the young carer's project may read and move on."""
    access = require_case_data_access(user)
    rows = Transition.objects.select_related("case", "case__organisation", "case__key_worker")
    transition = rows.filter(pk=transition_id).first()
    if transition is None:
        raise NotFound()
    if not access.holds(transition.case.organisation_id, *PROJECT_STAFF_ROLES):
        raise NotFound()
    return transition


def handover_for_reader(user: Any, handover_id: int, *, pack: bool = False) -> Handover:
    """A hand-over its project's staff, or the receiving adult service's members, may read.

    The pack (the record itself) is open to adult services only while the hand-over waits for them or once they
    took it on; after they returned it, or the project withdrew it, they keep only the summary row."""
    access = require_case_data_access(user)
    handover = _handover(handover_id)
    if access.holds(handover.transition.case.organisation_id, *PROJECT_STAFF_ROLES):
        return handover
    if _receives(access, handover) and (not pack or handover.status in OPEN_TO_ADULT_SERVICES):
        return handover
    raise NotFound()


def handover_for_adult_services(user: Any, handover_id: int) -> Handover:
    """A hand-over sent to an adult service the actor belongs to."""
    access = require_case_data_access(user)
    handover = _handover(handover_id)
    if not _receives(access, handover):
        raise NotFound()
    return handover


def _handover(handover_id: int) -> Handover:
    handover = (
        Handover.objects.select_related(
            "transition", "transition__case", "transition__case__organisation", "organisation"
        )
        .filter(pk=handover_id)
        .first()
    )
    if handover is None:
        raise NotFound()
    return handover


def _receives(access: Any, handover: Handover) -> bool:
    return handover.organisation_id in access.org_ids(kind=Organisation.Kind.ADULT_SERVICES)
