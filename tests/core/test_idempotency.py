from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Invitation
from core.idempotency import fingerprint
from core.models import IdempotencyRecord
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/invitations/"


@pytest.fixture
def body(cast):
    cast.sam_case.account = None
    cast.sam_case.save(update_fields=["account"])
    return {"kind": "young_carer", "case": cast.sam_case.pk}


def test_the_same_key_with_another_body_is_refused(cast, client_for, body):
    client = client_for(cast.priya)
    assert client.post(URL, body, HTTP_IDEMPOTENCY_KEY="abc").status_code == 201
    response = client.post(URL, {**body, "email": "other@demo.example"}, HTTP_IDEMPOTENCY_KEY="abc")
    assert_error(response, 422, "idempotency_key_reused")
    assert Invitation.objects.count() == 1


def test_a_request_still_in_flight_gets_409(cast, client_for, body):
    payload = json.dumps(body)
    IdempotencyRecord.objects.create(
        user=cast.priya, key="busy", fingerprint=fingerprint("POST", URL, payload.encode())
    )
    response = client_for(cast.priya).post(URL, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="busy")
    assert_error(response, 409, "idempotency_in_progress")
    assert not Invitation.objects.exists()


def test_an_abandoned_key_is_taken_over(cast, client_for, body):
    payload = json.dumps(body)
    record = IdempotencyRecord.objects.create(
        user=cast.priya, key="dead", fingerprint=fingerprint("POST", URL, payload.encode())
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    response = client_for(cast.priya).post(URL, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="dead")
    assert response.status_code == 201


def test_keys_belong_to_one_user(cast, client_for, body):
    first = client_for(cast.priya).post(URL, body, HTTP_IDEMPOTENCY_KEY="shared")
    second = client_for(cast.tom).post(URL, body, HTTP_IDEMPOTENCY_KEY="shared")
    assert first.status_code == 201
    # Tom's request is his own: it runs (and finds the case already invited-for, which is fine: a new invitation).
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]


def test_an_error_response_is_replayed_too(cast, client_for):
    client = client_for(cast.priya)
    bad = {"kind": "young_carer", "case": cast.sam_case.pk}  # Sam already has an account: 409
    assert client.post(URL, bad, HTTP_IDEMPOTENCY_KEY="err").status_code == 409
    replay = client.post(URL, bad, HTTP_IDEMPOTENCY_KEY="err")
    assert replay.status_code == 409 and replay["Idempotent-Replayed"] == "true"


def test_a_server_error_frees_the_key_so_a_retry_runs(cast, client_for, body, monkeypatch):
    from accounts import services

    real = services.invitation_create_for_young_carer

    def crash(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "invitation_create_for_young_carer", crash)
    client = client_for(cast.priya)
    client.raise_request_exception = False
    assert client.post(URL, body, HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 500
    assert not IdempotencyRecord.objects.filter(key="retry-me").exists()
    monkeypatch.setattr(services, "invitation_create_for_young_carer", real)
    retried = client.post(URL, body, HTTP_IDEMPOTENCY_KEY="retry-me")
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried


def test_an_oversized_key_is_refused(cast, client_for, body):
    assert_error(client_for(cast.priya).post(URL, body, HTTP_IDEMPOTENCY_KEY="k" * 300), 400, "invalid_idempotency_key")
