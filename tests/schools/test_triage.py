from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import Consent, YoungCarer
from notifications.models import Notification
from schools.models import Referral
from schools.workdays import due_after
from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

QUEUE = {
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


@pytest.mark.parametrize(("persona", "expected"), QUEUE.items())
def test_each_persona_and_the_triage_queue_and_actions(
    schools, personas, client_for, submit_referral, persona, expected
):
    referral = submit_referral(schools.khan, mia_payload(schools))
    client = client_for(personas[persona])
    rows = client.get("/api/v1/referrals/queue/").json()["results"]
    assert [row["id"] for row in rows] == ([referral["id"]] if expected == 200 else [])
    response = client.post(f"/api/v1/referrals/{referral['id']}/acknowledge/", {})
    assert response.status_code == expected
    for step, body in (("accept", {}), ("signpost", {"to": "x", "reason": "y"}), ("decline", {"reason": "z"})):
        if expected != 200:
            assert_error(client.post(f"/api/v1/referrals/{referral['id']}/{step}/", body), 404)
    assert_error(client.get(f"/api/v1/referrals/{referral['id']}/duplicates/"), 404) if expected != 200 else None


def test_the_acknowledgement_is_due_in_two_working_days_counting_bank_holidays():
    # Thursday 24 December 2026: Friday is Christmas, Monday 28th the Boxing Day substitute, so Tuesday, then Wednesday.
    due = due_after(datetime(2026, 12, 24, 10, tzinfo=LONDON), 2)
    assert due.date().isoformat() == "2026-12-30"
    # Monday 9am -> end of Wednesday.
    assert due_after(datetime(2026, 11, 16, 9, tzinfo=LONDON), 2).date().isoformat() == "2026-11-18"


def test_the_queue_shows_waiting_time_and_flags_an_overdue_acknowledgement(schools, client_for, submit_referral):
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=LONDON), tick=False):  # Monday
        referral = submit_referral(schools.khan, mia_payload(schools))
    with time_machine.travel(datetime(2026, 11, 19, 9, tzinfo=LONDON), tick=False):  # Thursday
        row = client_for(schools.priya).get("/api/v1/referrals/queue/").json()["results"][0]
        assert (row["waiting_working_days"], row["overdue"], row["waiting_hours"]) == (3, True, 72)
        client_for(schools.priya).post(f"/api/v1/referrals/{referral['id']}/acknowledge/", {})
    from audit.models import AuditEntry

    entry = AuditEntry.objects.filter(object_pk=str(referral["id"]), changes__event="referral.acknowledge").get()
    assert entry.changes["on_time"] is False


