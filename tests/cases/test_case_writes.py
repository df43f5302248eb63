from __future__ import annotations

import pytest

from cases.models import Consent, YoungCarer
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

WRITERS = {"key_worker", "manager"}
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
CONSENT = {
    "subject": "photos",
    "given": True,
    "basis": "parent",
    "given_by_name": "Lisa Green",
    "given_by_relationship": "mother",
}
ROLE = {
    "cared_for": "Nan",
    "relationship": "grandparent",
    "condition_category": "dementia",
    "caring_tasks": ["domestic"],
}


def _write(client, case, kind):
    base = f"/api/v1/young-carers/{case.pk}/"
    return {
        "update": lambda: client.patch(base, {"preferred_name": "Sammy"}),
        "close": lambda: client.post(base + "close/", {"reason": "moved_away"}),
        "consent": lambda: client.post(base + "consents/", CONSENT),
        "caring_role": lambda: client.post(base + "caring-roles/", ROLE, format="json"),
    }[kind]()


@pytest.mark.parametrize("kind", ["update", "close", "consent", "caring_role"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_projects_staff_change_a_case(personas, cast, client_for, persona, kind):
    before = (
        YoungCarer.objects.get(pk=cast.sam_case.pk).updated_at,
        Consent.objects.count(),
        cast.sam_case.caring_roles.count(),
    )
    response = _write(client_for(personas[persona]), cast.sam_case, kind)
    if persona in WRITERS:
        assert response.status_code in (200, 201), response.json()
    else:
        assert_error(response, 404)
        after = (
            YoungCarer.objects.get(pk=cast.sam_case.pk).updated_at,
            Consent.objects.count(),
            cast.sam_case.caring_roles.count(),
        )
        assert after == before


def test_a_worker_of_our_project_cannot_change_another_projects_case(cast, client_for):
    assert_error(_write(client_for(cast.priya), cast.kai_case, "update"), 404)
    assert _write(client_for(cast.dev), cast.kai_case, "update").status_code == 200


class TestConsent:
    url = "/api/v1/young-carers/{}/consents/"

    def post(self, client_for, cast, case, **changes):
        payload = {**CONSENT, **changes}
        payload = {key: value for key, value in payload.items() if value is not None}
        return client_for(cast.priya).post(self.url.format(case.pk), payload)

    def test_a_consent_without_a_basis_is_refused(self, cast, client_for):
        before = Consent.objects.count()
        assert "basis" in assert_error(self.post(client_for, cast, cast.sam_case, basis=None), 400)["fields"]
        assert Consent.objects.count() == before

    def test_gillick_applies_to_under_16s_giving_their_own_consent(self, cast, client_for):
        ok = self.post(
            client_for, cast, cast.sam_case, basis="gillick", given_by_name="Sam Green", given_by_relationship="self"
        )
        assert ok.status_code == 201
        too_old = self.post(
            client_for, cast, cast.alex_case, basis="gillick", given_by_name="Alex Morgan", given_by_relationship="self"
        )
        assert "basis" in assert_error(too_old, 400)["fields"]
        by_parent = self.post(client_for, cast, cast.sam_case, basis="gillick")
        assert "basis" in assert_error(by_parent, 400)["fields"]

    def test_a_best_interests_decision_needs_its_reasons(self, cast, client_for):
        response = self.post(
            client_for,
            cast,
            cast.sam_case,
            basis="best_interests",
            given_by_name="Priya Shah",
            given_by_relationship="key worker",
        )
        assert "notes" in assert_error(response, 400)["fields"]

    def test_consent_in_the_future_or_ending_before_it_began_is_refused(self, cast, client_for):
        assert (
            "given_at"
            in assert_error(self.post(client_for, cast, cast.sam_case, given_at="2099-01-01T10:00:00Z"), 400)["fields"]
        )
        response = self.post(client_for, cast, cast.sam_case, given_at="2026-01-10T10:00:00Z", valid_until="2026-01-01")
        assert "valid_until" in assert_error(response, 400)["fields"]

    def test_withdrawing_a_consent_takes_it_out_of_force(self, cast, client_for):
        consent = cast.sam_case.consents.get(subject="app_use")
        url = f"/api/v1/young-carers/{cast.sam_case.pk}/consents/{consent.pk}/withdraw/"
        response = client_for(cast.priya).post(url, {"note": "Mum asked"})
        assert response.status_code == 200 and response.json()["in_force"] is False
        assert_error(client_for(cast.priya).post(url), 409)

    def test_the_young_person_sees_their_consents(self, cast, client_for):
        subjects = {row["subject"] for row in client_for(cast.sam).get(self.url.format(cast.sam_case.pk)).json()}
        assert subjects == {"support", "app_use"}


class TestClosing:
    def test_closing_needs_a_known_reason(self, cast, client_for):
        url = f"/api/v1/young-carers/{cast.sam_case.pk}/close/"
        assert "reason" in assert_error(client_for(cast.priya).post(url, {}), 400)["fields"]
        assert "note" in assert_error(client_for(cast.priya).post(url, {"reason": "other"}), 400)["fields"]
        closed = client_for(cast.priya).post(url, {"reason": "no_longer_caring"})
        assert closed.json()["status"] == "closed" and closed.json()["closed_reason"] == "no_longer_caring"
        assert_error(client_for(cast.priya).post(url, {"reason": "moved_away"}), 409)
        reopened = client_for(cast.priya).post(f"/api/v1/young-carers/{cast.sam_case.pk}/reopen/")
        assert reopened.json()["status"] == "active" and reopened.json()["closed_reason"] == ""

    def test_unknown_caring_tasks_are_refused(self, cast, client_for):
        response = client_for(cast.priya).post(
            f"/api/v1/young-carers/{cast.sam_case.pk}/caring-roles/",
            {**ROLE, "caring_tasks": ["juggling"]},
            format="json",
        )
        assert "caring_tasks" in assert_error(response, 400)["fields"]
