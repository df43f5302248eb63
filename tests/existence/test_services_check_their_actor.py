"""A service that takes ``actor`` checks it (docs/architecture.md): called for someone who may not, it refuses.

The views look objects up for the actor first, so these checks cannot be reached over HTTP; they keep a task or
another app's service from writing for the wrong person.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Invitation, Role
from accounts.services import invitation_create_for_staff, invitation_revoke
from api.peer import bookings
from api.peer import services as peer_services
from api.peer.models import Event
from cases import services as case_services
from cases.models import CaringRole, Consent
from core.errors import NotFound


def riverside_group(cast: Any) -> Any:
    return peer_services.group_create(
        actor=cast.priya,
        organisation=cast.riverside,
        name="Thursday Teens",
        min_age=12,
        max_age=17,
        recurrence="FREQ=WEEKLY;BYDAY=TH",
        starts_on=timezone.localdate(),
        start_time=time(16, 30),
        end_time=time(18, 0),
    )


def riverside_event(cast: Any) -> Event:
    starts = timezone.now() + timedelta(days=20)
    return bookings.event_create(
        actor=cast.priya,
        organisation=cast.riverside,
        kind=Event.Kind.TRIP,
        title="Climbing",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=5,
    )


def calls(cast: Any) -> dict[str, Any]:
    case = cast.sam_case
    role = CaringRole.objects.create(case=case, cared_for="Mum", relationship="parent")
    consent = Consent.objects.filter(case=case).first() or Consent.objects.create(
        case=case, subject=Consent.Subject.SUPPORT, given=True, basis=Consent.Basis.OWN, given_at=timezone.now()
    )
    return {
        "young_carer_update": lambda who: case_services.young_carer_update(actor=who, case=case, language="Welsh"),
        "young_carer_close": lambda who: case_services.young_carer_close(actor=who, case=case, reason="moved_away"),
        "young_carer_reopen": lambda who: case_services.young_carer_reopen(actor=who, case=case),
        "caring_role_add": lambda who: case_services.caring_role_add(actor=who, case=case, cared_for="Dad"),
        "caring_role_update": lambda who: case_services.caring_role_update(actor=who, role=role, cared_for="Gran"),
        "caring_role_remove": lambda who: case_services.caring_role_remove(actor=who, role=role),
        "consent_withdraw": lambda who: case_services.consent_withdraw(actor=who, consent=consent),
    }


@pytest.mark.parametrize(
    "name",
    [
        "young_carer_update",
        "young_carer_close",
        "young_carer_reopen",
        "caring_role_add",
        "caring_role_update",
        "caring_role_remove",
        "consent_withdraw",
    ],
)
def test_case_services_refuse_a_worker_of_another_project(cast, name):
    with pytest.raises(NotFound):
        calls(cast)[name](cast.dev)


def test_case_services_still_work_for_the_cases_own_worker(cast):
    assert case_services.caring_role_add(actor=cast.priya, case=cast.sam_case, cared_for="Dad").pk


def test_peer_services_refuse_a_worker_of_another_project(cast):
    session = riverside_group(cast).sessions.filter(starts_at__gt=timezone.now()).first()
    event = riverside_event(cast)
    with pytest.raises(NotFound):
        peer_services.session_cancel(actor=cast.dev, session=session)
    with pytest.raises(NotFound):
        peer_services.check_in_code_issue(actor=cast.dev, session=session)
    with pytest.raises(NotFound):
        bookings.event_update(actor=cast.dev, event=event, title="Moved")
    with pytest.raises(NotFound):
        bookings.event_cancel(actor=cast.dev, event=event)
    assert bookings.event_cancel(actor=cast.priya, event=event).status == Event.Status.CANCELLED


def test_an_invitation_is_revoked_only_by_someone_who_may_see_it(cast):
    invitation, _ = invitation_create_for_staff(
        actor=cast.tom, organisation=cast.riverside, role=Role.PROJECT_WORKER, email="nia@demo.example"
    )
    with pytest.raises(NotFound):
        invitation_revoke(actor=cast.dev, invitation=invitation)
    assert invitation_revoke(actor=cast.tom, invitation=invitation).state == "revoked"
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
