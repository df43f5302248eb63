from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import Referral, ReferralAttachment
from tests.helpers import assert_error
from tests.schools.conftest import born, mia_payload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Who can read a referral Mr Khan (Northgate) sent to Riverside.
READ_NORTHGATE_REFERRAL = {
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


@pytest.mark.parametrize(("persona", "expected"), READ_NORTHGATE_REFERRAL.items())
def test_each_persona_reading_a_submitted_referral(schools, personas, client_for, submit_referral, persona, expected):
    referral = submit_referral(schools.khan, mia_payload(schools))
    response = client_for(personas[persona]).get(f"/api/v1/referrals/{referral['id']}/")
    if expected == 200:
        assert response.status_code == 200 and response.json()["first_name"] == "Mia"
    else:
        assert_error(response, 404, "not_found")
    listed = client_for(personas[persona]).get("/api/v1/referrals/").json()["results"]
    assert [row["id"] for row in listed] == ([referral["id"]] if expected == 200 else [])


def test_a_draft_stays_with_the_school_until_submitted(schools, client_for):
    created = client_for(schools.khan).post("/api/v1/referrals/", {"first_name": "Mia"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert_error(client_for(schools.priya).get(f"/api/v1/referrals/{created.json()['id']}/"), 404)
    assert client_for(schools.khan).get(f"/api/v1/referrals/{created.json()['id']}/").status_code == 200


def test_school_staff_see_status_and_message_but_workers_see_triage_fields(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    school_view = client_for(schools.khan).get(f"/api/v1/referrals/{referral['id']}/").json()
    worker_view = client_for(schools.priya).get(f"/api/v1/referrals/{referral['id']}/").json()
    assert {"case", "decline_reason", "acknowledge_due_at"}.isdisjoint(school_view)
    assert {"case", "decline_reason", "acknowledge_due_at", "attachments"} <= set(worker_view)


def test_a_draft_can_be_saved_incomplete_then_completed_and_submitted(schools, client_for):
    client = client_for(schools.khan)
    draft = client.post("/api/v1/referrals/", {"first_name": "Mia", "last_name": "Clarke"}, format="json").json()
    error = assert_error(client.post(f"/api/v1/referrals/{draft['id']}/submit/"), 400, "incomplete")
    # Every missing answer at once, not one per attempt.
    assert set(error["fields"]) == {
        "project",
        "date_of_birth",
        "year_group",
        "cared_for",
        "relationship",
        "condition_category",
        "caring_tasks",
        "pupil_knows_and_agrees",
        "safeguarding_concern",
    }
    assert error["message"] == "9 answers are missing before this referral can be sent."
    full = mia_payload(schools)
    full.pop("school")
    assert client.patch(f"/api/v1/referrals/{draft['id']}/", full, format="json").status_code == 200
    assert client.post(f"/api/v1/referrals/{draft['id']}/submit/").json()["status"] == "submitted"
    assert_error(
        client.patch(f"/api/v1/referrals/{draft['id']}/", {"first_name": "M"}, format="json"), 409, "not_a_draft"
    )
    assert_error(client.post(f"/api/v1/referrals/{draft['id']}/submit/"), 409, "already_submitted")


BAD_SUBMISSIONS = {
    "no pupil consent": ({"pupil_knows_and_agrees": False}, "pupil_knows_and_agrees"),
    "no parent consent and no basis": ({"parent_knows_and_agrees": False}, "parent_not_asked_basis"),
    "a basis with no explanation": (
        {"parent_knows_and_agrees": False, "parent_not_asked_basis": "risk_to_pupil"},
        "parent_not_asked_note",
    ),
    "16-plus basis for a 13-year-old": (
        {"parent_knows_and_agrees": None, "parent_not_asked_basis": "pupil_16_plus", "parent_not_asked_note": "x"},
        "parent_not_asked_basis",
    ),
    "a parent who agreed with no name": ({"parent_name": ""}, "parent_name"),
    "safeguarding not answered": ({"safeguarding_concern": None}, "safeguarding_concern"),
    "a concern without the DSL told": ({"safeguarding_concern": True, "dsl_informed": False}, "dsl_informed"),
    "no caring tasks": ({"caring_tasks": []}, "caring_tasks"),
    "no project": ({"project": None}, "project"),
}


@pytest.mark.parametrize(("changes", "field"), BAD_SUBMISSIONS.values(), ids=BAD_SUBMISSIONS.keys())
def test_it_refuses_to_submit_an_incomplete_or_unsafe_referral(schools, client_for, changes, field):
    client = client_for(schools.khan)
    draft = client.post("/api/v1/referrals/", mia_payload(schools, **changes), format="json")
    assert draft.status_code == 201, draft.json()
    error = assert_error(client.post(f"/api/v1/referrals/{draft.json()['id']}/submit/"), 400)
    assert field in error["fields"], error
    assert Referral.objects.get(pk=draft.json()["id"]).status == "draft"


def test_it_submits_when_a_parent_cannot_be_asked_with_a_reason(schools, client_for, submit_referral):
    payload = mia_payload(
        schools,
        parent_knows_and_agrees=False,
        parent_name="",
        parent_not_asked_basis="risk_to_pupil",
        parent_not_asked_note="Dad is controlling; the DSL advised not to ask yet.",
        safeguarding_concern=True,
        dsl_informed=True,
    )
    assert submit_referral(schools.khan, payload)["status"] == "submitted"


@pytest.mark.parametrize("age", [3, 30])
def test_it_refuses_a_date_of_birth_that_makes_the_pupil_3_or_30(schools, client_for, age):
    response = client_for(schools.khan).post(
        "/api/v1/referrals/", mia_payload(schools, date_of_birth=born(age).isoformat(), year_group=None), format="json"
    )
    error = assert_error(response, 400)
    assert f"makes the pupil {age}" in error["message"] and "date_of_birth" in error["fields"]
    assert not Referral.objects.exists()


def test_it_refuses_a_year_group_that_does_not_match_the_age(schools, client_for):
    payload = mia_payload(schools)
    payload["year_group"] += 3
    error = assert_error(client_for(schools.khan).post("/api/v1/referrals/", payload, format="json"), 400)
    assert "does not match the date of birth" in error["message"]
    ok = mia_payload(schools)
    ok["year_group"] += 1  # held back or summer-born: one year either side is fine
    assert client_for(schools.khan).post("/api/v1/referrals/", ok, format="json").status_code == 201


def test_a_school_cannot_refer_for_another_school_or_to_a_project_that_does_not_serve_it(schools, client_for):
    other_school = assert_error(
        client_for(schools.ade).post("/api/v1/referrals/", mia_payload(schools), format="json"), 400
    )
    assert other_school["fields"] == {"school": ["Choose one of your schools."]}
    error = assert_error(
        client_for(schools.khan).post(
            "/api/v1/referrals/", mia_payload(schools, project=schools.eastbank.pk), format="json"
        ),
        400,
    )
    assert "project" in error["fields"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("persona", ["young_carer", "key_worker", "adult_services", "commissioner"])
def test_only_school_staff_can_start_a_referral(schools, personas, client_for, persona):
    response = client_for(personas[persona]).post("/api/v1/referrals/", mia_payload(schools), format="json")
    assert_error(response, 404)
    assert client_for(schools.khan).post("/api/v1/referrals/", mia_payload(schools), format="json").status_code == 201


def test_garbage_input_is_a_clear_400(schools, client_for):
    client = client_for(schools.khan)
    for body in (
        {"date_of_birth": "yesterday"},
        {"caring_tasks": ["juggling"]},
        {"year_group": 14},
        {"project": 99999},
    ):
        assert_error(client.post("/api/v1/referrals/", body, format="json"), 400)


# --- Attachments ----------------------------------------------------------------------------------


def _draft(client, cast):
    return client.post("/api/v1/referrals/", mia_payload(cast), format="json").json()


def test_a_consent_form_is_stored_privately_and_downloaded_only_through_the_check(schools, client_for):
    client = client_for(schools.khan)
    draft = _draft(client, schools)
    upload = SimpleUploadedFile("../../consent form.pdf", PDF, content_type="application/pdf")
    attached = client.post(f"/api/v1/referrals/{draft['id']}/attachments/", {"file": upload}, format="multipart")
    assert attached.status_code == 201, attached.json()
    stored = ReferralAttachment.objects.get()
    assert (
        "consent" not in stored.file.name
        and ".." not in stored.file.name
        and len(stored.file.name.rsplit("/", 1)[-1]) == 32
    )
    assert attached.json()["original_name"] == "consent form.pdf"
    client.post(f"/api/v1/referrals/{draft['id']}/submit/")

    url = attached.json()["download_url"]
    downloaded = client_for(schools.priya).get(url)
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF
    assert downloaded["Cache-Control"] == "private, no-store"
    assert_error(client_for(schools.ade).get(url), 404)
    assert_error(client_for(schools.dev).get(url), 404)
    assert client_for(None).get(url).status_code == 401


def test_an_attachment_that_is_not_what_it_claims_is_refused(schools, client_for):
    client = client_for(schools.khan)
    draft = _draft(client, schools)
    fake = SimpleUploadedFile("consent.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    error = assert_error(
        client.post(f"/api/v1/referrals/{draft['id']}/attachments/", {"file": fake}, format="multipart"), 400
    )
    assert error["code"] == "bad_file_type"
    png = SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="application/pdf")
    ok = client.post(f"/api/v1/referrals/{draft['id']}/attachments/", {"file": png}, format="multipart")
    assert (
        ok.status_code == 201 and ok.json()["content_type"] == "image/png" and ok.json()["original_name"] == "photo.png"
    )
    assert ReferralAttachment.objects.count() == 1


def test_an_attachment_over_the_size_limit_is_refused(schools, client_for, monkeypatch):
    from schools.services import referrals

    monkeypatch.setattr(referrals, "ATTACHMENT_MAX_BYTES", 1024)
    client = client_for(schools.khan)
    draft = _draft(client, schools)
    big = SimpleUploadedFile("consent.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    assert_error(client.post(f"/api/v1/referrals/{draft['id']}/attachments/", {"file": big}, format="multipart"), 413)
    assert not ReferralAttachment.objects.exists()


def test_the_referral_list_query_count_stays_flat(schools, client_for, submit_referral, django_assert_max_num_queries):
    submit_referral(schools.khan, mia_payload(schools))
    client = client_for(schools.priya)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/referrals/")
    baseline = len(few)
    for i in range(8):
        submitted = submit_referral(schools.khan, mia_payload(schools, first_name=f"Pupil{i}"))
        if i % 2:
            client.post(f"/api/v1/referrals/{submitted['id']}/decline/", {"reason": "Not caring."})
    with django_assert_max_num_queries(baseline):
        response = client.get("/api/v1/referrals/")
    assert response.json()["count"] == 9
