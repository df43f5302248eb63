from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from api.wellbeing.models import Alert, CheckIn
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

STAFF_READING_SAMS_CHECKINS = {
    "young_carer": 200,
    "other_young_carer": 404,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


def test_sam_checks_in_and_sees_crisis_lines(cast, client_for, tags, checkin_body):
    body = checkin_body(4, tags=["school", "tired"], words="Long day")
    response = client_for(cast.sam).post("/api/v1/checkins/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["checkin"]["mood"] == 4
    assert data["checkin"]["words"] == "Long day"
    assert data["support"]["alert_raised"] is False
    assert {line["number"] for line in data["support"]["crisis_lines"]} == {"0800 1111", "85258", "999"}
    checkin = CheckIn.objects.get(pk=body["id"])
    assert checkin.case == cast.sam_case
    assert checkin.received_at >= checkin.recorded_at


def test_an_offline_retry_returns_the_same_checkin_and_writes_nothing_new(cast, client_for, tags, checkin_body):
    body = checkin_body(3, tags=["home"], minutes_ago=60 * 5)
    client = client_for(cast.sam)
    first = client.post("/api/v1/checkins/", body, format="json")
    again = client.post("/api/v1/checkins/", body, format="json")
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["checkin"] == first.json()["checkin"]
    assert CheckIn.objects.filter(case=cast.sam_case).count() == 1


def test_the_same_id_with_other_content_is_a_conflict(cast, client_for, checkin_body):
    body = checkin_body(3)
    client = client_for(cast.sam)
    assert client.post("/api/v1/checkins/", body, format="json").status_code == 201
    assert_error(client.post("/api/v1/checkins/", {**body, "mood": 5}, format="json"), 409, "checkin_id_reused")
    # Another young person cannot reuse (or probe) Sam's id either.
    assert_error(client_for(cast.jo).post("/api/v1/checkins/", body, format="json"), 409)
    assert CheckIn.objects.get(pk=body["id"]).mood == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mood": 0}, "mood"),
        ({"mood": 6}, "mood"),
        ({"mood": "happy"}, "mood"),
        ({"tags": ["not-a-tag"]}, "tags"),
        ({"words": "x" * 1001}, "words"),
        ({"id": "not-a-uuid"}, "id"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(cast, client_for, tags, checkin_body, change, field):
    error = assert_error(client_for(cast.sam).post("/api/v1/checkins/", checkin_body(**change), format="json"), 400)
    assert field in error.get("fields", {}) or field in error["message"]
    assert not CheckIn.objects.exists()


def test_recorded_time_must_be_recent_and_not_in_the_future(cast, client_for, checkin_body):
    client = client_for(cast.sam)
    future = (timezone.now() + timedelta(minutes=30)).isoformat()
    old = (timezone.now() - timedelta(days=15)).isoformat()
    skewed = (timezone.now() + timedelta(minutes=2)).isoformat()
    assert (
        "future"
        in assert_error(client.post("/api/v1/checkins/", checkin_body(recorded_at=future), format="json"), 400)[
            "message"
        ]
    )
    assert (
        "14 days"
        in assert_error(client.post("/api/v1/checkins/", checkin_body(recorded_at=old), format="json"), 400)["message"]
    )
    assert client.post("/api/v1/checkins/", checkin_body(recorded_at=skewed), format="json").status_code == 201
    assert CheckIn.objects.count() == 1


def test_an_inactive_tag_is_refused(cast, client_for, tags, checkin_body):
    tags[0].is_active = False
    tags[0].save()
    assert_error(
        client_for(cast.sam).post("/api/v1/checkins/", checkin_body(tags=["school"]), format="json"), 400, "unknown_tag"
    )


@pytest.mark.parametrize("persona", ["key_worker", "manager", "school_staff"])
def test_staff_cannot_check_in(personas, client_for, checkin_body, persona):
    assert_error(
        client_for(personas[persona]).post("/api/v1/checkins/", checkin_body(), format="json"), 403, "young_people_only"
    )


def test_anonymous_cannot_check_in(client_for, checkin_body, cast):
    assert client_for(None).post("/api/v1/checkins/", checkin_body(), format="json").status_code in (401, 403)


@pytest.mark.parametrize(("persona", "expected"), STAFF_READING_SAMS_CHECKINS.items())
def test_each_persona_reading_sams_checkins(personas, cast, client_for, checkin_body, persona, expected):
    client_for(cast.sam).post("/api/v1/checkins/", checkin_body(2, words="my own words"), format="json")
    response = client_for(personas[persona]).get(f"/api/v1/checkins/?case={cast.sam_case.pk}")
    assert response.status_code == expected
    if expected == 200:
        assert [row["mood"] for row in response.json()["results"]] == [2]
    detail = client_for(personas[persona]).get(f"/api/v1/checkins/{CheckIn.objects.get().pk}/")
    assert detail.status_code == expected
    trends = client_for(personas[persona]).get(f"/api/v1/checkins/trends/?case={cast.sam_case.pk}")
    assert trends.status_code == expected


def test_own_words_are_hidden_from_a_worker_who_is_not_the_key_worker(cast, client_for, checkin_body):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Membership, Role, User

    colleague = User.objects.create_user("lee@demo.example", "x")
    Membership.objects.create(user=colleague, organisation=cast.riverside, role=Role.PROJECT_WORKER)
    TOTP.activate(colleague, generate_totp_secret())
    client_for(cast.sam).post("/api/v1/checkins/", checkin_body(3, words="private words"), format="json")
    seen = {}
    for who in (cast.sam, cast.priya, cast.tom, colleague):
        row = client_for(who).get(f"/api/v1/checkins/?case={cast.sam_case.pk}").json()["results"][0]
        seen[who.first_name or who.email] = row.get("words")
    assert seen == {"Sam": "private words", "Priya": "private words", "Tom": "private words", "lee@demo.example": None}


def test_a_young_person_reads_their_own_history_and_trends_without_naming_the_case(cast, client_for, checkin_body):
    client = client_for(cast.sam)
    for mood, hours in ((2, 30), (3, 20), (4, 10)):
        client.post("/api/v1/checkins/", checkin_body(mood, minutes_ago=hours * 60), format="json")
    history = client.get("/api/v1/checkins/").json()["results"]
    assert [row["mood"] for row in history] == [4, 3, 2]
    trends = client.get("/api/v1/checkins/trends/").json()
    assert trends["last_7_days"]["count"] == 3
    assert trends["last_7_days"]["average"] == 3.0
    assert trends["last_30_days"]["lowest"] == 2
    assert len(trends["daily"]) == 30


def test_staff_must_name_the_case_for_history(cast, client_for):
    assert_error(client_for(cast.priya).get("/api/v1/checkins/"), 400)


def test_history_list_stays_flat_in_queries(cast, client_for, checkin_body, django_assert_max_num_queries):
    client = client_for(cast.sam)
    for i in range(3):
        client.post("/api/v1/checkins/", checkin_body(4, minutes_ago=i + 1), format="json")
    priya = client_for(cast.priya)
    with django_assert_max_num_queries(12):
        priya.get(f"/api/v1/checkins/?case={cast.sam_case.pk}")
    for i in range(20):
        client.post("/api/v1/checkins/", checkin_body(4, minutes_ago=i + 10), format="json")
    with django_assert_max_num_queries(12):
        assert len(priya.get(f"/api/v1/checkins/?case={cast.sam_case.pk}").json()["results"]) == 23


def test_a_duplicate_checkin_never_raises_a_second_alert(cast, client_for, checkin_body):
    body = checkin_body(3, words="I am not safe at home")
    client = client_for(cast.sam)
    first = client.post("/api/v1/checkins/", body, format="json").json()
    again = client.post("/api/v1/checkins/", body, format="json").json()
    assert first["support"]["alert_raised"] and again["support"]["alert_raised"]
    assert first["support"]["worker_told"] and again["support"]["worker_told"]
    assert Alert.objects.count() == 1
    from notifications.models import Notification

    assert Notification.objects.filter(kind="alert.raised").count() == 1


def test_a_closed_case_cannot_check_in(cast, client_for, checkin_body):
    cast.sam_case.status = "closed"
    cast.sam_case.closed_reason = "moved_away"
    cast.sam_case.closed_at = timezone.now()
    cast.sam_case.save()
    assert_error(client_for(cast.sam).post("/api/v1/checkins/", checkin_body(), format="json"), 409, "case_closed")


def test_checkin_ids_are_uuids_in_the_url(cast, client_for):
    assert client_for(cast.priya).get(f"/api/v1/checkins/{uuid.uuid4()}/").status_code == 404
