"""Responses match the OpenAPI schema the API publishes: real answers validated against the documented shape."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.urls import get_resolver
from rest_framework import serializers

from api.peer.models import PeerGroup
from schools import demo
from schools.models import SchoolProfile

pytestmark = pytest.mark.django_db


def _openapi_30_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` is not JSON Schema: say it as "or null"."""
    if isinstance(node, list):
        return [_openapi_30_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _openapi_30_to_json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


@pytest.fixture
def openapi(client: Any) -> dict[str, Any]:
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def assert_documented(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The response's status is documented for the operation and its body has the documented shape."""
    documented = openapi["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, (response.status_code, sorted(documented))
    body_schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    root = _openapi_30_to_json_schema({"components": openapi["components"], **body_schema})
    jsonschema.validate(response.json(), root)


def test_a_young_carer_with_no_key_worker_or_school_matches_the_schema(cast, client_for, openapi):
    cast.sam_case.key_worker = None
    cast.sam_case.school = None
    cast.sam_case.save(update_fields=["key_worker", "school"])
    response = client_for(cast.priya).get(f"/api/v1/young-carers/{cast.sam_case.pk}/")
    assert response.status_code == 200 and response.json()["key_worker"] is None
    assert_documented(openapi, "/api/v1/young-carers/{id}/", "get", response)


def test_a_school_members_draft_referral_with_no_project_matches_the_schema(cast, client_for, openapi):
    demo.load_schools(cast)
    client = client_for(cast.khan)
    draft = client.post("/api/v1/referrals/", {"first_name": "Mia", "last_name": "Clarke"}, format="json")
    assert draft.status_code == 201 and draft.json()["project"] is None
    assert_documented(openapi, "/api/v1/referrals/", "post", draft)
    assert_documented(openapi, "/api/v1/referrals/{id}/", "get", client.get(f"/api/v1/referrals/{draft.json()['id']}/"))
    assert_documented(openapi, "/api/v1/referrals/", "get", client.get("/api/v1/referrals/"))


def test_a_school_with_no_award_matches_the_schema(cast, client_for, openapi):
    demo.load_schools(cast)
    SchoolProfile.objects.filter(organisation=cast.northgate).update(award_level="", award_expires_on=None)
    response = client_for(cast.khan).get(f"/api/v1/schools/{cast.northgate.pk}/")
    assert response.status_code == 200 and response.json()["award_expires_on"] is None
    assert_documented(openapi, "/api/v1/schools/{id}/", "get", response)


GROUP = {
    "name": "Saturday Club",
    "min_age": 8,
    "max_age": 13,
    "recurrence": "FREQ=WEEKLY;BYDAY=SA",
    "end_time": "18:00",
}


def test_group_times_are_documented_as_local_wall_clock_times(cast, client_for, openapi):
    client = client_for(cast.priya)
    created = client.post("/api/v1/groups/", {**GROUP, "starts_on": "2030-01-05", "start_time": "16:30"})
    assert created.status_code == 201, created.content
    response = client.get(f"/api/v1/groups/{created.json()['id']}/")
    assert response.json()["start_time"] == "16:30:00"
    documented = openapi["components"]["schemas"]["Group"]["properties"]["start_time"]
    assert "format" not in documented  # format: time means a time with an offset, which these are not
    assert_documented(openapi, "/api/v1/groups/{id}/", "get", response)


@pytest.mark.parametrize("start_time", ["16:30+01:00", "16:30Z", "4pm", "24:00"])
def test_a_group_time_with_an_offset_or_malformed_is_refused(cast, client_for, start_time):
    body = {**GROUP, "starts_on": "2030-01-05", "start_time": start_time}
    response = client_for(cast.priya).post("/api/v1/groups/", body)
    assert response.status_code == 400 and "start_time" in response.json()["error"]["fields"]
    assert not PeerGroup.objects.filter(name="Saturday Club").exists()


def test_resetting_push_preferences_answers_the_documented_200_with_the_defaults(cast, client_for, openapi):
    response = client_for(cast.sam).delete("/api/v1/notification-preferences/")
    assert response.status_code == 200 and response.json()["categories"]
    assert_documented(openapi, "/api/v1/notification-preferences/", "delete", response)


def test_marking_the_inbox_read_answers_the_documented_json(cast, client_for, openapi):
    response = client_for(cast.sam).post("/api/v1/notifications/read-all/", {}, format="json")
    assert response.headers["Content-Type"] == "application/json"
    assert_documented(openapi, "/api/v1/notifications/read-all/", "post", response)


def _project_model_serializers() -> list[type[serializers.ModelSerializer[Any]]]:
    get_resolver().url_patterns  # noqa: B018  (imports every view, so every serializer class exists)

    def below(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *below(direct))]

    apps = {"accounts", "api", "audit", "cases", "core", "notifications", "schools", "transitions"}
    return [cls for cls in below(serializers.ModelSerializer) if cls.__module__.split(".")[0] in apps]


def test_every_nested_object_from_a_nullable_relation_is_documented_nullable() -> None:
    undocumented = []
    for cls in _project_model_serializers():
        model = cls.Meta.model
        for name, field in cls._declared_fields.items():
            if not isinstance(field, serializers.Serializer) or field.allow_null:
                continue
            relation = next((f for f in model._meta.get_fields() if f.name == (field.source or name)), None)
            if getattr(relation, "null", False):
                undocumented.append(f"{cls.__name__}.{name}")
    assert not undocumented, f"nested serializers of nullable relations need allow_null=True: {undocumented}"
