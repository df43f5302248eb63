"""The API's contract with its clients: what a bad credential, a bad filter or a bad date gets back."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from api.wellbeing.models import CheckIn
from cases.models import Consent
from core.fields import AwareDateTimeField, BoundedDateField, LocalTimeField
from tests.conftest import session_token_for
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_a_bogus_session_token_is_told_it_is_not_valid():
    error = assert_error(APIClient(HTTP_X_SESSION_TOKEN="not-a-real-token").get(ME), 401, "authentication_failed")
    assert "not valid or has expired" in error["message"]


def test_an_idle_staff_session_token_is_told_it_has_expired(cast):
    token = session_token_for(cast.priya)
    assert APIClient(HTTP_X_SESSION_TOKEN=token).get(ME).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        error = assert_error(APIClient(HTTP_X_SESSION_TOKEN=token).get(ME), 401, "authentication_failed")
    assert "not valid or has expired" in error["message"]


def test_no_token_at_all_still_says_credentials_are_missing():
    assert_error(APIClient().get(ME), 401, "not_authenticated")


# --- Dates and times in request bodies ---------------------------------------------------------------------


def checkin(**changes: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "mood": 4, "tags": [], "words": "", **changes}


def test_a_checkin_time_without_an_offset_is_refused_and_says_to_include_it(cast, client_for):
    client = client_for(cast.sam)
    naive = (timezone.now() - timedelta(minutes=5)).replace(tzinfo=None, microsecond=0).isoformat()
    error = assert_error(client.post("/api/v1/checkins/", checkin(recorded_at=naive)), 400)
    assert "offset" in error["fields"]["recorded_at"][0]
    assert not CheckIn.objects.filter(case=cast.sam_case).filter(recorded_at__gte=timezone.now() - timedelta(hours=1))
    aware = client.post("/api/v1/checkins/", checkin(recorded_at=f"{naive}Z"))
    assert aware.status_code == 201, aware.content  # the same moment with its offset is taken


CONSENT = {
    "subject": "photos",
    "given": True,
    "basis": "parent",
    "given_by_name": "Lisa Green",
    "given_by_relationship": "mother",
}


@pytest.mark.parametrize("given_at", ["0151-03-01T10:00:00Z", "1899-12-31T10:00:00Z"])
def test_a_consent_given_in_an_impossible_year_is_refused(cast, client_for, given_at):
    before = Consent.objects.count()
    url = f"/api/v1/young-carers/{cast.sam_case.pk}/consents/"
    error = assert_error(client_for(cast.priya).post(url, {**CONSENT, "given_at": given_at}), 400)
    assert "between the years 1900 and 2100" in error["fields"]["given_at"][0]
    assert Consent.objects.count() == before


def test_a_date_outside_sensible_years_is_refused(cast, client_for):
    url = f"/api/v1/young-carers/{cast.sam_case.pk}/consents/"
    body = {**CONSENT, "given_at": "2026-01-10T10:00:00Z", "valid_until": "2101-01-01"}
    assert "valid_until" in assert_error(client_for(cast.priya).post(url, body), 400)["fields"]


# --- Query parameters ---------------------------------------------------------------------------------------


def test_the_audit_trail_filters_by_the_action_its_entries_show(cast, client_for):
    client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    client = client_for(cast.tom)
    rows = client.get("/api/v1/audit/", {"action": "access"}).json()["results"]
    assert rows and {row["action"] for row in rows} == {"access"}
    error = assert_error(client.get("/api/v1/audit/", {"action": "peek"}), 400)
    assert "access" in error["fields"]["action"][0]


def test_an_unknown_status_on_the_triage_queue_is_a_400_naming_the_allowed_values(cast, client_for):
    client = client_for(cast.priya)
    assert client.get("/api/v1/referrals/queue/", {"status": "submitted"}).status_code == 200
    error = assert_error(client.get("/api/v1/referrals/queue/", {"status": "AAA"}), 400)
    assert "status" in error["message"] and "submitted" in error["fields"]["status"][0]


def test_a_time_in_a_query_without_its_offset_is_a_400(cast, client_for):
    client = client_for(cast.tom)
    assert client.get("/api/v1/audit/", {"since": "2026-01-01T00:00:00Z"}).status_code == 200
    error = assert_error(client.get("/api/v1/audit/", {"since": "2026-01-01T00:00:00"}), 400)
    assert "offset" in error["fields"]["since"][0]


@pytest.mark.parametrize("value", ["null", "yes", "2"])
def test_a_malformed_boolean_filter_is_a_400_not_ignored(cast, client_for, value):
    client = client_for(cast.priya)
    assert client.get("/api/v1/sessions/", {"upcoming": "true"}).status_code == 200
    error = assert_error(client.get("/api/v1/sessions/", {"upcoming": value}), 400)
    assert error["fields"]["upcoming"] == ["Give true or false."]


@pytest.mark.parametrize("value", ["null", "0", "101", "-1", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_from_1_to_100_is_a_400(cast, client_for, value):
    client = client_for(cast.priya)
    assert len(client.get("/api/v1/schools/", {"page_size": 2}).json()["results"]) == 2
    for url in ("/api/v1/schools/", "/api/v1/notifications/"):  # page numbers and cursors alike
        error = assert_error(client.get(url, {"page_size": value}), 400)
        assert "page_size" in error["fields"]


def test_filters_are_documented_only_where_they_are_applied(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    def query(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"].get("parameters", []) if p["in"] == "query"}

    assert {"status", "school", "project"} <= query("/api/v1/referrals/queue/")
    assert "status" not in query("/api/v1/referrals/{id}/attachments/")
    assert "status" not in query("/api/v1/young-carers/{id}/consents/")


def test_id_filters_document_the_range_they_take(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    school = next(p for p in paths["/api/v1/young-carers/"]["get"]["parameters"] if p["name"] == "school")
    assert school["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_a_checkin_id_that_is_not_a_uuid_is_not_found(cast, client_for):
    assert_error(client_for(cast.sam).get(f"/api/v1/checkins/{'0' * 36}/"), 404, "not_found")


def test_quiet_hours_are_documented_as_the_windows_they_take(client):
    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    quiet_hours = schemas["PatchedPreferencesInputRequest"]["properties"]["quiet_hours"]
    assert quiet_hours["type"] == "array" and quiet_hours["items"] == {
        "$ref": "#/components/schemas/QuietWindowRequest"
    }


def test_every_declared_date_or_time_field_is_the_projects_own() -> None:
    """A plain DRF DateTimeField would read "16:30" as UTC and take the year 151: declarations use core.fields."""
    get_resolver().url_patterns  # noqa: B018  (imports every view, so every serializer class exists)

    def below(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *below(direct))]

    ours = (AwareDateTimeField, BoundedDateField, LocalTimeField)
    plain = (serializers.DateTimeField, serializers.DateField, serializers.TimeField)
    apps = {"accounts", "api", "audit", "cases", "core", "notifications", "schools", "transitions"}
    found = []
    for cls in below(serializers.Serializer):
        if cls.__module__.split(".")[0] not in apps:
            continue
        for name, field in cls._declared_fields.items():
            inner = getattr(field, "child", field)
            if isinstance(inner, plain) and not isinstance(inner, ours) and not field.read_only:
                found.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not found, f"use core.fields for these: {found}"


def test_a_post_to_an_unknown_api_path_is_the_json_404_not_a_csrf_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.priya)  # a browser session: Django's CSRF check applies to views that are not DRF's
    response = client.post("/api/v1/toolkit/progress/0.5/evidence/", {"title": "x"}, content_type="application/json")
    assert_error(response, 404, "not_found")


def test_a_method_a_view_does_not_serve_is_a_405_even_signed_out(cast):
    response = APIClient().generic("TRACE", "/api/v1/self-identifications/form/abcdefgh12/")
    assert_error(response, 405, "method_not_allowed")
    assert_error(APIClient().put("/api/v1/young-carers/"), 405, "method_not_allowed")
