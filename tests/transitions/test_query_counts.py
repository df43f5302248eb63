from __future__ import annotations

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Consent, YoungCarer
from tests.transitions.conftest import walk
from transitions.models import State

pytestmark = pytest.mark.django_db


def _more(cast, count: int, to: str) -> None:
    for index in range(count):
        case = YoungCarer.objects.create(
            organisation=cast.riverside,
            first_name=f"Extra{index}",
            last_name="Carer",
            key_worker=cast.priya,
            date_of_birth=timezone.localdate() - relativedelta(years=17, months=index % 10),
            status=YoungCarer.Status.ACTIVE,
        )
        Consent.objects.create(
            case=case,
            subject="share_with_adult_services",
            given=True,
            basis="own",
            given_by_name="x",
            given_by_relationship="self",
            given_at=timezone.now(),
        )
        walk(cast, case, to)


@pytest.mark.parametrize(
    ("url", "user", "to"),
    [
        ("/api/v1/transitions/", "priya", State.CONSIDERED),
        ("/api/v1/transitions/at-risk/", "priya", State.CONSIDERED),
        ("/api/v1/handovers/", "grace", State.HANDOVER_REFERRED),
        ("/api/v1/handovers/", "priya", State.ACCEPTED),
    ],
)
def test_lists_keep_a_flat_query_count(cast, client_for, django_assert_max_num_queries, url, user, to):
    client = client_for(getattr(cast, user))
    _more(cast, 2, to)
    client.get(url)  # warm caches (content types)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    _more(cast, 12, to)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
