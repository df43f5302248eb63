"""The toolkit: versioned resources for schools, downloads, and progress on the five standards."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from accounts.access import access_for
from accounts.models import Organisation, User
from core.errors import NotFound, ServiceError
from schools.files import OFFICE_TYPES, checked_upload, safe_name
from schools.models import (
    EvidenceItem,
    Referral,
    SelfIdentification,
    Standard,
    StandardProgress,
    ToolkitDownload,
    ToolkitResource,
    ToolkitVersion,
)

RESOURCE_TYPES = {"application/pdf", "image/png", "image/jpeg", *OFFICE_TYPES.values()}
RESOURCE_MAX_BYTES = 25 * 1024 * 1024


def _check_codes(values: list[str], allowed: list[str], field: str) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ServiceError(f"Unknown values: {', '.join(unknown)}.", field=field)
    if not values:
        raise ServiceError("Choose at least one.", field=field)
    return sorted(set(values))


def _check_owner(actor: User, owner: Organisation) -> None:
    if owner.pk not in access_for(actor).managed_project_ids:
        raise NotFound()


@transaction.atomic
def resource_create(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    category: str,
    audiences: list[str],
    standards: list[str],
    description: str = "",
    is_published: bool = True,
) -> ToolkitResource:
    """Project managers publish resources for the schools they serve (and any school using the toolkit)."""
    _check_owner(actor, owner)
    return ToolkitResource.objects.create(
        owner=owner,
        title=title,
        category=category,
        description=description,
        is_published=is_published,
        audiences=_check_codes(audiences, ToolkitResource.Audience.values, "audiences"),
        standards=_check_codes(standards, Standard.values, "standards"),
    )


@transaction.atomic
def resource_update(*, actor: User, resource: ToolkitResource, **data: object) -> ToolkitResource:
    _check_owner(actor, resource.owner)
    if "audiences" in data:
        data["audiences"] = _check_codes(list(data["audiences"]), ToolkitResource.Audience.values, "audiences")  # type: ignore[call-overload]
    if "standards" in data:
        data["standards"] = _check_codes(list(data["standards"]), Standard.values, "standards")  # type: ignore[call-overload]
    for name, value in data.items():
        setattr(resource, name, value)
    resource.save()
    return resource


@transaction.atomic
def version_add(*, actor: User, resource: ToolkitResource, upload: UploadedFile, notes: str = "") -> ToolkitVersion:
    _check_owner(actor, resource.owner)
    content_type = checked_upload(upload, allowed=RESOURCE_TYPES, max_bytes=RESOURCE_MAX_BYTES)
    ToolkitResource.objects.select_for_update().filter(pk=resource.pk).first()
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ToolkitVersion(
        resource=resource,
        number=number,
        original_name=safe_name(upload.name, content_type),
        content_type=content_type,
        size=upload.size or 0,
        notes=notes,
        created_by=actor,
    )
    version.file.save("upload", upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    return version


@transaction.atomic
def download_record(*, actor: User, version: ToolkitVersion, school: Organisation | None) -> ToolkitDownload:
    """Counted per school: school staff download for their school; project staff for none."""
    if school is not None and school.pk not in access_for(actor).school_ids:
        raise NotFound()
    return ToolkitDownload.objects.create(version=version, resource_id=version.resource_id, school=school, user=actor)


def _check_school_staff(actor: User, school: Organisation) -> None:
    if school.pk not in access_for(actor).school_ids:
        raise NotFound()


@transaction.atomic
def progress_set(*, actor: User, school: Organisation, standard: str, status: str, notes: str = "") -> StandardProgress:
    _check_school_staff(actor, school)
    if standard not in Standard.values:
        raise NotFound()
    if status not in StandardProgress.Status.values:
        raise ServiceError("Unknown status.", field="status")
    _check_anonymous(school, notes=notes)
    progress, _ = StandardProgress.objects.update_or_create(
        school=school, standard=standard, defaults={"status": status, "notes": notes, "updated_by": actor}
    )
    return progress


def _names_known_to(school: Organisation) -> set[str]:
    names: set[str] = set()
    for first, last in Referral.objects.filter(school=school).values_list("first_name", "last_name"):
        names.update(_name_forms(first, last))
    for first, last in SelfIdentification.objects.filter(school=school).values_list("first_name", "last_name"):
        names.update(_name_forms(first, last))
    return names


def _name_forms(first: str, last: str) -> set[str]:
    forms = {f"{first} {last}".strip().lower()} if first and last else set()
    if len(first.strip()) >= 2:
        forms.add(first.strip().lower())
    return forms


def _check_anonymous(school: Organisation, **fields: str) -> None:
    """Award evidence is anonymised: refuse text naming a pupil the school referred (or who self-identified there)."""
    texts = {field: text.lower() for field, text in fields.items() if text.strip()}
    if not texts:
        return
    names = _names_known_to(school)
    for field, lowered in texts.items():
        for name in names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered):
                raise ServiceError(
                    "Evidence must be anonymised: it names a pupil your school has referred. Remove names and try again.",
                    field=field,
                    code="not_anonymised",
                )


@transaction.atomic
def evidence_add(*, actor: User, school: Organisation, standard: str, title: str, text: str = "") -> EvidenceItem:
    _check_school_staff(actor, school)
    if standard not in Standard.values:
        raise ServiceError("Unknown standard.", field="standard")
    _check_anonymous(school, title=title, text=text)
    return EvidenceItem.objects.create(school=school, standard=standard, title=title, text=text, created_by=actor)


@transaction.atomic
def evidence_remove(*, actor: User, item: EvidenceItem) -> None:
    _check_school_staff(actor, item.school)
    item.delete()
