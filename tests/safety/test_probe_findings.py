"""Defects found by probing the running demo as its personas, each kept fixed by a test at the HTTP boundary."""

from __future__ import annotations

from typing import Any

import pytest

from api.wellbeing.models import Instrument
from schools import demo as schools_demo

pytestmark = pytest.mark.django_db


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_paging_through_the_audit_trail_reaches_older_entries(cast: Any, client_for: Any) -> None:
    """Reading a page of the trail writes one access entry per row shown. Those entries used to land at the top
    of the same list, so page 2 showed page 1 again and a manager could never page back to older entries."""
    client_for(cast.priya).get("/api/v1/young-carers/")  # one case.list entry per case, enough for two pages
    tom = client_for(cast.tom)

    first = _ids(tom.get("/api/v1/audit/", {"page_size": 2}))
    second = _ids(tom.get("/api/v1/audit/", {"page_size": 2, "page": 2}))

    assert len(first) == 2 and len(second) == 2
    assert not set(first) & set(second)
    assert max(second) < min(first)  # page 2 is older than page 1, as the trail's order promises


def test_the_trails_own_reads_are_listed_when_asked_for(cast: Any, client_for: Any) -> None:
    client_for(cast.priya).get("/api/v1/young-carers/")
    tom = client_for(cast.tom)
    shown = _ids(tom.get("/api/v1/audit/"))

    default = tom.get("/api/v1/audit/").json()["results"]
    asked = tom.get("/api/v1/audit/", {"model": "audit.auditentry"}).json()["results"]

    assert all(row["model"] != "audit.auditentry" for row in default)
    assert asked and {row["event"] for row in asked} == {"audit.list"}
    assert {int(row["object_pk"]) for row in asked} >= set(shown)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("sam", "/api/v1/questionnaires/assignments/"),
        ("khan", "/api/v1/questionnaires/assignments/"),
        ("sam", "/api/v1/questionnaires/definitions/import/"),
        ("priya", "/api/v1/questionnaires/definitions/import/"),
    ],
)
def test_a_staff_only_create_refuses_the_caller_before_reading_the_body(
    cast: Any, client_for: Any, who: str, path: str
) -> None:
    """A young person (or staff without the seat) used to get the body's field errors from these creates, and a
    404 only once the body was valid: the refusal must not depend on what was sent."""
    client = client_for(getattr(cast, who))
    empty = client.post(path, {}, format="json")
    junk = client.post(path, {"case": 999999, "instrument": "x", "reason": "nonsense"}, format="json")

    assert empty.status_code == junk.status_code == 404
    assert empty.content == junk.content == client.get("/api/v1/groups/999999/").content


def test_the_staff_only_creates_still_work_for_their_staff(cast: Any, client_for: Any) -> None:
    instrument = Instrument.objects.filter(organisation__isnull=True).values_list("pk", flat=True).first()
    body = {"case": cast.sam_case.pk, "instrument": instrument, "reason": "manual"}
    response = client_for(cast.priya).post("/api/v1/questionnaires/assignments/", body, format="json")
    assert response.status_code == 201, response.content
    assert client_for(cast.tom).post("/api/v1/questionnaires/definitions/import/", {}, format="json").status_code == 400


def test_a_school_staff_members_address_and_device_stay_out_of_another_organisations_trail(
    cast: Any, client_for: Any
) -> None:
    """A project's manager sees that a school's draft referral to the project changed (who, when, which fields) but
    may not open it; the school staff member's IP address and browser are theirs, not the project's, as are the
    draft's values."""
    schools_demo.load_schools(cast)
    body = {"school": cast.northgate.pk, "project": cast.riverside.pk, "first_name": "Zed", "last_name": "Quill"}
    draft = client_for(cast.khan).post(
        "/api/v1/referrals/", body, format="json", HTTP_USER_AGENT="SchoolLaptop/1.0", REMOTE_ADDR="203.0.113.7"
    )
    assert draft.status_code == 201, draft.content

    rows = client_for(cast.tom).get("/api/v1/audit/", {"model": "schools.referral"}).json()["results"]
    rows = [row for row in rows if row["object_pk"] == str(draft.json()["id"])]

    assert rows and all(row["values_hidden"] for row in rows)
    assert all(row["remote_addr"] is None and row["user_agent"] == "" for row in rows)
    assert "203.0.113.7" not in repr(rows) and "SchoolLaptop" not in repr(rows)


def test_a_manager_still_sees_the_address_on_records_they_may_open(cast: Any, client_for: Any) -> None:
    client_for(cast.priya).patch(
        f"/api/v1/young-carers/{cast.sam_case.pk}/",
        {"communication_needs": "Text first"},
        format="json",
        HTTP_USER_AGENT="OfficePC/2.0",
    )
    rows = client_for(cast.tom).get("/api/v1/audit/", {"case": cast.sam_case.pk, "action": "update"}).json()
    assert any(row["user_agent"] == "OfficePC/2.0" and row["remote_addr"] for row in rows["results"])


@pytest.mark.parametrize("persona", ["sam", "grace", "cleo", "ade"])
def test_someone_who_may_invite_nobody_gets_the_same_404_whatever_the_invitation_says(
    cast: Any, client_for: Any, persona: str
) -> None:
    """The body used to be read first: an empty body answered 400 "kind: This field is required", a full one 404."""
    client = client_for(getattr(cast, persona))
    empty = client.post("/api/v1/invitations/", {}, format="json")
    full = client.post(
        "/api/v1/invitations/",
        {"kind": "staff", "organisation": cast.northgate.pk, "role": "school_staff", "email": "x@example.org"},
        format="json",
    )
    assert empty.status_code == full.status_code == 404
    assert empty.json() == full.json()


@pytest.mark.parametrize("persona", ["ade", "grace", "cleo", "priya"])
def test_only_a_young_person_asks_about_their_transition_whatever_the_body(
    cast: Any, client_for: Any, persona: str
) -> None:
    client = client_for(getattr(cast, persona))
    empty = client.post("/api/v1/transitions/mine/question/", {}, format="json")
    full = client.post("/api/v1/transitions/mine/question/", {"text": "Who will help me at 18?"}, format="json")
    assert empty.status_code == full.status_code == 404
    assert empty.json() == full.json()
