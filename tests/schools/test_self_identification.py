from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Membership, Role
from notifications.models import Notification
from schools.models import Presentation, SelfIdentification
from schools.throttles import SelfIdentificationThrottle
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def presentation(schools):
    return Presentation.objects.get(school=schools.northgate)


def _open_form(client, presentation):
    return client.get(f"/api/v1/self-identifications/form/{presentation.token}/").json()["form_started"]


def _send(client, presentation, started, later=30, **fields):
    body = {"token": presentation.token, "form_started": started, "first_name": "Zara", "year_group": 8, **fields}
    with time_machine.travel(timezone.now() + timedelta(seconds=later)):
        return client.post("/api/v1/self-identifications/", body, format="json")


def test_a_pupil_self_identifies_and_it_lands_for_the_lead_and_the_project(presentation, schools, client_for):
    pupil = client_for(None)
    assert _send(pupil, presentation, _open_form(pupil, presentation)).status_code == 201
    item = SelfIdentification.objects.get()
    assert (item.school, item.project, item.status) == (schools.northgate, schools.riverside, "new")
    recipients = set(Notification.objects.filter(kind="referral.self_identified").values_list("recipient", flat=True))
    assert recipients == {schools.khan.pk, schools.priya.pk}


def test_a_lead_who_has_left_the_school_is_no_longer_told(presentation, schools, client_for):
    # Mr Khan is still named as the young carers lead on the school's profile, but has left; Ms Ade now leads.
    Membership.objects.filter(user=schools.khan, organisation=schools.northgate).update(ended_at=timezone.now())
    Membership.objects.create(user=schools.ade, organisation=schools.northgate, role=Role.SCHOOL_LEAD)
    pupil = client_for(None)
    assert _send(pupil, presentation, _open_form(pupil, presentation)).status_code == 201
    recipients = set(Notification.objects.filter(kind="referral.self_identified").values_list("recipient", flat=True))
    assert recipients == {schools.ade.pk, schools.priya.pk}


def test_signed_in_credentials_do_not_change_the_anonymous_form(presentation, schools, client_for):
    client = client_for(schools.sam)
    assert _send(client, presentation, _open_form(client, presentation)).status_code == 201


def test_the_honeypot_refuses_and_writes_nothing(presentation, client_for):
    pupil = client_for(None)
    assert_error(
        _send(pupil, presentation, _open_form(pupil, presentation), website="http://spam.example"), 400, "rejected"
    )
    assert not SelfIdentification.objects.exists()


def test_a_form_sent_faster_than_a_person_can_type_is_refused(presentation, client_for):
    pupil = client_for(None)
    assert_error(_send(pupil, presentation, _open_form(pupil, presentation), later=0), 429, "too_fast")
    assert not SelfIdentification.objects.exists()


def test_a_forged_or_other_presentations_start_token_is_refused(presentation, schools, client_for):
    pupil = client_for(None)
    assert_error(_send(pupil, presentation, "forged:token"), 400, "form_invalid")
    other = Presentation.objects.create(
        school=schools.st_annes,
        project=schools.riverside,
        requested_by=schools.ade,
        status="scheduled",
        scheduled_for=timezone.now() + timedelta(days=3),
    )
    assert_error(_send(pupil, presentation, _open_form(pupil, other)), 400, "form_invalid")


def test_a_closed_or_unknown_link_is_404(presentation, client_for):
    pupil = client_for(None)
    assert_error(pupil.get("/api/v1/self-identifications/form/not-a-real-token/"), 404)
    presentation.delivered_at = timezone.now() - timedelta(days=40)
    presentation.save()
    assert_error(pupil.get(f"/api/v1/self-identifications/form/{presentation.token}/"), 404)


