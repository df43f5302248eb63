"""Demo data for the schools module: the register sample, the demo schools' profiles, and Riverside serving them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from backend.demo import Cast
from cases.models import CaringRole
from schools import gias
from schools.models import (
    AwardLevel,
    Phase,
    Presentation,
    Referral,
    SchoolProfile,
    SchoolProject,
    Standard,
    StandardProgress,
    ToolkitResource,
)
from schools.rules import expected_year_group
from schools.services import toolkit
from schools.workdays import due_after

SAMPLE = Path(__file__).parent / "data" / "gias_sample.csv"


@transaction.atomic
def load(cast: Cast) -> None:
    load_schools(cast)
    _mias_referral(cast)
    _toolkit(cast)


# The demo schools have agreed to work with their projects.
_AGREED = {"status": SchoolProject.Status.ACCEPTED}


def load_schools(cast: Cast) -> None:
    """The register sample, the demo schools' profiles, links and a delivered presentation at Northgate."""
    gias.import_rows(gias.parse(gias.decode(SAMPLE.read_bytes())))
    profiles: dict[Organisation, dict[str, Any]] = {
        cast.northgate: dict(
            phase=Phase.SECONDARY,
            local_authority="Riverside",
            postcode="RV1 2NG",
            young_carers_lead=cast.khan,
            award_level=AwardLevel.SILVER,
            award_expires_on=date(timezone.localdate().year + 2, 7, 31),
        ),
        cast.st_annes: dict(phase=Phase.PRIMARY, local_authority="Riverside", postcode="RV2 3SA"),
        cast.hillside: dict(phase=Phase.SIXTEEN_PLUS, local_authority="Riverside", postcode="RV3 4HC"),
    }
    for school, values in profiles.items():
        profile, _ = SchoolProfile.objects.get_or_create(organisation=school)
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
        SchoolProject.objects.get_or_create(school=school, project=cast.riverside, defaults=_AGREED)
    SchoolProject.objects.get_or_create(school=cast.st_annes, project=cast.eastbank, defaults=_AGREED)
    for standard in (Standard.UNDERSTAND, Standard.INFORM):
        StandardProgress.objects.get_or_create(
            school=cast.northgate,
            standard=standard,
            defaults={"status": StandardProgress.Status.MET, "updated_by": cast.khan},
        )
    if not Presentation.objects.filter(school=cast.northgate).exists():
        Presentation.objects.create(
            school=cast.northgate,
            project=cast.riverside,
            requested_by=cast.khan,
            status=Presentation.Status.DELIVERED,
            audience=Presentation.Audience.PUPILS,
            year_groups=[7, 8],
            expected_size=180,
            presenter=cast.priya,
            delivered_at=timezone.now() - timedelta(days=10),
            attendance=172,
            delivered_year_groups=[7, 8],
            resources_used=["Who are young carers? assembly slides"],
            feedback="Lots of questions at the end.",
        )


def _mias_referral(cast: Cast) -> None:
    """Mia (13), referred by Mr Khan yesterday and waiting in Priya's queue."""
    if Referral.objects.filter(school=cast.northgate, first_name="Mia", last_name="Clarke").exists():
        return
    today = timezone.localdate()
    born = today - relativedelta(years=13, months=4)
    submitted = timezone.now() - timedelta(days=1)
    Referral.objects.create(
        school=cast.northgate,
        project=cast.riverside,
        referred_by=cast.khan,
        status=Referral.Status.SUBMITTED,
        first_name="Mia",
        last_name="Clarke",
        date_of_birth=born,
        year_group=expected_year_group(born, today),
        gender="female",
        cared_for="Mum",
        relationship=CaringRole.Relationship.PARENT,
        condition_category=CaringRole.Condition.MENTAL_HEALTH,
        caring_tasks=["domestic", "emotional", "sibling_care"],
        impact_on_school=["punctuality", "tiredness", "homework"],
        pupil_views="Mia says she is fine but is tired most mornings and worries about Mum.",
        pupil_knows_and_agrees=True,
        parent_knows_and_agrees=True,
        parent_name="Dana Clarke",
        parent_relationship="mother",
        safeguarding_concern=False,
        submitted_at=submitted,
        acknowledge_due_at=due_after(submitted, 2),
    )


# What Riverside publishes for its schools: Mr Khan's toolkit opens with these in it.
TOOLKIT = (
    (
        "Spotting a young carer: a checklist for staff",
        "checklist",
        ["staff"],
        ["understand"],
        "Signs to look for in class and at the gate, and what to do next.",
    ),
    (
        "How to refer a pupil to Riverside Young Carers",
        "guidance",
        ["staff"],
        ["inform", "identify"],
        "What the referral form asks, how consent works, and what happens after you send it.",
    ),
    (
        "Who are young carers? Assembly poster",
        "poster",
        ["pupils", "parents"],
        ["understand"],
        "For the hall and the school entrance; the QR code on the slides leads to the self-identification form.",
    ),
)


def _one_page_pdf(title: str) -> bytes:
    """A small, valid one-page PDF with the resource's title: enough to download and open in the demo."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 56 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _toolkit(cast: Cast) -> None:
    """Riverside's manager publishes the resources, and Mr Khan has downloaded the checklist for Northgate."""
    for title, category, audiences, standards, description in TOOLKIT:
        if ToolkitResource.objects.filter(owner=cast.riverside, title=title).exists():
            continue
        resource = toolkit.resource_create(
            actor=cast.tom,
            owner=cast.riverside,
            title=title,
            category=category,
            audiences=audiences,
            standards=standards,
            description=description,
        )
        upload = SimpleUploadedFile(f"{title}.pdf", _one_page_pdf(title), content_type="application/pdf")
        version = toolkit.version_add(actor=cast.tom, resource=resource, upload=upload, notes="First version.")
        if category == "checklist":
            toolkit.download_record(actor=cast.khan, version=version, school=cast.northgate)
