"""Existence oracles: "missing" and "not yours" answer alike, the caller is checked before the body, nobody is named.

Each test compares the answer for an id that does not exist with the answer for one that exists but belongs to
someone else: same status and the same body, byte for byte. Each also shows the allowed request working, so the
refusal is known to come from the check and not from a broken request.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Invitation, Role
from accounts.services import invitation_create_for_young_carer
from api.peer import services as peer_services
from api.peer.models import PeerGroup, Session
from cases.models import YoungCarer
from tests.helpers import assert_error

MISSING = 999_999


@pytest.fixture(autouse=True)
def _private_cache(settings: Any) -> Any:
    """Throttle counters in a private in-memory cache, so these tests neither trip nor reset anyone else's."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "oracles"}}
    cache.clear()
    yield
    cache.clear()


def same(first: Any, second: Any) -> None:
    """Identical status and identical body."""
    assert (first.status_code, first.content) == (second.status_code, second.content)


def eastbank_group(cast: Any) -> PeerGroup:
    """Dev's group at Eastbank: another project's, as seen from Riverside."""
    return peer_services.group_create(
        actor=cast.dev,
        organisation=cast.eastbank,
        name="Eastbank Juniors",
        min_age=8,
        max_age=14,
        recurrence="FREQ=WEEKLY;BYDAY=WE",
        starts_on=timezone.localdate(),
        start_time=time(16, 0),
        end_time=time(17, 30),
        facilitators=[cast.dev],
    )


CASE = {"first_name": "Lee", "last_name": "Ward", "date_of_birth": "2014-05-01"}
GROUP = {"name": "Saturday Club", "min_age": 8, "max_age": 14}


# --- 6(a): ids in a body resolve only among what the actor may name ----------------------------------------


class TestBodyIds:
    def test_a_missing_key_worker_and_another_projects_worker_get_the_same_answer(self, cast, client_for):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/young-carers/", {**CASE, "key_worker": MISSING})
        foreign = client.post("/api/v1/young-carers/", {**CASE, "key_worker": cast.dev.pk})
        same(missing, foreign)
        assert assert_error(foreign, 400)["fields"] == {"key_worker": ["Choose a worker of this project."]}
        assert not YoungCarer.objects.filter(first_name="Lee").exists()
        assert client.post("/api/v1/young-carers/", {**CASE, "key_worker": cast.priya.pk}).status_code == 201

    def test_a_young_person_cannot_be_named_as_a_key_worker(self, cast, client_for):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/young-carers/", {**CASE, "key_worker": MISSING})
        same(missing, client.post("/api/v1/young-carers/", {**CASE, "key_worker": cast.sam.pk}))

    def test_the_facilitators_error_names_nobody(self, cast, client_for):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/groups/", {**GROUP, "facilitators": [MISSING]}, format="json")
        foreign = client.post("/api/v1/groups/", {**GROUP, "facilitators": [cast.dev.pk]}, format="json")
        same(missing, foreign)
        error = assert_error(foreign, 400)
        assert cast.dev.last_name not in error["message"] and cast.dev.first_name not in error["message"]
        assert not PeerGroup.objects.filter(name="Saturday Club").exists()
        ok = client.post("/api/v1/groups/", {**GROUP, "facilitators": [cast.priya.pk]}, format="json")
        assert ok.status_code == 201

    def test_a_missing_project_and_another_projects_get_the_same_answer(self, cast, client_for):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/groups/", {**GROUP, "organisation": MISSING})
        same(missing, client.post("/api/v1/groups/", {**GROUP, "organisation": cast.eastbank.pk}))
        same(missing, client.post("/api/v1/groups/", {**GROUP, "organisation": cast.northgate.pk}))
        assert client.post("/api/v1/groups/", {**GROUP, "organisation": cast.riverside.pk}).status_code == 201

    @pytest.mark.parametrize("value", [True, "abc", -1, 0, 2**63, 2**70])
    def test_a_malformed_id_gets_the_same_answer_as_a_missing_one(self, cast, client_for, value):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/young-carers/", {**CASE, "key_worker": MISSING}, format="json")
        same(missing, client.post("/api/v1/young-carers/", {**CASE, "key_worker": value}, format="json"))

    def test_a_school_lead_is_chosen_among_the_schools_own_staff(self, cast, client_for):
        client = client_for(cast.khan)
        url = f"/api/v1/schools/{cast.northgate.pk}/"
        missing = client.patch(url, {"young_carers_lead": MISSING}, format="json")
        same(missing, client.patch(url, {"young_carers_lead": cast.ade.pk}, format="json"))
        same(missing, client.patch(url, {"young_carers_lead": cast.priya.pk}, format="json"))