def test_a_flood_hits_the_per_presentation_cap(presentation, client_for):
    presentation.attendance = 10  # cap: max(20, 12)
    presentation.save()
    pupil = client_for(None)
    started = _open_form(pupil, presentation)
    SelfIdentification.objects.bulk_create(
        [
            SelfIdentification(
                presentation=presentation,
                school_id=presentation.school_id,
                project_id=presentation.project_id,
                first_name="x",
            )
        ]
        * 20
    )
    assert_error(_send(pupil, presentation, started), 429, "link_full")
    assert SelfIdentification.objects.count() == 20


def test_one_address_is_rate_limited(presentation, client_for, monkeypatch):
    monkeypatch.setattr(SelfIdentificationThrottle, "rate", "3/hour")
    pupil = client_for(None)
    started = _open_form(pupil, presentation)  # 1
    assert _send(pupil, presentation, started).status_code == 201  # 2
    assert _send(pupil, presentation, started, first_name="Kim").status_code == 201  # 3
    assert_error(_send(pupil, presentation, started, first_name="Lee"), 429, "throttled")
    assert SelfIdentification.objects.count() == 2


def test_missing_or_bad_fields_are_a_400(presentation, client_for):
    pupil = client_for(None)
    started = _open_form(pupil, presentation)
    assert_error(_send(pupil, presentation, started, first_name=""), 400)
    assert_error(_send(pupil, presentation, started, year_group=99), 400)
    assert not SelfIdentification.objects.exists()


READ = {
    "young_carer": 404,
    "other_young_carer": 404,
    "key_worker": 200,
    "manager": 200,
    "other_project_worker": 404,
    "school_staff": 200,
    "other_school_staff": 404,
    "adult_services": 404,
    "commissioner": 404,
}


@pytest.mark.parametrize(("persona", "expected"), READ.items())
def test_each_persona_reading_and_following_up_a_self_identification(
    presentation, personas, client_for, persona, expected
):
    pupil = client_for(None)
    _send(pupil, presentation, _open_form(pupil, presentation))
    item = SelfIdentification.objects.get()
    client = client_for(personas[persona])
    response = client.get(f"/api/v1/self-identifications/{item.pk}/")
    assert response.status_code == expected
    listed = client.get("/api/v1/self-identifications/").json()["results"]
    assert len(listed) == (1 if expected == 200 else 0)
    follow = client.post(
        f"/api/v1/self-identifications/{item.pk}/follow-up/", {"status": "followed_up", "note": "Spoke at lunch."}
    )
    assert follow.status_code == expected
    if expected == 200:
        assert follow.json()["status"] == "followed_up"


def test_the_qr_code_comes_as_png_or_svg_for_staff_only(presentation, schools, client_for):
    svg = client_for(schools.khan).get(f"/api/v1/presentations/{presentation.pk}/qr/?as=svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert_error(client_for(schools.ade).get(f"/api/v1/presentations/{presentation.pk}/qr/"), 404)
    assert client_for(None).get(f"/api/v1/presentations/{presentation.pk}/qr/").status_code == 401


def test_the_lead_refers_a_pupil_who_self_identified_and_it_is_marked_referred(
    presentation, schools, client_for, submit_referral
):
    from tests.schools.conftest import mia_payload

    pupil = client_for(None)
    _send(pupil, presentation, _open_form(pupil, presentation), first_name="Mia")
    item = SelfIdentification.objects.get()
    other_school = Presentation.objects.create(
        school=schools.st_annes,
        project=schools.riverside,
        requested_by=schools.ade,
        status="scheduled",
        scheduled_for=timezone.now() + timedelta(days=3),
    )
    elsewhere = SelfIdentification.objects.create(
        presentation=other_school, school=schools.st_annes, project=schools.riverside, first_name="Kim"
    )
    error = assert_error(
        client_for(schools.khan).post(
            "/api/v1/referrals/", mia_payload(schools, self_identification=elsewhere.pk), format="json"
        ),
        400,
    )
    assert "self_identification" in error["fields"]
    referral = submit_referral(schools.khan, mia_payload(schools, self_identification=item.pk))
    assert referral["self_identification"] == item.pk
    item.refresh_from_db()
    assert (item.status, item.followed_up_by) == ("referred", schools.khan)
