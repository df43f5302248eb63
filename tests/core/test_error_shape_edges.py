"""Requests nobody expected still get the one error shape, and only upload endpoints read form bodies."""

from __future__ import annotations

import pytest
from django.test import Client

from api.wellbeing.models import CheckIn
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/presentations/1.5/", "/api/v1/no-such-thing/", "/api/v2/young-carers/", "/api/"],
)
def test_an_unknown_api_path_answers_404_in_the_error_shape(cast, client_for, path):
    assert_error(client_for(cast.priya).get(path), 404, "not_found")


def test_a_form_encoded_body_is_refused_where_the_api_takes_json(cast, client_for):
    before = CheckIn.objects.count()
    sent = client_for(cast.sam).post("/api/v1/checkins/", "mood=3", content_type="application/x-www-form-urlencoded")
    assert_error(sent, 415, "unsupported_media_type")
    assert CheckIn.objects.count() == before


def test_a_multipart_body_is_refused_where_the_api_takes_json(cast, client_for):
    sent = client_for(cast.priya).post("/api/v1/young-carers/", {"first_name": "X"}, format="multipart")
    assert_error(sent, 415, "unsupported_media_type")


def test_over_a_thousand_form_fields_answer_in_the_error_shape(cast, client_for):
    body = "&".join(f"f{i}=1" for i in range(1100))
    sent = client_for(cast.sam).post("/api/v1/checkins/", body, content_type="application/x-www-form-urlencoded")
    assert_error(sent, 415)


def test_a_multipart_body_with_no_parts_answers_in_the_error_shape(cast, client_for):
    headers = {"content_type": "multipart/form-data; boundary=xyz"}
    sent = client_for(cast.khan).post("/api/v1/referrals/1/attachments/", b"--xyz--\r\n", **headers)
    assert sent.status_code in (400, 404)
    assert_error(sent, sent.status_code)
    anonymous = Client().post("/api/v1/checkins/", b"", content_type="multipart/form-data; boundary=xyz")
    assert_error(anonymous, 401)


@pytest.mark.parametrize(
    "path",
    ["/_allauth/app/v1/account/phone", "/_allauth/browser/v1/account/phone", "/_allauth/app/v1/auth/phone/verify"],
)
@pytest.mark.parametrize("method", ["get", "put", "post"])
def test_allauths_phone_routes_are_not_served(path, method):
    assert_error(getattr(Client(), method)(path, {}, content_type="application/json"), 404, "not_found")


def test_a_staff_member_creates_a_mood_tag_and_it_starts_active_whatever_the_body_says(cast, client_for):
    body = {"organisation": cast.riverside.pk, "code": "exams", "label": "Exams", "is_active": False}
    created = client_for(cast.priya).post("/api/v1/checkins/tags/", body)
    assert created.status_code == 201, created.content[:300]
    assert created.json()["is_active"] is True
