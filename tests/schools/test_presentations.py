from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from schools.models import Presentation
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def _request(client, cast, **extra):
    body = {
        "school": cast.northgate.pk,
        "project": cast.riverside.pk,
        "audience": "pupils",
        "year_groups": [7, 8],
        "expected_size": 180,
        "preferred_dates": ["2027-01-12"],
        **extra,
    }
    return client.post("/api/v1/presentations/", body, format="json")


def test_a_school_requests_and_a_worker_schedules_and_delivers(schools, client_for):
    requested = _request(client_for(schools.khan), schools)
    assert requested.status_code == 201 and requested.json()["status"] == "requested"
    pk = requested.json()["id"]
    assert Notification.objects.filter(kind="presentation.requested", recipient=schools.priya).exists()
    priya = client_for(schools.priya)
    when = (timezone.now() + timedelta(days=14)).isoformat()
    assert priya.post(f"/api/v1/presentations/{pk}/schedule/", {"scheduled_for": when}).json()["status"] == "scheduled"
    assert Notification.objects.filter(kind="presentation.scheduled", recipient=schools.khan).exists()
    delivered = priya.post(
        f"/api/v1/presentations/{pk}/deliver/",
        {
            "delivered_at": timezone.now().isoformat(),
            "attendance": 175,
            "year_groups": [7, 8],
            "resources_used": ["Assembly slides v3"],
            "feedback": "Good questions.",
        },
        format="json",
    )
    assert delivered.status_code == 200, delivered.json()
    assert delivered.json()["attendance"] == 175
    assert_error(
        priya.post(
            f"/api/v1/presentations/{pk}/deliver/", {"delivered_at": timezone.now().isoformat(), "attendance": 1}
        ),
        409,
    )


def test_the_school_cannot_schedule_and_other_schools_cannot_see(schools, client_for):
    pk = _request(client_for(schools.khan), schools).json()["id"]
    when = (timezone.now() + timedelta(days=14)).isoformat()
    assert_error(client_for(schools.khan).post(f"/api/v1/presentations/{pk}/schedule/", {"scheduled_for": when}), 404)
    assert_error(client_for(schools.ade).get(f"/api/v1/presentations/{pk}/"), 404)
    assert_error(client_for(schools.dev).post(f"/api/v1/presentations/{pk}/schedule/", {"scheduled_for": when}), 404)
    assert (
        client_for(schools.priya).post(f"/api/v1/presentations/{pk}/schedule/", {"scheduled_for": when}).status_code
        == 200
    )


def test_bad_requests_are_refused(schools, client_for):
    client = client_for(schools.khan)
    assert_error(_request(client, schools, project=schools.eastbank.pk), 400)  # does not serve Northgate
    assert_error(_request(client, schools, year_groups=[15]), 400)
    other_school = assert_error(_request(client_for(schools.ade), schools), 400)
    assert other_school["fields"] == {"school": ["Choose one of the schools you work with."]}
    pk = _request(client, schools).json()["id"]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert_error(client_for(schools.priya).post(f"/api/v1/presentations/{pk}/schedule/", {"scheduled_for": past}), 400)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert_error(
        client_for(schools.priya).post(
            f"/api/v1/presentations/{pk}/deliver/", {"delivered_at": future, "attendance": 3}
        ),
        400,
    )
    assert_error(client.post(f"/api/v1/presentations/{pk}/cancel/", {"reason": ""}), 400)
    assert client.post(f"/api/v1/presentations/{pk}/cancel/", {"reason": "Exams week."}).json()["status"] == "cancelled"


LIST = {
    "young_carer": 0,
    "other_young_carer": 0,
    "key_worker": 1,
    "manager": 1,
    "other_project_worker": 0,
    "school_staff": 1,
    "other_school_staff": 0,
    "adult_services": 0,
    "commissioner": 0,
}


@pytest.mark.parametrize(("persona", "count"), LIST.items())
def test_each_persona_lists_presentations(schools, personas, client_for, persona, count):
    response = client_for(personas[persona]).get("/api/v1/presentations/")
    assert response.status_code == 200 and response.json()["count"] == count
    pk = Presentation.objects.get(school=schools.northgate).pk
    assert client_for(personas[persona]).get(f"/api/v1/presentations/{pk}/impact/").status_code == (
        200 if count else 404
    )


def test_impact_of_an_undelivered_presentation_is_a_409(schools, client_for):
    pk = _request(client_for(schools.khan), schools).json()["id"]
    assert_error(client_for(schools.khan).get(f"/api/v1/presentations/{pk}/impact/"), 409, "not_delivered")


def test_the_presentation_list_query_count_stays_flat(schools, client_for, django_assert_max_num_queries):
    client = client_for(schools.khan)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/presentations/")
    baseline = len(few)
    for _ in range(5):
        _request(client, schools)
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/presentations/").json()["count"] == 6


def test_the_qr_code_comes_as_png_or_svg_whatever_the_client_accepts_and_refuses_other_formats(schools, client_for):
    pk = _request(client_for(schools.khan), schools).json()["id"]
    khan = client_for(schools.khan)
    png = khan.get(f"/api/v1/presentations/{pk}/qr/", HTTP_ACCEPT="image/png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = khan.get(f"/api/v1/presentations/{pk}/qr/?as=svg", HTTP_ACCEPT="image/svg+xml")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert assert_error(khan.get(f"/api/v1/presentations/{pk}/qr/?as=gif"), 400, "invalid")["fields"] == {
        "as": ["Choose png or svg."]
    }