# --- 6(b): list filters ------------------------------------------------------------------------------------


class TestFilters:
    @pytest.mark.parametrize(
        ("url", "who"),
        [
            ("/api/v1/sessions/?group={}", "priya"),
            ("/api/v1/bookings/?event={}", "priya"),
            ("/api/v1/referrals/?school={}", "priya"),
            ("/api/v1/referrals/?project={}", "khan"),
            ("/api/v1/presentations/?school={}", "priya"),
            ("/api/v1/presentations/?project={}", "khan"),
            ("/api/v1/self-identifications/?school={}", "priya"),
            ("/api/v1/self-identifications/?presentation={}", "khan"),
        ],
    )
    def test_an_unknown_id_and_a_foreign_one_both_give_an_empty_list(self, cast, client_for, url, who):
        foreign = {"priya": cast.st_annes.pk, "khan": cast.eastbank.pk}[who]
        if "group" in url:
            foreign = eastbank_group(cast).pk
        client = client_for(getattr(cast, who))
        missing = client.get(url.format(MISSING))
        assert missing.status_code == 200, missing.content
        assert missing.json()["results"] == []
        same(missing, client.get(url.format(foreign)))

    @pytest.mark.parametrize("value", ["-9223372036854775809", "0", "-1", "9223372036854775808", "abc", "1.5"])
    def test_a_malformed_or_out_of_range_id_is_a_clear_400(self, cast, client_for, value):
        response = client_for(cast.priya).get(f"/api/v1/sessions/?group={value}")
        error = assert_error(response, 400)
        assert error["fields"] == {"group": ["Give an id: a whole number from 1 to 9223372036854775807."]}

    def test_the_filter_still_finds_what_the_actor_may_see(self, cast, client_for):
        group = peer_services.group_create(
            actor=cast.priya,
            organisation=cast.riverside,
            name="Thursday Teens",
            min_age=12,
            max_age=17,
            recurrence="FREQ=WEEKLY;BYDAY=TH",
            starts_on=timezone.localdate(),
            start_time=time(16, 30),
            end_time=time(18, 0),
        )
        rows = client_for(cast.priya).get(f"/api/v1/sessions/?group={group.pk}").json()["results"]
        assert rows and {row["group"] for row in rows} == {group.pk}


# --- 6(c): the MFA refusal comes before any lookup -----------------------------------------------------------


class TestMfaBeforeLookup:
    @pytest.fixture
    def no_second_factor(self, cast, settings) -> Any:
        settings.DEMO_RELAX_MFA = False
        Authenticator.objects.filter(user=cast.priya).delete()
        return cast.priya

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("post", "/api/v1/sessions/{}/cancel/"),
            ("get", "/api/v1/sessions/{}/register/"),
            ("get", "/api/v1/groups/{}/members/"),
            ("get", "/api/v1/young-carers/{}/"),
            ("get", "/api/v1/schools/{}/dashboard/"),
        ],
    )
    def test_staff_without_mfa_get_mfa_required_whether_or_not_the_id_exists(
        self, cast, client_for, no_second_factor, method, path
    ):
        group = eastbank_group(cast)
        ids = {
            "sessions": Session.objects.filter(group=group).values_list("pk", flat=True).first(),
            "groups": group.pk,
            "young-carers": cast.kai_case.pk,
            "schools": cast.northgate.pk,  # a school Riverside serves: its figures are case data
        }
        existing = next(value for key, value in ids.items() if f"/{key}/" in path)
        assert existing is not None
        client = client_for(no_second_factor)
        foreign = getattr(client, method)(path.format(existing), {}, format="json")
        assert_error(foreign, 403, "mfa_required")
        same(foreign, getattr(client, method)(path.format(MISSING), {}, format="json"))

    def test_the_refusal_comes_before_the_body_is_read(self, cast, client_for, no_second_factor):
        client = client_for(no_second_factor)
        bad = client.post("/api/v1/young-carers/", {"key_worker": "nonsense"})
        assert_error(bad, 403, "mfa_required")
        same(bad, client.post("/api/v1/young-carers/", CASE))


# --- 6(d): accounts never say whether an address has one ----------------------------------------------------


