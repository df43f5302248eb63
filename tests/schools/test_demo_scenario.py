"""The issue's "done when": Mr Khan refers Mia; Ms Ade cannot see it; Priya triages; a presentation shows its impact."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases.models import CaringRole, Consent, YoungCarer
from notifications.models import Notification
from schools.demo import SAMPLE
from schools.models import Presentation, Referral
from tests.helpers import assert_error
from tests.schools.conftest import mia_payload

pytestmark = pytest.mark.django_db


def test_khan_refers_mia_and_priya_triages_it_to_a_record(schools, client_for, submit_referral):
    cast = schools
    referral = submit_referral(cast.khan, mia_payload(cast))
    assert referral["status"] == "submitted"
    assert referral["census_code"] == "S"

    # Ms Ade, at another school, cannot see it: the same 404 as a referral that does not exist.
    assert_error(client_for(cast.ade).get(f"/api/v1/referrals/{referral['id']}/"), 404, "not_found")
    assert client_for(cast.ade).get("/api/v1/referrals/").json()["results"] == []

    # A colleague refers her again, spelling her name differently.
    second = submit_referral(cast.khan, mia_payload(cast, first_name="Mya", pupil_views="Often late."))

    priya = client_for(cast.priya)
    queue = priya.get("/api/v1/referrals/queue/").json()["results"]
    assert [row["id"] for row in queue] == [referral["id"], second["id"]]
    assert queue[0]["school"]["name"] == "Northgate Academy" and queue[0]["age"] == 13

    assert (
        priya.post(
            f"/api/v1/referrals/{referral['id']}/acknowledge/", {"message": "Thanks, we will call Mia's mum."}
        ).status_code
        == 200
    )
    duplicates = priya.get(f"/api/v1/referrals/{referral['id']}/duplicates/").json()
    assert [(d["kind"], d["id"]) for d in duplicates] == [("referral", second["id"])]
    merged = priya.post(f"/api/v1/referrals/{second['id']}/merge/", {"into": referral["id"]})
    assert merged.status_code == 200 and merged.json()["id"] == referral["id"]

    accepted = priya.post(
        f"/api/v1/referrals/{referral['id']}/accept/", {"message": "Mia starts with our Tuesday group."}
    )
    assert accepted.status_code == 200, accepted.json()
    case = YoungCarer.objects.get(pk=accepted.json()["case"])
    assert (case.first_name, case.key_worker, case.school, case.status) == ("Mia", cast.priya, cast.northgate, "active")
    consent = case.consents.get()
    assert (consent.subject, consent.basis, consent.given_by_name) == (Consent.Subject.SUPPORT, "parent", "Dana Clarke")
    role = case.caring_roles.get()
    assert (role.cared_for, role.relationship, role.caring_tasks) == (
        "Mum",
        CaringRole.Relationship.PARENT,
        ["domestic", "emotional"],
    )

    # Mr Khan sees the status and the project's message, never the record.
    seen = client_for(cast.khan).get(f"/api/v1/referrals/{referral['id']}/").json()
    assert seen["status"] == "accepted" and seen["message_to_referrer"] == "Mia starts with our Tuesday group."
    assert "case" not in seen and "decline_reason" not in seen
    kinds = set(Notification.objects.filter(recipient=cast.khan).values_list("kind", flat=True))
    assert {"referral.acknowledged", "referral.merged", "referral.accepted"} <= kinds
    assert Referral.objects.get(pk=second["id"]).status == "merged"


def test_a_presentation_at_northgate_shows_before_and_after_figures(schools, client_for, submit_referral):
    cast = schools
    Presentation.objects.filter(school=cast.northgate).delete()
    delivered = timezone.now() - timedelta(weeks=13)
    with time_machine.travel(delivered - timedelta(weeks=2)):
        submit_referral(cast.khan, mia_payload(cast))  # two weeks before
    presentation = Presentation.objects.create(
        school=cast.northgate,
        project=cast.riverside,
        requested_by=cast.khan,
        status="delivered",
        delivered_at=delivered,
        attendance=150,
        presenter=cast.priya,
    )
    with time_machine.travel(delivered + timedelta(weeks=1)):
        submit_referral(cast.khan, mia_payload(cast, first_name="Leo", last_name="Hart"))
    with time_machine.travel(delivered + timedelta(weeks=6)):
        submit_referral(cast.khan, mia_payload(cast, first_name="Ana", last_name="Silva"))

    impact = client_for(cast.khan).get(f"/api/v1/presentations/{presentation.pk}/impact/").json()
    figures = {w["weeks"]: (w["referrals_before"], w["referrals_after"]) for w in impact["windows"]}
    assert figures == {4: (1, 1), 8: (1, 2), 12: (1, 2)}
    dashboard = client_for(cast.khan).get(f"/api/v1/schools/{cast.northgate.pk}/dashboard/").json()
    assert dashboard["presentations"]["impact_total"][1] == {
        "weeks": 8,
        "self_identifications_before": 0,
        "self_identifications_after": 0,
        "referrals_before": 1,
        "referrals_after": 2,
    }


def test_a_pupil_self_identifies_through_the_qr_link(schools, client_for):
    cast = schools
    presentation = Presentation.objects.get(school=cast.northgate)
    qr = client_for(cast.priya).get(f"/api/v1/presentations/{presentation.pk}/qr/")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
    link = client_for(cast.priya).get(f"/api/v1/presentations/{presentation.pk}/").json()["self_identification_url"]
    token = link.rsplit("/", 1)[-1]

    pupil = client_for(None)
    form = pupil.get(f"/api/v1/self-identifications/form/{token}/")
    assert form.status_code == 200 and form.json()["school_name"] == "Northgate Academy"
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        sent = pupil.post(
            "/api/v1/self-identifications/",
            {
                "token": token,
                "form_started": form.json()["form_started"],
                "first_name": "Zara",
                "year_group": 8,
                "who_they_care_for": "my dad",
            },
            format="json",
        )
    assert sent.status_code == 201, sent.json()
    listed = client_for(cast.khan).get("/api/v1/self-identifications/").json()["results"]
    assert [row["first_name"] for row in listed] == ["Zara"]
    assert (
        Notification.objects.filter(kind="referral.self_identified", recipient__in=[cast.khan, cast.priya]).count() == 2
    )


def test_the_sample_csv_imports(db, capsys):
    call_command("import_gias", str(SAMPLE), "--no-progress")
    out = capsys.readouterr()
    assert "13 created, 3 updated" in out.out and "3 skipped" in out.out  # the demo cast's schools are in it
    assert "line 17: URN '1234' is not 6 or 7 digits" in out.err
