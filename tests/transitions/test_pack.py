from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from api.peer import selectors as peer_selectors
from api.wellbeing import selectors as wellbeing_selectors
from audit.models import AuditEntry
from tests.helpers import assert_error
from tests.transitions.conftest import walk
from transitions.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(cast):
    return walk(cast, cast.alex_case, State.HANDOVER_REFERRED).handovers.get()


def test_the_json_pack_carries_the_record_for_adult_services(cast, client_for, handover):
    response = client_for(cast.grace).get(f"/api/v1/handovers/{handover.pk}/pack/")
    assert response.status_code == 200, response.json()
    pack = response.json()
    assert pack["personal_details"]["name"] == "Alex Morgan"
    assert pack["caring_roles"][0]["cared_for"] == "Dad"
    assert "Giving medication" in pack["caring_roles"][0]["tasks"]
    assert pack["questionnaire_scores"] == "no questionnaire scores recorded"
    assert pack["assessment"]["likely_eligibility"] == "Likely to have eligible needs"
    assert pack["plan"]["goals"] == ["Finish college"]
    assert pack["consent_basis"]["basis"] == "consent" and pack["consent_basis"]["given_by"] == "Alex Morgan"
    assert "Aunt Carol" in pack["contingency_plan"]
    assert {c["name"] for c in pack["key_contacts"]} == {"Priya Shah"}
    entry = AuditEntry.objects.filter(event="handover.pack", actor=cast.grace).first()
    assert entry is not None and entry.case_id == cast.alex_case.pk


def test_the_pack_reads_scores_groups_and_safeguarding_from_their_modules_when_present(
    cast, client_for, handover, monkeypatch
):
    monkeypatch.setattr(
        wellbeing_selectors,
        "scores_for_case",
        lambda case: {"WEMWBS": [{"on": "2026-01-10", "score": 41}, {"on": "2026-06-10", "score": 47}]},
    )
    monkeypatch.setattr(
        wellbeing_selectors,
        "safeguarding_summary_for_case",
        lambda case: {"open_alerts": 0, "alerts_last_12_months": 1},
    )
    monkeypatch.setattr(
        peer_selectors,
        "groups_of_case",
        lambda case: [{"group": "Young adult carers (16-25)", "meets": "Thursdays 4pm"}],
    )
    pack = client_for(cast.priya).get(f"/api/v1/handovers/{handover.pk}/pack/").json()
    assert pack["questionnaire_scores"]["WEMWBS"][1]["score"] == 47
    assert pack["safeguarding_summary"] == {"open_alerts": 0, "alerts_last_12_months": 1}
    assert pack["continuing_services"][0]["group"] == "Young adult carers (16-25)"
    pdf = client_for(cast.priya).get(f"/api/v1/handovers/{handover.pk}/pack.pdf")
    text = _text(pdf.content)
    assert "Young adult carers (16-25)" in text and "WEMWBS" in text


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_pack_opens_and_reads_well(cast, client_for, handover):
    response = client_for(cast.grace).get(f"/api/v1/handovers/{handover.pk}/pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = _text(response.content)
    for expected in (
        "Transition hand-over pack",
        "Alex Morgan",
        "Riverside Adult Carers Service",
        "Personal details",
        "Caring role and tasks",
        "Dad",
        "Questionnaire scores and trend",
        "No questionnaire scores recorded",
        "Transition assessment",
        "Impact on wellbeing",
        "Tired at college.",
        "Transition plan",
        "Finish college",
        "Consent basis for sharing",
        "Services that must continue",
        "Safeguarding summary",
        "Contingency plan",
        "Aunt Carol",
        "Key contacts",
        "Priya Shah",
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(event="handover.pack_pdf", actor=cast.grace, object_pk=str(handover.pk)).exists()


def test_a_client_that_accepts_only_pdf_gets_the_pdf_and_errors_still_come_as_json(cast, client_for, handover):
    grace = client_for(cast.grace)
    response = grace.get(f"/api/v1/handovers/{handover.pk}/pack.pdf", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_error(grace.get("/api/v1/handovers/999999/pack.pdf", HTTP_ACCEPT="application/pdf"), 404, "not_found")


def test_the_pack_escapes_what_was_typed(cast, client_for, handover):
    cast.alex_case.contingency_plan = "<script>alert(1)</script> Aunt <b>Carol</b>"
    cast.alex_case.save()
    text = _text(client_for(cast.priya).get(f"/api/v1/handovers/{handover.pk}/pack.pdf").content)
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("key_worker", 200),
        ("manager", 200),
        ("adult_services", 200),
        ("other_project_worker", 404),
        ("school_staff", 404),
        ("commissioner", 404),
        ("young_carer", 404),
        ("other_young_carer", 404),
    ],
)
def test_who_may_open_the_pack(personas, client_for, handover, persona, expected):
    client = client_for(personas[persona])
    response = client.get(f"/api/v1/handovers/{handover.pk}/pack/")
    if expected == 404:
        assert_error(response, 404, "not_found")
        assert_error(client.get(f"/api/v1/handovers/{handover.pk}/pack.pdf"), 404, "not_found")
    else:
        # The PDF for allowed readers is opened in the tests above (rendering takes a second or so).
        assert response.status_code == 200


def test_alex_cannot_open_their_own_pack_but_sees_their_plan(cast, client_for, handover):
    assert_error(client_for(cast.alex).get(f"/api/v1/handovers/{handover.pk}/pack/"), 404)
    assert client_for(cast.alex).get("/api/v1/transitions/mine/").json()["goals"] == ["Finish college"]


def test_a_missing_hand_over_pack_is_404(cast, client_for):
    assert_error(client_for(cast.grace).get("/api/v1/handovers/99999/pack/"), 404)
    assert_error(client_for(None).get("/api/v1/handovers/1/pack/"), 401)
