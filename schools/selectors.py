"""Reads for the schools module, always scoped by the actor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Levenshtein

from accounts.access import access_for, require_case_data_access
from accounts.models import Organisation
from cases.models import Consent, YoungCarer
from schools.models import (
    EvidenceItem,
    Presentation,
    Referral,
    SchoolProject,
    SelfIdentification,
    Standard,
    StandardProgress,
    ToolkitDownload,
    ToolkitResource,
)

IMPACT_WEEKS = (4, 8, 12)


def schools_visible_to(user: Any) -> QuerySet[Organisation]:
    """School staff: their own school(s). Project staff and commissioners: the register. Others: none."""
    access = access_for(user)
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).select_related(
        "school_profile", "school_profile__young_carers_lead"
    )
    if access.project_ids or access.commissioner_ids:
        return schools
    return schools.filter(pk__in=access.school_ids)


def projects_serving(school: Organisation) -> QuerySet[Organisation]:
    """The projects the school has agreed to work with: where its staff can refer."""
    return Organisation.objects.filter(
        serves_links__school=school,
        serves_links__status=SchoolProject.Status.ACCEPTED,
        kind=Organisation.Kind.PROJECT,
        is_active=True,
    )


def project_links_visible_to(user: Any, school: Organisation) -> QuerySet[SchoolProject]:
    """Every link of the school for its own staff; a project's staff see their own projects' links only."""
    access = access_for(user)
    links = SchoolProject.objects.filter(school=school).select_related("project", "requested_by", "decided_by")
    if school.pk not in access.school_ids:
        links = links.filter(project_id__in=access.project_ids)
    return links.order_by("project__name", "id")


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """Referring school's staff: their school's referrals (drafts included). Project staff: submitted ones to them."""
    access = require_case_data_access(user)
    referrals = Referral.objects.select_related("school", "project", "referred_by", "acknowledged_by", "decided_by")
    if access.is_young_carer or not (access.school_ids or access.project_ids):
        return referrals.none()
    return referrals.filter(
        Q(school_id__in=access.school_ids) | Q(project_id__in=access.project_ids) & ~Q(status=Referral.Status.DRAFT)
    )


def triage_queue(user: Any, project_ids: Iterable[int] | None = None) -> QuerySet[Referral]:
    """Open referrals to the worker's projects, longest waiting first."""
    access = require_case_data_access(user)
    ids = access.project_ids if project_ids is None else access.project_ids & set(project_ids)
    return (
        Referral.objects.select_related("school", "project", "referred_by")
        .filter(project_id__in=ids, status__in=Referral.OPEN)
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class Duplicate:
    kind: str  # "referral", "case" or "self_identification"
    id: int
    first_name: str
    last_name: str
    status: str
    score: float


def _clean(name: str) -> str:
    return utils.default_process(name).replace(" ", "")


def _close(a: str, b: str) -> bool:
    """A typo or two: one edit for names up to 5 letters, two for longer ones."""
    a, b = _clean(a), _clean(b)
    return bool(a and b) and Levenshtein.distance(a, b) <= (1 if min(len(a), len(b)) <= 5 else 2)


def same_pupil_name(first: str, last: str, other_first: str, other_last: str) -> bool:
    """Both names close, in order or swapped (forms filled in surname first)."""
    return (_close(first, other_first) and _close(last, other_last)) or (
        _close(first, other_last) and _close(last, other_first)
    )


def _score(wanted: str, first_name: str, last_name: str) -> float:
    return round(fuzz.token_sort_ratio(wanted, f"{first_name} {last_name}", processor=utils.default_process), 1)


def _self_identifications_like(referral: Referral) -> list[Duplicate]:
    """The pupil's own "I think I'm a young carer" at the same school, to the same project.

    Pupils give no date of birth and often no last name: a close first name is enough when
    the last name is missing, and the year group must agree when both give one.
    """
    rows = SelfIdentification.objects.filter(school_id=referral.school_id, project_id=referral.project_id)
    if referral.self_identification_id:
        rows = rows.exclude(pk=referral.self_identification_id)
    if referral.year_group is not None:
        rows = rows.filter(Q(year_group=referral.year_group) | Q(year_group__isnull=True))
    wanted = f"{referral.first_name} {referral.last_name}"
    return [
        Duplicate("self_identification", row.pk, row.first_name, row.last_name, row.status, _score(wanted, *names))
        for row in rows.only("id", "first_name", "last_name", "status")
        if _pupil_gave_name(referral, names := (row.first_name, row.last_name))
    ]


def _pupil_gave_name(referral: Referral, names: tuple[str, str]) -> bool:
    first, last = names
    if last:
        return same_pupil_name(referral.first_name, referral.last_name, first, last)
    return _close(referral.first_name, first)


def possible_duplicates(referral: Referral) -> list[Duplicate]:
    """Other referrals, records and self-identifications of the same pupil: same school, names within a typo or
    two, and the same date of birth where both have one."""
    if referral.project_id is None:
        return []
    found = _self_identifications_like(referral)
    if referral.date_of_birth is None:
        return sorted(found, key=lambda d: (-d.score, d.kind, d.id))
    others = (
        Referral.objects.filter(
            project_id=referral.project_id, school_id=referral.school_id, date_of_birth=referral.date_of_birth
        )
        .exclude(pk=referral.pk)
        .exclude(status__in=[Referral.Status.DRAFT, Referral.Status.MERGED])
        .only("id", "first_name", "last_name", "status")
    )
    cases = YoungCarer.objects.filter(
        organisation_id=referral.project_id, school_id=referral.school_id, date_of_birth=referral.date_of_birth
    ).only("id", "first_name", "last_name", "status")
    wanted = f"{referral.first_name} {referral.last_name}"
    found += [
        Duplicate(
            kind, row.pk, row.first_name, row.last_name, row.status, _score(wanted, row.first_name, row.last_name)
        )
        for kind, rows in (("case", cases), ("referral", others))
        for row in rows
        if same_pupil_name(referral.first_name, referral.last_name, row.first_name, row.last_name)
    ]
    return sorted(found, key=lambda d: (-d.score, d.kind, d.id))


def presentations_visible_to(user: Any) -> QuerySet[Presentation]:
    """The school's staff and the presenting project's staff."""
    access = access_for(user)
    return Presentation.objects.select_related("school", "project", "presenter", "requested_by").filter(
        Q(school_id__in=access.school_ids) | Q(project_id__in=access.project_ids)
    )


def self_identifications_visible_to(user: Any) -> QuerySet[SelfIdentification]:
    """For the school's staff to follow up and the project to see."""
    access = require_case_data_access(user)
    return SelfIdentification.objects.select_related("school", "presentation", "followed_up_by").filter(
        Q(school_id__in=access.school_ids) | Q(project_id__in=access.project_ids)
    )


# --- Impact of presentations -------------------------------------------------------------------


def _count_between(times: Sequence[datetime], start: datetime, end: datetime) -> int:
    return sum(1 for t in times if start <= t < end)


def presentation_impact(
    presentations: Sequence[Presentation], now: datetime | None = None
) -> dict[int, dict[str, Any]]:
    """Self-identifications and staff referrals from each school in the 4, 8 and 12 weeks after a delivered
    presentation, against the same length of time before it. Two queries whatever the number of presentations."""
    now = now or timezone.now()
    delivered = [p for p in presentations if p.status == Presentation.Status.DELIVERED and p.delivered_at]
    if not delivered:
        return {}
    longest = timedelta(weeks=max(IMPACT_WEEKS))
    school_ids = {p.school_id for p in delivered}
    earliest = min(p.delivered_at for p in delivered if p.delivered_at) - longest
    latest = max(p.delivered_at for p in delivered if p.delivered_at) + longest
    self_ids: dict[int, list[datetime]] = defaultdict(list)
    for school_id, created in SelfIdentification.objects.filter(
        school_id__in=school_ids, created_at__gte=earliest, created_at__lt=latest
    ).values_list("school_id", "created_at"):
        self_ids[school_id].append(created)
    referrals: dict[int, list[datetime]] = defaultdict(list)
    for school_id, submitted in (
        Referral.objects.filter(school_id__in=school_ids, submitted_at__gte=earliest, submitted_at__lt=latest)
        .exclude(status=Referral.Status.MERGED)
        .values_list("school_id", "submitted_at")
    ):
        if submitted is not None:
            referrals[school_id].append(submitted)
    result: dict[int, dict[str, Any]] = {}
    for p in delivered:
        assert p.delivered_at is not None
        windows = []
        for weeks in IMPACT_WEEKS:
            span = timedelta(weeks=weeks)
            before, after = (p.delivered_at - span, p.delivered_at), (p.delivered_at, p.delivered_at + span)
            windows.append(
                {
                    "weeks": weeks,
                    "complete": p.delivered_at + span <= now,
                    "self_identifications_before": _count_between(self_ids[p.school_id], *before),
                    "self_identifications_after": _count_between(self_ids[p.school_id], *after),
                    "referrals_before": _count_between(referrals[p.school_id], *before),
                    "referrals_after": _count_between(referrals[p.school_id], *after),
                }
            )
        result[p.pk] = {"presentation": p.pk, "delivered_at": p.delivered_at, "windows": windows}
    return result


def school_impact(impacts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per school: each window summed over its delivered presentations (windows of close presentations overlap)."""
    totals: dict[int, dict[str, int]] = {
        weeks: {
            "self_identifications_before": 0,
            "self_identifications_after": 0,
            "referrals_before": 0,
            "referrals_after": 0,
        }
        for weeks in IMPACT_WEEKS
    }
    for impact in impacts:
        for window in impact["windows"]:
            for key in totals[window["weeks"]]:
                totals[window["weeks"]][key] += window[key]
    return [{"weeks": weeks, **figures} for weeks, figures in totals.items()]


# --- Dashboard ----------------------------------------------------------------------------------


def referred_pupils(user: Any, school: Organisation) -> list[Referral]:
    """The pupils this school referred, newest first: for its own staff only (others see the figures alone)."""
    if school.pk not in require_case_data_access(user).school_ids:
        return []
    return list(
        Referral.objects.filter(school=school)
        .exclude(status__in=[Referral.Status.DRAFT, Referral.Status.MERGED])
        .select_related("case")
        .order_by("-submitted_at", "-id")[:200]
    )


def sharing_with_school(cases: QuerySet[YoungCarer]) -> QuerySet[YoungCarer]:
    """Cases whose latest decision on sharing with school is a yes still in force (as ``consent_in_force``)."""
    latest = Consent.objects.filter(
        case=OuterRef("pk"), subject=Consent.Subject.SHARE_WITH_SCHOOL, withdrawn_at__isnull=True
    ).order_by("-given_at", "-id")
    return (
        cases.annotate(
            school_share_given=Subquery(latest.values("given")[:1]),
            school_share_until=Subquery(latest.values("valid_until")[:1]),
        )
        .filter(school_share_given=True)
        .filter(Q(school_share_until__isnull=True) | Q(school_share_until__gte=timezone.localdate()))
    )


@dataclass(frozen=True)
class DashboardScope:
    referrals: QuerySet[Referral]
    cases: QuerySet[YoungCarer]
    presentations: QuerySet[Presentation]
    self_identifications: QuerySet[SelfIdentification]


def _dashboard_scope(user: Any, school: Organisation) -> DashboardScope:
    """What the figures count. The school's own staff: all of the school's own activity, and its pupils'
    records only where the young person agreed to share with the school. A project's staff: their own part
    (referrals sent to their projects, their records, their presentations), never another project's."""
    access = require_case_data_access(user)
    scope = DashboardScope(
        Referral.objects.filter(school=school),
        YoungCarer.objects.filter(school=school),
        Presentation.objects.filter(school=school),
        SelfIdentification.objects.filter(school=school),
    )
    if school.pk in access.school_ids:
        return replace(scope, cases=scope.cases.filter(pk__in=sharing_with_school(scope.cases).values("pk")))
    projects = access.project_ids
    return DashboardScope(
        scope.referrals.filter(project_id__in=projects).exclude(status=Referral.Status.DRAFT),
        scope.cases.filter(organisation_id__in=projects),
        scope.presentations.filter(project_id__in=projects),
        scope.self_identifications.filter(project_id__in=projects),
    )


def _supported(referral: Referral, shared: set[int]) -> bool | None:
    """Whether the project supports the referred pupil now: theirs to share, so None unless they agreed."""
    if referral.case is None:
        return False
    if referral.case_id not in shared:
        return None
    return referral.case.status == YoungCarer.Status.ACTIVE


def school_dashboard(user: Any, school: Organisation, referred: Sequence[Referral]) -> dict[str, Any]:
    """The school's figures, with ``referred`` (from :func:`referred_pupils`, whose read the caller records)."""
    scope = _dashboard_scope(user, school)
    by_status = dict(scope.referrals.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    cases = dict(scope.cases.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    case_ids = {r.case_id for r in referred if r.case_id}
    shared = set(sharing_with_school(YoungCarer.objects.filter(pk__in=case_ids)).values_list("pk", flat=True))
    presentations = list(scope.presentations.order_by("-delivered_at", "-id"))
    impacts = presentation_impact(presentations)
    pupils = [
        {
            "referral": r.pk,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "status": r.status,
            "supported": _supported(r, shared),
        }
        for r in referred
    ]
    return {
        "school": school.pk,
        "referrals_by_status": {status: by_status.get(status, 0) for status in Referral.Status.values},
        "young_carers_identified": {
            "with_a_record": sum(cases.values()),
            "supported_now": cases.get(YoungCarer.Status.ACTIVE, 0),
            "self_identified": scope.self_identifications.count(),
        },
        "referred_pupils": pupils,
        "presentations": {
            "by_status": {s: sum(1 for p in presentations if p.status == s) for s in Presentation.Status.values},
            "impact": list(impacts.values()),
            "impact_total": school_impact(impacts.values()),
        },
    }


# --- Toolkit ------------------------------------------------------------------------------------


def toolkit_resources_visible_to(user: Any) -> QuerySet[ToolkitResource]:
    access = access_for(user)
    if not (access.school_ids or access.project_ids or access.commissioner_ids):
        return ToolkitResource.objects.none()
    resources = ToolkitResource.objects.select_related("owner")
    if access.project_ids:
        return resources.filter(Q(is_published=True) | Q(owner_id__in=access.project_ids))
    return resources.filter(is_published=True)


def download_counts(resource_ids: Sequence[int], school_ids: set[int] | None) -> dict[int, int]:
    """Downloads per resource: by the given schools, or by all schools when ``school_ids`` is None."""
    downloads = ToolkitDownload.objects.filter(resource_id__in=resource_ids)
    if school_ids is not None:
        downloads = downloads.filter(school_id__in=school_ids)
    return dict(downloads.values_list("resource_id").annotate(n=Count("id")).values_list("resource_id", "n"))


def downloads_by_school(resource: ToolkitResource) -> list[dict[str, Any]]:
    rows = (
        ToolkitDownload.objects.filter(resource=resource, school__isnull=False)
        .values("school_id", "school__name")
        .annotate(downloads=Count("id"))
        .order_by("-downloads", "school__name")
    )
    return [dict(row) for row in rows]


def standards_progress(school: Organisation) -> list[dict[str, Any]]:
    progress = {p.standard: p for p in StandardProgress.objects.filter(school=school)}
    evidence: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in EvidenceItem.objects.filter(school=school).select_related("created_by"):
        evidence[item.standard].append(item)
    return [
        {
            "standard": standard,
            "label": label,
            "status": progress[standard].status if standard in progress else StandardProgress.Status.NOT_STARTED,
            "notes": progress[standard].notes if standard in progress else "",
            "evidence": evidence[standard],
        }
        for standard, label in Standard.choices
    ]


# --- What an actor may name in a request body (see accounts.selectors) ------------------------------------


def projects_nameable_by(user: Any) -> QuerySet[Organisation]:
    """The actor's own projects and those linked with the actor's schools: who a referral or presentation is for."""
    access = access_for(user)
    return Organisation.objects.filter(
        Q(pk__in=access.project_ids)
        | Q(serves_links__school_id__in=access.school_ids, serves_links__status=SchoolProject.Status.ACCEPTED),
        kind=Organisation.Kind.PROJECT,
        is_active=True,
    ).distinct()


def schools_nameable_by(user: Any) -> QuerySet[Organisation]:
    """The actor's own schools, and the register for project staff (a pupil's school, a presentation's)."""
    return schools_visible_to(user)
