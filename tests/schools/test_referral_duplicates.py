"""A pupil's own self-identification is the commonest duplicate of a referral: it is listed and kept on merge."""

from __future__ import annotations

import pytest

from schools.models import Presentation, Referral, SelfIdentification
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db


def _self_identification(schools, **fields) -> SelfIdentification:
    presentation = Presentation.objects.get(school=schools.northgate)
    values = {"school": schools.northgate, "first_name": "Mia", "last_name": "Clarke", **fields}
    return SelfIdentification.objects.create(presentation=presentation, project=schools.riverside, **values)


def test_merging_keeps_the_duplicates_self_identification_link(schools, client_for, submit_referral):
    theirs = _self_identification(schools)
    kept = submit_referral(schools.khan, mia_payload(schools))
    duplicate = submit_referral(schools.khan, mia_payload(schools, self_identification=theirs.pk))
    client = client_for(schools.priya)
    merged = client.post(f"/api/v1/referrals/{duplicate['id']}/merge/", {"into": kept["id"]})
    assert merged.status_code == 200, merged.json()
    assert merged.json()["id"] == kept["id"] and merged.json()["self_identification"] == theirs.pk
    assert Referral.objects.get(pk=kept["id"]).self_identification_id == theirs.pk


def test_merging_never_replaces_the_kept_referrals_own_link(schools, client_for, submit_referral):
    own, other = _self_identification(schools), _self_identification(schools, first_name="Mia", last_name="")
    kept = submit_referral(schools.khan, mia_payload(schools, self_identification=own.pk))
    duplicate = submit_referral(schools.khan, mia_payload(schools, self_identification=other.pk))
    merged = client_for(schools.priya).post(f"/api/v1/referrals/{duplicate['id']}/merge/", {"into": kept["id"]})
    assert merged.json()["self_identification"] == own.pk


def test_duplicates_list_the_pupils_own_self_identification(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    year = referral["year_group"]
    full = _self_identification(schools, year_group=year)
    first_name_only = _self_identification(schools, first_name="Mya", last_name="", year_group=None)
    other_year = _self_identification(schools, year_group=year + 2 if year < 12 else year - 2)
    other_pupil = _self_identification(schools, first_name="Oliver", last_name="Stone")
    elsewhere = _self_identification(schools, school=schools.st_annes)
    listed = client_for(schools.priya).get(f"/api/v1/referrals/{referral['id']}/duplicates/").json()
    found = {(d["kind"], d["id"]) for d in listed if d["kind"] == "self_identification"}
    assert found == {("self_identification", full.pk), ("self_identification", first_name_only.pk)}
    assert {other_year.pk, other_pupil.pk, elsewhere.pk}.isdisjoint({d["id"] for d in listed})
    assert next(d for d in listed if d["id"] == full.pk)["status"] == "new"


def test_the_self_identification_a_referral_follows_up_is_not_its_duplicate(schools, client_for, submit_referral):
    theirs = _self_identification(schools)
    referral = submit_referral(schools.khan, mia_payload(schools, self_identification=theirs.pk))
    listed = client_for(schools.priya).get(f"/api/v1/referrals/{referral['id']}/duplicates/").json()
    assert [d for d in listed if d["kind"] == "self_identification"] == []
