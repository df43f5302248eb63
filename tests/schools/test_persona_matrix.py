"""Every read endpoint of the schools module against every persona, for an object at Northgate served by Riverside."""

from __future__ import annotations

import pytest

from schools.models import Presentation
from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db

PERSONAS = [
    "young_carer",
    "other_young_carer",
    "key_worker",
    "manager",
    "other_project_worker",
    "school_staff",
    "other_school_staff",
    "adult_services",
    "commissioner",
]
NORTHGATE_AND_RIVERSIDE = {"key_worker", "manager", "school_staff"}
ENDPOINTS = {
    "referral attachments": ("/api/v1/referrals/{referral}/attachments/", NORTHGATE_AND_RIVERSIDE),
    "school dashboard": ("/api/v1/schools/{northgate}/dashboard/", NORTHGATE_AND_RIVERSIDE),
    "school's projects": (
        "/api/v1/schools/{northgate}/projects/",
        {"key_worker", "manager", "other_project_worker", "school_staff", "commissioner"},
    ),
    "presentation": ("/api/v1/presentations/{presentation}/", NORTHGATE_AND_RIVERSIDE),
    "presentation QR code": ("/api/v1/presentations/{presentation}/qr/", NORTHGATE_AND_RIVERSIDE),
    "toolkit progress": ("/api/v1/toolkit/progress/{northgate}/", NORTHGATE_AND_RIVERSIDE),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_persona_on_each_read_endpoint(schools, personas, client_for, submit_referral, endpoint, persona):
    referral = submit_referral(schools.khan, mia_payload(schools))
    template, allowed = ENDPOINTS[endpoint]
    url = template.format(
        referral=referral["id"],
        northgate=schools.northgate.pk,
        presentation=Presentation.objects.get(school=schools.northgate).pk,
    )
    response = client_for(personas[persona]).get(url)
    if persona in allowed:
        assert response.status_code == 200, (endpoint, persona, response.content[:200])
    else:
        assert_error(response, 404, "not_found")
    assert client_for(None).get(url).status_code == 401
