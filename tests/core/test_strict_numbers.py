"""A JSON body sends numbers as numbers: text such as "4" is refused with a 400, never read as 4."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.wellbeing.models import CheckIn
from cases.models import YoungCarer
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def _checkin(mood: object) -> dict[str, object]:
    recorded_at = (timezone.now() - timedelta(minutes=1)).isoformat()
    return {"id": str(uuid.uuid4()), "mood": mood, "tags": [], "words": "", "recorded_at": recorded_at}


@pytest.mark.parametrize("mood", ["4", True, 4.5])
def test_a_declared_number_sent_as_text_or_a_boolean_is_refused_and_nothing_is_written(cast, client_for, mood):
    before = CheckIn.objects.count()
    error = assert_error(client_for(cast.sam).post("/api/v1/checkins/", _checkin(mood), format="json"), 400)
    assert "mood" in error["fields"]
    assert CheckIn.objects.count() == before


def test_the_same_number_sent_as_a_number_is_taken(cast, client_for):
    assert client_for(cast.sam).post("/api/v1/checkins/", _checkin(4), format="json").status_code == 201


def test_an_id_sent_as_text_is_refused_like_any_id_the_caller_may_not_name(cast, client_for):
    priya = client_for(cast.priya)
    url = f"/api/v1/young-carers/{cast.sam_case.pk}/"
    as_text = assert_error(priya.patch(url, {"key_worker": str(cast.priya.pk)}, format="json"), 400)
    missing = assert_error(priya.patch(url, {"key_worker": 999999}, format="json"), 400)
    assert as_text["fields"]["key_worker"] == missing["fields"]["key_worker"]
    assert priya.patch(url, {"key_worker": cast.priya.pk}, format="json").status_code == 200
    assert YoungCarer.objects.get(pk=cast.sam_case.pk).key_worker_id == cast.priya.pk


def test_a_presentation_size_sent_as_text_is_refused(cast, client_for):
    body = {"school": cast.northgate.pk, "project": cast.riverside.pk, "audience": "pupils", "expected_size": "180"}
    error = assert_error(client_for(cast.khan).post("/api/v1/presentations/", body, format="json"), 400)
    assert "expected_size" in error["fields"]
