from __future__ import annotations

import threading

import pytest
from django.db import connection

from core.errors import ServiceError
from tests.transitions.conftest import walk
from transitions import services
from transitions.models import Handover, State

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_answers_at_once_leave_one_answer(cast):
    handover = walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(kind: str) -> None:
        try:
            barrier.wait()
            fresh = Handover.objects.select_related("transition__case", "organisation").get(pk=handover.pk)
            if kind == "accept":
                services.handover_accept(actor=cast.grace, handover=fresh, worker=cast.grace)
            else:
                services.handover_return(actor=cast.grace, handover=fresh, reason="Out of area.")
            outcomes.append(kind)
        except ServiceError as exc:
            outcomes.append(f"refused:{exc.code}")
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(kind,)) for kind in ("accept", "return")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.startswith("refused") for o in outcomes) == [False, True]
    handover.refresh_from_db()
    handover.transition.refresh_from_db()
    assert handover.status in (Handover.Status.ACCEPTED, Handover.Status.RETURNED)
    assert handover.transition.state == handover.status
