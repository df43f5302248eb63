from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import EvidenceItem, ToolkitDownload
from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def resource(schools, client_for):
    tom = client_for(schools.tom)
    created = tom.post(
        "/api/v1/toolkit/resources/",
        {
            "title": "Identification checklist",
            "category": "checklist",
            "audiences": ["staff"],
            "standards": ["identify"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    upload = SimpleUploadedFile("checklist.pdf", PDF, content_type="application/pdf")
    assert (
        tom.post(
            f"/api/v1/toolkit/resources/{created.json()['id']}/versions/", {"file": upload}, format="multipart"
        ).status_code
        == 201
    )
    return created.json()


def test_a_manager_publishes_versions_and_schools_download_them_counted_per_school(resource, schools, client_for):
    tom = client_for(schools.tom)
    upload = SimpleUploadedFile("checklist v2.pdf", PDF + b"v2", content_type="application/pdf")
    v2 = tom.post(
        f"/api/v1/toolkit/resources/{resource['id']}/versions/",
        {"file": upload, "notes": "New wording"},
        format="multipart",
    )
    assert v2.json()["number"] == 2
    khan = client_for(schools.khan)
    downloaded = khan.get(f"/api/v1/toolkit/resources/{resource['id']}/download/")
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF + b"v2"
    khan.get(f"/api/v1/toolkit/resources/{resource['id']}/download/?version=1")
    client_for(schools.ade).get(f"/api/v1/toolkit/resources/{resource['id']}/download/")
    assert ToolkitDownload.objects.count() == 3
    listed = khan.get("/api/v1/toolkit/resources/?standard=identify").json()["results"]
    assert [(r["title"], r["downloads"], r["latest_version"]["number"]) for r in listed] == [
        ("Identification checklist", 2, 2)
    ]
    by_school = tom.get(f"/api/v1/toolkit/resources/{resource['id']}/downloads/").json()
    assert {(row["school__name"], row["downloads"]) for row in by_school} == {
        ("Northgate Academy", 2),
        ("St Anne's Primary", 1),
    }
    assert_error(khan.get(f"/api/v1/toolkit/resources/{resource['id']}/downloads/"), 404)
    assert khan.get("/api/v1/toolkit/resources/?standard=support").json()["results"] == []


def test_only_project_managers_publish_and_files_are_checked(resource, schools, client_for):
    body = {"title": "Poster", "category": "poster", "audiences": ["pupils"], "standards": ["inform"]}
    assert_error(client_for(schools.khan).post("/api/v1/toolkit/resources/", body, format="json"), 404)
    assert_error(client_for(schools.priya).post("/api/v1/toolkit/resources/", body, format="json"), 404)
    assert_error(
        client_for(schools.tom).post("/api/v1/toolkit/resources/", {**body, "standards": []}, format="json"), 400
    )
    fake = SimpleUploadedFile("poster.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    error = assert_error(
        client_for(schools.tom).post(
            f"/api/v1/toolkit/resources/{resource['id']}/versions/", {"file": fake}, format="multipart"
        ),
        400,
    )
    assert error["code"] == "bad_file_type"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("young_carer", 0), ("adult_services", 0), ("school_staff", 1), ("key_worker", 1), ("commissioner", 1)],
)
def test_each_persona_sees_the_toolkit(resource, personas, client_for, persona, expected):
    assert client_for(personas[persona]).get("/api/v1/toolkit/resources/").json()["count"] == expected


def test_progress_on_the_five_standards_with_evidence(schools, client_for):
    khan = client_for(schools.khan)
    standards = khan.get(f"/api/v1/toolkit/progress/{schools.northgate.pk}/").json()
    assert [s["standard"] for s in standards] == ["understand", "inform", "identify", "listen", "support"]
    updated = khan.post(
        f"/api/v1/toolkit/progress/{schools.northgate.pk}/standards/identify/", {"status": "in_progress"}
    )
    assert {s["standard"]: s["status"] for s in updated.json()}["identify"] == "in_progress"
    added = khan.post(
        f"/api/v1/toolkit/progress/{schools.northgate.pk}/evidence/",
        {"standard": "identify", "title": "Staff briefing", "text": "All tutors briefed in September."},
    )
    assert added.status_code == 201
    assert client_for(schools.priya).get(f"/api/v1/toolkit/progress/{schools.northgate.pk}/").status_code == 200
    assert_error(client_for(schools.ade).get(f"/api/v1/toolkit/progress/{schools.northgate.pk}/"), 404)
    assert_error(
        client_for(schools.ade).post(
            f"/api/v1/toolkit/progress/{schools.northgate.pk}/evidence/", {"standard": "identify", "title": "x"}
        ),
        404,
    )
    assert_error(khan.post(f"/api/v1/toolkit/progress/{schools.northgate.pk}/standards/bogus/", {"status": "met"}), 404)
    removed = khan.delete(f"/api/v1/toolkit/progress/{schools.northgate.pk}/evidence/{added.json()['id']}/")
    assert removed.status_code == 204


@pytest.mark.parametrize(
    "text", ["Mia Clarke now comes to the lunch club.", "mia told her tutor", "Spoke to MIA CLARKE's mum"]
)
def test_evidence_naming_a_referred_pupil_is_refused(schools, client_for, submit_referral, text):
    submit_referral(schools.khan, mia_payload(schools))
    khan = client_for(schools.khan)
    error = assert_error(
        khan.post(
            f"/api/v1/toolkit/progress/{schools.northgate.pk}/evidence/",
            {"standard": "support", "title": "Lunch club", "text": text},
        ),
        400,
        "not_anonymised",
    )
    assert "text" in error["fields"]
    assert not EvidenceItem.objects.exists()
    fine = khan.post(
        f"/api/v1/toolkit/progress/{schools.northgate.pk}/evidence/",
        {
            "standard": "support",
            "title": "Lunch club",
            "text": "A Year 8 pupil now comes to the lunch club; Miami trip planned.",
        },
    )
    assert fine.status_code == 201


def test_a_resource_cannot_move_to_another_owner_in_an_edit(resource, schools, client_for):
    response = client_for(schools.tom).patch(
        f"/api/v1/toolkit/resources/{resource['id']}/", {"owner": schools.riverside.pk, "title": "New"}, format="json"
    )
    assert assert_error(response, 400)["fields"] == {"owner": ["This cannot move to another organisation here."]}
    fresh = client_for(schools.tom).get(f"/api/v1/toolkit/resources/{resource['id']}/").json()
    assert fresh["title"] == "Identification checklist"


def test_a_download_answers_with_a_content_type_the_schema_documents(resource, schools, client_for, client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    documented = paths["/api/v1/toolkit/resources/{id}/download/"]["get"]["responses"]["200"]["content"]
    downloaded = client_for(schools.khan).get(f"/api/v1/toolkit/resources/{resource['id']}/download/")
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Type"] in documented
