from __future__ import annotations

import pytest

from notifications.models import Preference
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/notification-preferences/"
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


def test_an_under_18_young_carer_starts_with_quiet_nights_and_school_days_and_a_daily_cap(cast, client_for):
    body = client_for(cast.sam).get(URL).json()
    assert body["is_default"] is True
    assert body["timezone"] == "Europe/London"
    assert body["quiet_hours"] == [
        {"start": "21:00", "end": "07:00", "days": [0, 1, 2, 3, 4, 5, 6]},
        {"start": "08:30", "end": "15:30", "days": [0, 1, 2, 3, 4]},
    ]
    assert body["daily_cap"] == 5
    assert all(c["enabled"] for c in body["categories"])


def test_staff_start_with_no_quiet_hours_and_cannot_switch_off_safeguarding_alerts(cast, client_for):
    client = client_for(cast.priya)
    body = client.get(URL).json()
    assert (body["quiet_hours"], body["daily_cap"]) == ([], None)
    alert = next(c for c in body["categories"] if c["category"] == "alert")
    assert alert["can_switch_off"] is False
    error = assert_error(client.patch(URL, {"disabled_categories": ["alert"]}, format="json"), 400)
    assert "disabled_categories" in error["fields"]
    assert not Preference.objects.exists()


def test_the_young_person_can_change_their_own_quiet_hours(cast, client_for):
    client = client_for(cast.sam)
    response = client.patch(URL, {"quiet_hours": [{"start": "22:00", "end": "06:30", "days": [4, 5]}]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["quiet_hours"] == [{"start": "22:00", "end": "06:30", "days": [4, 5]}]
    assert body["daily_cap"] == 5  # untouched settings keep their default
    assert body["is_default"] is False
    reset = client.delete(URL)
    assert reset.json()["is_default"] is True


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"quiet_hours": [{"start": "9pm", "end": "07:00"}]}, "quiet_hours", "'9pm'"),
        ({"quiet_hours": [{"start": "25:00", "end": "07:00"}]}, "quiet_hours", "'25:00'"),
        ({"quiet_hours": [{"start": "21:00"}]}, "quiet_hours", "end"),
        ({"quiet_hours": [{"start": "21:00", "end": "21:00"}]}, "quiet_hours", "same time"),
        ({"quiet_hours": [{"start": "21:00", "end": "07:00", "days": [7]}]}, "quiet_hours", "days"),
        ({"quiet_hours": "21:00-07:00"}, "quiet_hours", "list"),
        ({"disabled_categories": ["gossip"]}, "disabled_categories", "gossip"),
        ({"daily_cap": 0}, "daily_cap", "between"),
        ({"daily_cap": "lots"}, "daily_cap", ""),
    ],
)
def test_preferences_that_do_not_parse_are_a_400_naming_the_problem_and_nothing_is_saved(
    cast, client_for, payload, field, words
):
    error = assert_error(client_for(cast.sam).patch(URL, payload, format="json"), 400)
    assert field in error.get("fields", {}), error
    assert words in error["message"] or words in str(error["fields"]), error
    assert not Preference.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_and_changes_only_their_own_preferences(personas, client_for, persona):
    user = personas[persona]
    other = personas["key_worker" if persona != "key_worker" else "young_carer"]
    response = client_for(user).patch(URL, {"disabled_categories": ["booking"], "daily_cap": 9}, format="json")
    assert response.status_code == 200, response.content
    saved = Preference.objects.get(user=user)
    assert (saved.disabled_categories, saved.daily_cap) == (["booking"], 9)
    assert not Preference.objects.filter(user=other).exists()
    assert client_for(other).get(URL).json()["is_default"] is True