def test_a_worker_is_told_of_a_new_referral_and_the_referrer_of_each_step(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    received = Notification.objects.get(kind="referral.received")
    assert received.recipient == schools.priya and "Mia" not in received.title + received.body
    client_for(schools.priya).post(
        f"/api/v1/referrals/{referral['id']}/decline/", {"reason": "Not caring; a sibling rivalry."}
    )
    told = Notification.objects.get(kind="referral.declined", recipient=schools.khan)
    assert "Not caring" in told.body


def test_it_declines_only_with_a_reason(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    assert_error(client.post(f"/api/v1/referrals/{referral['id']}/decline/", {"reason": "  "}), 400)
    assert Referral.objects.get(pk=referral["id"]).status == "submitted"
    assert (
        client.post(f"/api/v1/referrals/{referral['id']}/decline/", {"reason": "Moved out of area."}).json()["status"]
        == "declined"
    )
    assert_error(client.post(f"/api/v1/referrals/{referral['id']}/accept/", {}), 409, "already_decided")


def test_it_signposts_with_where_and_why(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    assert_error(client.post(f"/api/v1/referrals/{referral['id']}/signpost/", {"to": "CAMHS"}), 400)
    done = client.post(
        f"/api/v1/referrals/{referral['id']}/signpost/", {"to": "Eastbank Young Carers", "reason": "Lives in Eastbank."}
    )
    assert done.json()["status"] == "signposted"
    seen = client_for(schools.khan).get(f"/api/v1/referrals/{referral['id']}/").json()
    assert (seen["signpost_to"], seen["status"]) == ("Eastbank Young Carers", "signposted")


def test_accepting_without_a_parent_carries_the_pupils_own_basis(schools, client_for, submit_referral):
    payload = mia_payload(
        schools,
        parent_knows_and_agrees=False,
        parent_not_asked_basis="pupil_gillick_competent",
        parent_not_asked_note="Mia understands and asked us not to tell Mum yet.",
    )
    referral = submit_referral(schools.khan, payload)
    accepted = client_for(schools.priya).post(
        f"/api/v1/referrals/{referral['id']}/accept/", {"key_worker": schools.tom.pk}
    )
    case = YoungCarer.objects.get(pk=accepted.json()["case"])
    assert case.key_worker == schools.tom
    consent = case.consents.get()
    assert (consent.basis, consent.given_by_relationship) == (Consent.Basis.GILLICK, "self")


def test_accepting_refuses_a_key_worker_from_elsewhere_and_writes_nothing(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    error = assert_error(
        client_for(schools.priya).post(f"/api/v1/referrals/{referral['id']}/accept/", {"key_worker": schools.dev.pk}),
        400,
    )
    assert "key_worker" in error["fields"]
    assert not YoungCarer.objects.filter(first_name="Mia").exists()
    assert Referral.objects.get(pk=referral["id"]).status == "submitted"


def test_accept_can_link_to_the_record_the_pupil_already_has(schools, client_for, submit_referral):
    payload = mia_payload(
        schools, first_name="Sam", last_name="Green", date_of_birth=schools.sam_case.date_of_birth.isoformat()
    )
    payload["year_group"] = None
    from django.utils import timezone

    from schools.rules import expected_year_group

    payload["year_group"] = expected_year_group(schools.sam_case.date_of_birth, timezone.localdate())
    referral = submit_referral(schools.khan, payload)
    client = client_for(schools.priya)
    duplicates = client.get(f"/api/v1/referrals/{referral['id']}/duplicates/").json()
    assert [(d["kind"], d["id"]) for d in duplicates] == [("case", schools.sam_case.pk)]
    accepted = client.post(f"/api/v1/referrals/{referral['id']}/accept/", {"case": schools.sam_case.pk})
    assert accepted.json()["case"] == schools.sam_case.pk
    assert YoungCarer.objects.filter(first_name="Sam").count() == 1


def test_duplicates_tolerate_small_spelling_differences_but_not_other_pupils(schools, client_for, submit_referral):
    first = submit_referral(schools.khan, mia_payload(schools))
    near = submit_referral(schools.khan, mia_payload(schools, first_name="Mya", last_name="Clark"))
    other = submit_referral(schools.khan, mia_payload(schools, first_name="Oliver", last_name="Stone"))
    ids = [d["id"] for d in client_for(schools.priya).get(f"/api/v1/referrals/{first['id']}/duplicates/").json()]
    assert near["id"] in ids and other["id"] not in ids


def test_merge_refuses_itself_and_referrals_elsewhere(schools, client_for, submit_referral):
    first = submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    assert_error(client.post(f"/api/v1/referrals/{first['id']}/merge/", {"into": first["id"]}), 400)
    assert_error(client.post(f"/api/v1/referrals/{first['id']}/merge/", {"into": 999999}), 404)


def test_the_triage_queue_query_count_stays_flat(schools, client_for, submit_referral, django_assert_max_num_queries):
    submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/referrals/queue/")
    baseline = len(few)
    for i in range(6):
        submit_referral(schools.khan, mia_payload(schools, first_name=f"Pupil{i}"))
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/referrals/queue/").json()["count"] == 7


def test_an_overdue_referral_is_raised_with_the_project_once(schools, submit_referral, run_tasks):
    from schools.services.referrals import referrals_remind_overdue

    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=LONDON), tick=False):  # Monday
        submit_referral(schools.khan, mia_payload(schools))
    with time_machine.travel(datetime(2026, 11, 18, 20, tzinfo=LONDON), tick=False):  # Wednesday evening: not yet
        assert referrals_remind_overdue() == 0
    with time_machine.travel(datetime(2026, 11, 19, 8, tzinfo=LONDON), tick=False):
        assert referrals_remind_overdue() == 1
        assert referrals_remind_overdue() == 0
    told = set(Notification.objects.filter(kind="referral.acknowledge_overdue").values_list("recipient", flat=True))
    assert told == {schools.priya.pk, schools.tom.pk}


def test_linking_to_a_record_of_another_project_looks_like_no_record(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    elsewhere = client.post(f"/api/v1/referrals/{referral['id']}/accept/", {"case": schools.kai_case.pk})
    missing = client.post(f"/api/v1/referrals/{referral['id']}/accept/", {"case": 999999})
    assert assert_error(elsewhere, 400) == assert_error(missing, 400)
