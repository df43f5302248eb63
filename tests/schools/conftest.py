from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.utils import timezone

from schools import demo
from schools.rules import expected_year_group


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> Any:
    """Throttle counters in a private in-memory cache: never flush a Redis others share."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "schools-tests"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def schools(cast: Any) -> Any:
    """The demo cast with the schools module's demo data: profiles, Riverside serving every demo school."""
    demo.load_schools(cast)
    return cast


def born(years: int, months: int = 3) -> date:
    return timezone.localdate() - relativedelta(years=years, months=months)


def mia_payload(cast: Any, **overrides: Any) -> dict[str, Any]:
    dob = born(13)
    payload = {
        "school": cast.northgate.pk,
        "project": cast.riverside.pk,
        "first_name": "Mia",
        "last_name": "Clarke",
        "date_of_birth": dob.isoformat(),
        "year_group": expected_year_group(dob, timezone.localdate()),
        "gender": "female",
        "postcode": "RV1 4AB",
        "cared_for": "Mum",
        "relationship": "parent",
        "condition_category": "mental_health",
        "caring_tasks": ["domestic", "emotional"],
        "impact_on_school": ["punctuality", "tiredness"],
        "pupil_views": "She says she is fine but is tired most mornings.",
        "pupil_knows_and_agrees": True,
        "parent_knows_and_agrees": True,
        "parent_name": "Dana Clarke",
        "parent_relationship": "mother",
        "safeguarding_concern": False,
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def submit_referral(client_for: Any) -> Any:
    """``submit_referral(user, payload)`` -> the submitted referral's JSON."""

    def submit(user: Any, payload: dict[str, Any]) -> dict[str, Any]:
        client = client_for(user)
        created = client.post("/api/v1/referrals/", payload, format="json")
        assert created.status_code == 201, created.json()
        submitted = client.post(f"/api/v1/referrals/{created.json()['id']}/submit/")
        assert submitted.status_code == 200, submitted.json()
        return submitted.json()

    return submit
