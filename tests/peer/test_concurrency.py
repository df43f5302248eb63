"""Two young carers booking the last place at the same moment, on PostgreSQL with real concurrent transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from api.peer import bookings
from api.peer.models import Booking
from tests.peer.conftest import make_event


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once_one_gets_it_one_waits(cast):
    event = make_event(cast, capacity=1)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def take(name: str, case_id: int) -> None:
        from accounts.models import User
        from cases.models import YoungCarer

        try:
            actor = User.objects.get(pk=cast.priya.pk)
            case = YoungCarer.objects.get(pk=case_id)
            barrier.wait(timeout=10)
            booking = bookings.booking_create(actor=actor, event=event, case=case)
            results[name] = booking.status
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=take, args=(name, case.pk))
        for name, case in (("alex", cast.alex_case), ("other", _second_adult(cast)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(results.values()) == ["confirmed", "waitlisted"]
    assert Booking.objects.filter(event=event, status__in=Booking.HOLDS_PLACE).count() == 1


def _second_adult(cast):
    """A second young person of 17 at Riverside, so neither booking needs a parent's consent."""
    from cases.models import YoungCarer

    return YoungCarer.objects.create(
        organisation=cast.riverside,
        first_name="Rory",
        last_name="Hill",
        date_of_birth=cast.alex_case.date_of_birth,
        status="active",
        key_worker=cast.priya,
    )
