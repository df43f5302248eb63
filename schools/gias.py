"""Import and update schools from the DfE "Get Information about Schools" establishments CSV.

The real extract is Windows-1252 encoded; exports re-saved by hand are often UTF-8
(with or without a byte-order mark). Rows are matched by URN, so running the same
file twice changes nothing. Broken rows are reported with their line number and skipped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from schools.models import Phase, SchoolProfile

COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "la": "LA (name)",
    "postcode": "Postcode",
    "status": "EstablishmentStatus (name)",
}
REQUIRED = ("urn", "name")
URN_RE = re.compile(r"^\d{6,7}$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
PHASES = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "middle deemed secondary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "16 plus": Phase.SIXTEEN_PLUS,
    "all-through": Phase.ALL_THROUGH,
    "not applicable": Phase.NOT_APPLICABLE,
}
BATCH = 1000


class ImportFileError(Exception):
    """The file as a whole cannot be read (no header, missing columns)."""


@dataclass
class Row:
    line: int
    urn: str
    name: str
    establishment_type: str
    phase: str
    local_authority: str
    postcode: str
    establishment_status: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) if it is valid UTF-8, else Windows-1252 (what GIAS ships)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def phase_for(phase_name: str, type_name: str) -> str:
    if "special" in type_name.lower():
        return Phase.SPECIAL
    return PHASES.get(phase_name.strip().lower(), Phase.NOT_APPLICABLE)


def _clean_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value.upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def parse(text: str) -> Iterator[Row | tuple[int, str]]:
    """Yields a Row for each good line, or (line number, reason) for each bad one. Line 1 is the header."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = set(reader.fieldnames or [])
    missing = [column for column in COLUMNS.values() if column not in headers]
    if missing:
        raise ImportFileError(f"The file is missing these columns: {', '.join(missing)}.")
    seen: set[str] = set()
    for record in reader:
        line = reader.line_num
        yield _row(line, record, seen)


def _row(line: int, record: dict[str, Any], seen: set[str]) -> Row | tuple[int, str]:
    if None in record:
        return line, "the row has more fields than the header"
    values = {key: (record.get(column) or "").strip() for key, column in COLUMNS.items()}
    for key in REQUIRED:
        if not values[key]:
            return line, f"{COLUMNS[key]} is empty"
    if not URN_RE.match(values["urn"]):
        return line, f"URN {values['urn'][:20]!r} is not 6 or 7 digits"
    if values["urn"] in seen:
        return line, f"URN {values['urn']} appears more than once in the file"
    if len(values["name"]) > 200:
        return line, "EstablishmentName is longer than 200 characters"
    postcode = _clean_postcode(values["postcode"]) if values["postcode"] else ""
    if postcode and not POSTCODE_RE.match(postcode):
        return line, f"Postcode {values['postcode'][:20]!r} is not a UK postcode"
    seen.add(values["urn"])
    return Row(
        line=line,
        urn=values["urn"],
        name=values["name"],
        establishment_type=values["type"][:100],
        phase=phase_for(values["phase"], values["type"]),
        local_authority=values["la"][:100],
        postcode=postcode,
        establishment_status=values["status"][:60],
    )


PROFILE_FIELDS = ("phase", "local_authority", "postcode", "establishment_type", "establishment_status")


def _apply_batch(rows: list[Row], result: ImportResult) -> None:
    now = timezone.now()
    existing = {
        org.urn: org
        for org in Organisation.objects.filter(urn__in=[row.urn for row in rows]).select_related("school_profile")
    }
    new_orgs = [
        Organisation(name=row.name, kind=Organisation.Kind.SCHOOL, urn=row.urn)
        for row in rows
        if row.urn not in existing
    ]
    if new_orgs:
        Organisation.objects.bulk_create(new_orgs)
        # PostgreSQL returns ids from bulk_create; SQLite (3.35+) does too, but look up by URN to be sure.
        for org in Organisation.objects.filter(urn__in=[o.urn for o in new_orgs]):
            existing[org.urn] = org
    new_profiles, changed_profiles, renamed = [], [], []
    created_urns = {o.urn for o in new_orgs}
    for row in rows:
        org = existing[row.urn]
        values = {name: getattr(row, name) for name in PROFILE_FIELDS}
        profile = getattr(org, "school_profile", None) if row.urn not in created_urns else None
        if profile is None:
            new_profiles.append(SchoolProfile(organisation=org, imported_at=now, **values))
            if row.urn in created_urns:
                result.created += 1
            else:
                result.updated += 1
            continue
        changed = org.name != row.name or any(getattr(profile, k) != v for k, v in values.items())
        if org.name != row.name:
            org.name = row.name
            renamed.append(org)
        if changed:
            for key, value in values.items():
                setattr(profile, key, value)
            profile.imported_at = now
            changed_profiles.append(profile)
            result.updated += 1
        else:
            result.unchanged += 1
    SchoolProfile.objects.bulk_create(new_profiles)
    SchoolProfile.objects.bulk_update(changed_profiles, [*PROFILE_FIELDS, "imported_at"])
    Organisation.objects.bulk_update(renamed, ["name"])


def import_rows(parsed: Iterable[Row | tuple[int, str]], progress: Callable[[int], Any] | None = None) -> ImportResult:
    """Apply parsed rows in batches, each batch in its own transaction. A URN held by a non-school is a bad row."""
    result = ImportResult()
    batch: list[Row] = []

    def flush() -> None:
        good = _reject_non_schools(batch, result)
        with transaction.atomic():
            _apply_batch(good, result)
        if progress:
            progress(len(batch))
        batch.clear()

    for item in parsed:
        if isinstance(item, Row):
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        else:
            result.errors.append(item)
            if progress:
                progress(1)
    if batch:
        flush()
    result.errors.sort()
    return result


def _reject_non_schools(rows: list[Row], result: ImportResult) -> list[Row]:
    # The URN column is unique across organisations, and only schools may hold one, so this is belt and braces.
    clash = set(
        Organisation.objects.filter(urn__in=[r.urn for r in rows])
        .exclude(kind=Organisation.Kind.SCHOOL)
        .values_list("urn", flat=True)
    )
    for row in rows:
        if row.urn in clash:
            result.errors.append((row.line, f"URN {row.urn} belongs to an organisation that is not a school"))
    return [row for row in rows if row.urn not in clash]
