"""What a school's dashboard counts: that school's pupils, where they agreed to share with school; each project its own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Consent, YoungCarer
from schools.models import Referral
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db


def _share_with_school(case: YoungCarer, *, given: bool = True, **extra: Any) -> Consent:
    return Consent.objects.create(
        case=case,
        subject=Consent.Subject.SHARE_WITH_SCHOOL,
        given=given,
        basis=Consent.Basis.GILLICK,
        given_by_name=case.first_name,
        given_by_relationship="self",
        given_at=extra.pop("given_at", timezone.now() - timedelta(days=1)),
        **extra,
    )


def _dashboard(client_for: Any, user: Any, school: Any) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/schools/{school.pk}/dashboard/")
    assert response.status_code == 200, response.json()
    return response.json()


def _records(client_for: Any, user: Any, school: Any) -> dict[str, int]:
    return _dashboard(client_for, user, school)["young_carers_identified"]


def test_a_pupil_counts_for_the_school_only_once_they_agree_to_share(schools, client_for):
    assert _records(client_for, schools.khan, schools.northgate)["with_a_record"] == 0
    _share_with_school(schools.sam_case)
    records = _records(client_for, schools.khan, schools.northgate)
    assert (records["with_a_record"], records["supported_now"]) == (1, 1)


@pytest.mark.parametrize("how", ["withdrawn", "lapsed", "refused later"])
def test_a_withdrawn_lapsed_or_refused_agreement_stops_the_count(schools, client_for, how):
    consent = _share_with_school(schools.sam_case, given_at=timezone.now() - timedelta(days=10))
    if how == "withdrawn":
        consent.withdrawn_at = timezone.now()
        consent.save()
    elif how == "lapsed":
        consent.valid_until = timezone.localdate() - timedelta(days=1)
        consent.save()
    else:
        _share_with_school(schools.sam_case, given=False)
    assert _records(client_for, schools.khan, schools.northgate)["with_a_record"] == 0


def test_another_schools_pupils_never_count(schools, client_for):
    _share_with_school(schools.jo_case)  # Jo goes to St Anne's
    assert _records(client_for, schools.khan, schools.northgate)["with_a_record"] == 0


def test_a_project_counts_only_its_own_records_and_referrals(schools, client_for, submit_referral):
    """Kai (Eastbank) moves to Northgate: Riverside's worker must not count Eastbank's child or referrals to it."""
    kai = schools.kai_case
    kai.school = schools.northgate
    kai.save()
    for case in (schools.sam_case, kai):
        _share_with_school(case)
    submit_referral(schools.khan, mia_payload(schools))
    Referral.objects.update(project=schools.eastbank)
    assert _records(client_for, schools.khan, schools.northgate)["with_a_record"] == 2
    riverside = _dashboard(client_for, schools.priya, schools.northgate)
    assert riverside["young_carers_identified"]["with_a_record"] == 1
    assert riverside["referrals_by_status"]["submitted"] == 0


def test_whether_a_referred_pupil_is_supported_is_shown_only_with_their_agreement(schools, client_for, submit_referral):
    referral = submit_referral(schools.khan, mia_payload(schools))
    Referral.objects.filter(pk=referral["id"]).update(case=schools.sam_case)
    [pupil] = _dashboard(client_for, schools.khan, schools.northgate)["referred_pupils"]
    assert pupil["supported"] is None
    _share_with_school(schools.sam_case)
    [pupil] = _dashboard(client_for, schools.khan, schools.northgate)["referred_pupils"]
    assert pupil["supported"] is True