class TestAccounts:
    def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(self, cast):
        url = "/_allauth/app/v1/auth/password/request"
        known = APIClient().post(url, {"email": "sam@demo.example"}, format="json")
        unknown = APIClient().post(url, {"email": "nobody-here@demo.example"}, format="json")
        assert known.status_code == 200
        same(known, unknown)

    def test_sign_up_with_a_bad_invitation_answers_the_same_whether_or_not_the_address_has_an_account(self, cast):
        url = "/_allauth/app/v1/auth/signup"
        body = {"password": "a-long-enough-secret-2026", "invitation": "not-a-real-invitation"}
        taken = APIClient().post(url, {**body, "email": "sam@demo.example"}, format="json")
        fresh = APIClient().post(url, {**body, "email": "nobody-here@demo.example"}, format="json")
        assert taken.status_code == 400
        same(taken, fresh)

    def test_sign_up_with_a_taken_address_does_not_say_it_is_registered(self, cast):
        case = YoungCarer.objects.create(
            organisation=cast.riverside, first_name="Mia", last_name="Hughes", date_of_birth=cast.sam_case.date_of_birth
        )
        _, token = invitation_create_for_young_carer(actor=cast.priya, case=case)
        body = {"email": "sam@demo.example", "password": "a-long-enough-secret-2026", "invitation": token}
        response = APIClient().post("/_allauth/app/v1/auth/signup", body, format="json")
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["code"] != "email_taken" and "registered" not in error["message"]

    def test_a_staff_invitation_answers_the_same_for_an_address_with_an_account(
        self, cast, client_for, django_capture_on_commit_callbacks
    ):
        client = client_for(cast.tom)

        def invite(email: str) -> Any:
            body = {"kind": "staff", "organisation": cast.riverside.pk, "role": Role.PROJECT_WORKER, "email": email}
            return client.post("/api/v1/invitations/", body)

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            existing, new = invite("GRACE@demo.example"), invite("nia@demo.example")
        assert (existing.status_code, new.status_code) == (201, 201)
        assert set(existing.json()) == set(new.json())
        assert existing.json()["state"] == new.json()["state"]
        # The address that already has an account is sent nothing; the new one gets its invitation.
        assert [message.to for message in mail.outbox] == [["nia@demo.example"]]
        assert Invitation.objects.filter(email="grace@demo.example").exists()


# --- 6(e): who is asking comes before what they sent -----------------------------------------------------------


class TestCallerBeforeBody:
    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ("/api/v1/young-carers/", "key_worker"),
            ("/api/v1/groups/", "facilitators"),
            ("/api/v1/events/", "open_to"),
            ("/api/v1/transitions/", "case"),
            ("/api/v1/toolkit/resources/", "owner"),
        ],
    )
    def test_a_young_person_gets_the_same_404_for_a_missing_and_an_existing_id(self, cast, client_for, path, field):
        client = client_for(cast.sam)
        many = field in ("facilitators", "open_to")
        value: Any = cast.priya.pk if field in ("key_worker", "facilitators") else cast.riverside.pk
        if field == "case":
            value = cast.sam_case.pk
        missing = client.post(path, {field: [MISSING] if many else MISSING}, format="json")
        existing = client.post(path, {field: [value] if many else value}, format="json")
        assert_error(missing, 404)
        same(missing, existing)

    def test_school_staff_cannot_learn_user_ids_through_a_key_worker(self, cast, client_for):
        client = client_for(cast.khan)
        missing = client.post("/api/v1/young-carers/", {**CASE, "key_worker": MISSING})
        assert_error(missing, 404)
        same(missing, client.post("/api/v1/young-carers/", {**CASE, "key_worker": cast.priya.pk}))

    def test_a_worker_who_is_no_manager_gets_the_same_404_for_any_toolkit_owner(self, cast, client_for):
        client = client_for(cast.priya)
        missing = client.post("/api/v1/toolkit/resources/", {"owner": MISSING}, format="json")
        assert_error(missing, 404)
        same(missing, client.post("/api/v1/toolkit/resources/", {"owner": cast.riverside.pk}, format="json"))

    def test_a_pupil_gets_the_same_404_from_a_referral_create_for_any_school(self, cast, client_for):
        client = client_for(cast.sam)
        missing = client.post("/api/v1/referrals/", {"school": MISSING}, format="json")
        same(missing, client.post("/api/v1/referrals/", {"school": cast.northgate.pk}, format="json"))


def test_a_case_cannot_move_organisation_and_the_answer_names_nothing(cast, client_for):
    response = client_for(cast.priya).patch(
        f"/api/v1/young-carers/{cast.sam_case.pk}/", {"organisation": cast.riverside.pk}, format="json"
    )
    assert assert_error(response, 400)["fields"] == {"organisation": ["This cannot move to another organisation here."]}
    assert YoungCarer.objects.get(pk=cast.sam_case.pk).organisation_id == cast.riverside.pk
