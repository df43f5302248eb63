from __future__ import annotations

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from api.wellbeing import services
from api.wellbeing.models import Alert, Instrument
from audit.models import AuditEntry
from notifications.models import Notification
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

ALERT_READERS = {
    "young_carer": 404,
    "other_young_carer": 404,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 404,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


def _help(client_for, who):
    return client_for(who).post("/api/v1/help/", {"id": str(uuid.uuid4())}, format="json")


def test_alex_taps_help_and_sees_crisis_lines_and_that_priya_was_told(
    cast, client_for, django_capture_on_commit_callbacks
):
    with mock.patch("api.wellbeing.services.send_event_on_commit", autospec=True) as live:
        response = _help(client_for, cast.alex)
    assert response.status_code == 201
    body = response.json()
    assert body["worker_told"] is True
    assert {"Childline", "Shout"} <= {line["name"] for line in body["crisis_lines"]}
    alert = Alert.objects.get()
    assert (alert.reason, alert.severity, alert.status) == ("help_requested", "high", "raised")
    told = set(Notification.objects.filter(kind="alert.raised").values_list("recipient_id", flat=True))
    assert told == {cast.priya.pk}  # key worker, also the one on duty
    recipients, event, payload = live.call_args.args
    assert set(recipients) == {cast.priya.pk} and event == "alert.raised" and payload["id"] == alert.pk


def test_push_text_never_carries_a_name_or_words(cast, client_for, checkin_body):
    client_for(cast.sam).post("/api/v1/checkins/", checkin_body(2, words="I want to hurt myself"), format="json")
    note = Notification.objects.get(kind="alert.raised")
    text = f"{note.title} {note.body}".lower()
    assert "sam" not in text and "hurt" not in text and "green" not in text
    assert note.title == "Safeguarding alert: open the portal"


@pytest.mark.parametrize(
    "words",
    [
        "I want to KILL MYSELF.",
        "not safe at home!!!",
        "i havent eaten since tuesday",
        "I haven't eaten",
        "I don’t feel safe",
    ],
)
def test_risk_words_raise_an_alert_whatever_the_case_and_punctuation(cast, client_for, checkin_body, words):
    body = client_for(cast.sam).post("/api/v1/checkins/", checkin_body(3, words=words), format="json").json()
    assert body["support"]["alert_raised"] is True
    alert = Alert.objects.get()
    assert alert.reason == "risk_words"
    assert words not in str(alert.trigger)


def test_ordinary_words_raise_nothing(cast, client_for, checkin_body):
    client_for(cast.sam).post(
        "/api/v1/checkins/", checkin_body(3, words="Skilled myself at football, ate loads"), format="json"
    )
    assert not Alert.objects.exists()


def test_a_projects_own_phrase_list_replaces_the_defaults(cast, client_for, checkin_body):
    tom = client_for(cast.tom)
    assert (
        tom.post("/api/v1/alerts/risk-phrases/", {"phrase": "Run away", "category": "other"}, format="json").status_code
        == 201
    )
    client_for(cast.sam).post("/api/v1/checkins/", checkin_body(3, words="I might run-away tonight"), format="json")
    assert Alert.objects.get().trigger["matches"][0]["categories"] == ["other"]


def test_very_low_mood_twice_in_a_row_raises_one_alert(cast, client_for, checkin_body):
    client = client_for(cast.sam)
    client.post("/api/v1/checkins/", checkin_body(1, minutes_ago=120), format="json")
    assert not Alert.objects.exists()
    second = client.post("/api/v1/checkins/", checkin_body(1, minutes_ago=60), format="json").json()
    assert second["support"]["alert_raised"] is True
    client.post("/api/v1/checkins/", checkin_body(1), format="json")  # already open: no second alert
    assert Alert.objects.filter(reason="low_mood").count() == 1


def test_very_low_mood_three_times_in_seven_days_raises_an_alert(cast, client_for, checkin_body):
    client = client_for(cast.sam)
    for mood, hours in ((1, 100), (4, 90), (1, 50), (3, 40)):
        client.post("/api/v1/checkins/", checkin_body(mood, minutes_ago=hours * 60), format="json")
    assert not Alert.objects.exists()
    client.post("/api/v1/checkins/", checkin_body(1), format="json")
    alert = Alert.objects.get()
    assert alert.trigger["matches"][0]["rule"] == "very_low_in_7_days"


@pytest.mark.parametrize(("persona", "expected"), ALERT_READERS.items())
def test_each_persona_reading_alerts(personas, cast, client_for, persona, expected):
    _help(client_for, cast.sam)
    alert = Alert.objects.get()
    detail = client_for(personas[persona]).get(f"/api/v1/alerts/{alert.pk}/")
    assert detail.status_code == expected
    listed = client_for(personas[persona]).get("/api/v1/alerts/")
    ids = [row["id"] for row in listed.json().get("results", [])] if listed.status_code == 200 else []
    assert (alert.pk in ids) == (expected == 200)


@pytest.mark.parametrize("persona", [p for p, code in ALERT_READERS.items() if code == 404])
def test_only_project_staff_can_acknowledge(personas, cast, client_for, persona):
    _help(client_for, cast.sam)
    alert = Alert.objects.get()
    assert client_for(personas[persona]).post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert client_for(cast.priya).post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 200


def test_the_lifecycle_is_explicit_and_audited(cast, client_for):
    _help(client_for, cast.sam)
    alert = Alert.objects.get()
    priya = client_for(cast.priya)
    assert_error(priya.post(f"/api/v1/alerts/{alert.pk}/close/", {}, format="json"), 409, "alert_not_actioned")
    assert priya.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").json()["status"] == "acknowledged"
    assert_error(priya.post(f"/api/v1/alerts/{alert.pk}/acknowledge/"), 409)
    assert_error(priya.post(f"/api/v1/alerts/{alert.pk}/action/", {"action": "hugged"}, format="json"), 400)
    acted = priya.post(
        f"/api/v1/alerts/{alert.pk}/action/", {"action": "referred_dsl", "note": "Spoke to Mr Khan"}, format="json"
    )
    assert acted.json()["status"] == "actioned" and acted.json()["action"] == "referred_dsl"
    assert (
        priya.post(f"/api/v1/alerts/{alert.pk}/close/", {"note": "Safe plan in place"}, format="json").json()["status"]
        == "closed"
    )
    events = [
        e.changes.get("event")
        for e in AuditEntry.objects.filter(object_pk=str(alert.pk)).order_by("id")
        if isinstance(e.changes, dict)
    ]
    assert [e for e in events if e] == ["alert.raise", "alert.acknowledge", "alert.action", "alert.close"]


def test_an_alert_nobody_touches_escalates_to_tom_and_again(cast, client_for, run_tasks):
    start = timezone.now()
    _help(client_for, cast.sam)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        run_tasks()
        assert Alert.objects.get().escalation_level == 0
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        run_tasks()
    alert = Alert.objects.get()
    assert alert.escalation_level == 1
    assert list(Notification.objects.filter(kind="alert.escalated").values_list("recipient_id", flat=True)) == [
        cast.tom.pk
    ]
    with time_machine.travel(start + timedelta(minutes=62), tick=False):
        run_tasks()
    assert Alert.objects.get().escalation_level == 2
    assert Notification.objects.filter(kind="alert.escalated", recipient=cast.tom).count() == 2


def test_an_acknowledged_alert_does_not_escalate(cast, client_for, run_tasks):
    start = timezone.now()
    _help(client_for, cast.sam)
    client_for(cast.priya).post(f"/api/v1/alerts/{Alert.objects.get().pk}/acknowledge/")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        run_tasks()
        assert services.escalate_overdue_alerts() == 0
    assert Alert.objects.get().escalation_level == 0
    assert not Notification.objects.filter(kind="alert.escalated").exists()


def test_the_escalation_minutes_come_from_settings(cast, client_for, run_tasks, settings):
    settings.ALERT_ESCALATION_MINUTES = 5
    start = timezone.now()
    _help(client_for, cast.sam)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        run_tasks()
    assert Alert.objects.get().escalation_level == 1


def test_push_failing_leaves_the_alert_listed_and_the_clock_running(cast, client_for, run_tasks):
    start = timezone.now()
    with mock.patch("api.wellbeing.services.notify", autospec=True, side_effect=RuntimeError("push down")):
        response = _help(client_for, cast.sam)
    assert response.status_code == 201
    assert response.json()["alert_raised"] is True and response.json()["worker_told"] is False
    assert "Your worker has been told" not in response.json()["message"]
    assert {"Childline", "Shout"} <= {line["name"] for line in response.json()["crisis_lines"]}
    assert Alert.objects.get().worker_told is False
    assert [row["id"] for row in client_for(cast.priya).get("/api/v1/alerts/").json()["results"]] == [
        Alert.objects.get().pk
    ]
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        run_tasks()
    assert Alert.objects.get().escalation_level == 1
    assert Notification.objects.filter(kind="alert.escalated", recipient=cast.tom).exists()


def test_a_lost_escalation_task_is_caught_by_the_sweep(cast, client_for):
    start = timezone.now()
    _help(client_for, cast.sam)
    DBTaskResult.objects.all().delete()  # the task row is lost
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert services.escalate_overdue_alerts() == 1
        assert services.escalate_overdue_alerts() == 0
    assert Alert.objects.get().escalation_level == 1


def test_a_worker_killed_half_way_resumes_and_escalates_once(cast, client_for, run_tasks):
    from core.tasks import recover_stale_tasks

    start = timezone.now()
    _help(client_for, cast.sam)
    alert = Alert.objects.get()
    # First run dies inside the escalation (after the alert row was changed): the transaction rolls back.
    with (
        time_machine.travel(start + timedelta(minutes=31), tick=False),
        mock.patch("api.wellbeing.services.record_event", autospec=True, side_effect=SystemExit("killed")),
        pytest.raises(SystemExit),
    ):
        services.alert_escalate_if_due(alert_id=alert.pk, level=1)
    assert Alert.objects.get().escalation_level == 0
    # The worker had claimed the task when it died: it is recovered after the lease and re-run.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=start)
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert recover_stale_tasks() == 1
        run_tasks()
        services.alert_escalate_if_due(alert_id=alert.pk, level=1)  # a duplicate run does nothing
    assert Alert.objects.get().escalation_level == 1
    assert Notification.objects.filter(kind="alert.escalated", recipient=cast.tom).count() == 1


def test_staff_cannot_ask_for_help_on_a_childs_behalf(cast, client_for):
    assert_error(client_for(cast.priya).post("/api/v1/help/", {}, format="json"), 403, "young_people_only")


def test_a_retried_help_tap_is_one_alert(cast, client_for):
    body = {"id": str(uuid.uuid4())}
    client_for(cast.sam).post("/api/v1/help/", body, format="json")
    assert client_for(cast.sam).post("/api/v1/help/", body, format="json").status_code == 201
    assert Alert.objects.count() == 1


def test_a_retry_after_telling_failed_still_says_the_worker_was_not_told(cast, client_for, checkin_body):
    help_body, checkin = {"id": str(uuid.uuid4())}, checkin_body(2, words="I want to hurt myself")
    with mock.patch("api.wellbeing.services.notify", autospec=True, side_effect=RuntimeError("push down")):
        client_for(cast.sam).post("/api/v1/help/", help_body, format="json")
        client_for(cast.sam).post("/api/v1/checkins/", checkin, format="json")
    # Telling works again by the time the phone retries: the answer is still what happened then.
    assert client_for(cast.sam).post("/api/v1/help/", help_body, format="json").json()["worker_told"] is False
    again = client_for(cast.sam).post("/api/v1/checkins/", checkin, format="json").json()["support"]
    assert (again["alert_raised"], again["worker_told"]) == (True, False)
    assert Alert.objects.filter(worker_told=False).count() == 2


def test_a_retry_after_telling_worked_says_the_worker_was_told(cast, client_for):
    body = {"id": str(uuid.uuid4())}
    assert client_for(cast.sam).post("/api/v1/help/", body, format="json").json()["worker_told"] is True
    assert client_for(cast.sam).post("/api/v1/help/", body, format="json").json()["worker_told"] is True


def test_school_staff_never_see_own_words_in_alerts(cast, client_for, checkin_body):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Membership, Role, User

    colleague = User.objects.create_user("lee@demo.example", "x")
    Membership.objects.create(user=colleague, organisation=cast.riverside, role=Role.PROJECT_WORKER)
    TOTP.activate(colleague, generate_totp_secret())
    client_for(cast.sam).post("/api/v1/checkins/", checkin_body(2, words="not safe at home"), format="json")
    alert = Alert.objects.get()
    assert client_for(cast.khan).get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    assert client_for(cast.priya).get(f"/api/v1/alerts/{alert.pk}/").json()["checkin"]["words"] == "not safe at home"
    # A worker at the project who is neither the key worker nor a manager sees the alert, not the words.
    seen = client_for(colleague).get(f"/api/v1/alerts/{alert.pk}/")
    assert seen.status_code == 200
    assert seen.json()["checkin"]["mood"] == 2 and "words" not in seen.json()["checkin"]
    listed = client_for(colleague).get("/api/v1/alerts/").json()["results"]
    assert [row["id"] for row in listed] == [alert.pk] and "words" not in listed[0]["checkin"]


def test_an_unknown_case_and_another_projects_case_look_the_same(cast, client_for):
    priya = client_for(cast.priya)
    services.help_request(actor=cast.dev, case=cast.kai_case, request_id=None)
    instrument = Instrument.objects.get(code="home-and-school")
    kai_assignment = {"case": cast.kai_case.pk, "instrument": instrument.pk, "reason": "assessment"}
    assert (
        client_for(cast.dev).post("/api/v1/questionnaires/assignments/", kai_assignment, format="json").status_code
        == 201
    )
    refused = []
    for case_id in (999999, cast.kai_case.pk):
        body = {"case": case_id, "instrument": instrument.pk, "reason": "assessment"}
        response = priya.post("/api/v1/questionnaires/assignments/", body, format="json")
        assert response.status_code == 404
        refused.append(response.json())
    assert refused[0] == refused[1]
    for case_id in (999999, cast.kai_case.pk):
        for url in ("/api/v1/alerts/", "/api/v1/questionnaires/assignments/", "/api/v1/questionnaires/responses/"):
            response = priya.get(url, {"case": case_id})
            assert response.status_code == 200, (url, response.content)
            assert response.json()["results"] == []


def test_the_alert_list_stays_flat_in_queries(cast, client_for, django_assert_max_num_queries):
    _help(client_for, cast.sam)
    with django_assert_max_num_queries(12):
        client_for(cast.priya).get("/api/v1/alerts/")
    for who in (cast.sam, cast.jo, cast.alex) * 3:
        _help(client_for, who)
    with django_assert_max_num_queries(12):
        assert len(client_for(cast.priya).get("/api/v1/alerts/").json()["results"]) == 10


def test_risk_phrases_are_managed_by_managers(cast, client_for):
    assert client_for(cast.priya).get("/api/v1/alerts/risk-phrases/").status_code == 200
    assert (
        client_for(cast.priya)
        .post("/api/v1/alerts/risk-phrases/", {"phrase": "run away", "category": "other"}, format="json")
        .status_code
        == 404
    )
    assert client_for(cast.khan).get("/api/v1/alerts/risk-phrases/").json() == []
    added = client_for(cast.tom).post("/api/v1/alerts/risk-phrases/adopt-defaults/", {}, format="json").json()["added"]
    assert added > 20
    assert len(client_for(cast.tom).get("/api/v1/alerts/risk-phrases/").json()) == added
