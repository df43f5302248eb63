"""Every audited read declared in the URL conf writes its entry; a refused read writes none; no read is forgotten."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import Invitation
from audit.models import AuditEntry
from backend.demo import Cast
from notifications.models import Notification

pytestmark = pytest.mark.django_db

# Models holding a person's case data: a staff GET over one of them must declare an audited read.
PERSONAL_DATA_MODELS = {
    "cases.youngcarer",
    "cases.caringrole",
    "cases.consent",
    "schools.referral",
    "schools.referralattachment",
    "schools.selfidentification",
    "transitions.transition",
    "transitions.handover",
    "wellbeing.checkin",
    "wellbeing.alert",
    "wellbeing.assignment",
    "wellbeing.questionnaireresponse",
    "peer.groupmembership",
    "peer.attendance",
    "peer.booking",
    "accounts.invitation",
    "notifications.notification",
    "audit.auditentry",
}

# GET handlers over those models that write no entry, and why.
NOT_AUDITED = {
    ("TransitionViewSet", "figures"): "counts only, no person",
    ("TransitionViewSet", "mine"): "the young person's own record",
    ("NotificationViewSet", "unread_count"): "a number",
    ("SelfIdentificationViewSet", "form"): "the anonymous form a pupil fills in; reads nobody",
}


@dataclass(frozen=True)
class Route:
    view: str
    handler: str
    event: str | None
    model: str | None


def _patterns(resolver: URLResolver) -> Iterator[URLPattern]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _patterns(item)
        else:
            yield item


def _model_of(cls: type) -> str | None:
    serializer = getattr(cls, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        queryset = getattr(cls, "queryset", None)
        model = getattr(queryset, "model", None)
    return model._meta.label_lower if model is not None else None


def get_routes() -> list[Route]:
    """Every GET handler of the API, with the audited read it declares (if any)."""
    found: dict[tuple[str, str], Route] = {}
    for pattern in _patterns(get_resolver()):
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not hasattr(cls, "audited_read"):
            continue
        actions = getattr(pattern.callback, "actions", None)
        handler = actions.get("get") if actions else ("get" if hasattr(cls, "get") else None)
        if handler is None:
            continue
        view = cls()
        view.action = handler if actions else None
        found[(cls.__name__, handler)] = Route(cls.__name__, handler, view.audited_event(), _model_of(cls))
    return sorted(found.values(), key=lambda r: (r.view, r.handler))


# --- the world the reads run against -----------------------------------------------------------


@pytest.fixture
def world(cast: Cast, settings: Any, tmp_path: Any) -> Cast:
    """The demo cast with every app's demo data, plus the records no demo makes."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        if config.name != "backend":
            module.load(cast)
    _extras(cast)
    return cast


def _extras(cast: Cast) -> None:
    from schools.models import Presentation, Referral, ReferralAttachment, SelfIdentification

    referral = Referral.objects.get(first_name="Mia")
    attachment = ReferralAttachment(
        referral=referral, original_name="consent.pdf", content_type="application/pdf", size=4, uploaded_by=cast.khan
    )
    attachment.file.save("consent.pdf", ContentFile(b"%PDF"), save=True)
    presentation = Presentation.objects.filter(project=cast.riverside).first()
    assert presentation is not None
    SelfIdentification.objects.create(
        presentation=presentation, school=presentation.school, project=cast.riverside, first_name="Lily"
    )
    Invitation.objects.create(
        kind=Invitation.Kind.YOUNG_CARER,
        organisation=cast.riverside,
        case=cast.jo_case,
        token_hash="audited-reads-test",
        created_by=cast.tom,
        expires_at=timezone.now() + timedelta(days=7),
    )


def _first(model_path: str, **filters: Any) -> models.Model:
    model = apps.get_model(model_path)
    found = model._default_manager.filter(**filters).order_by("pk").first()
    assert found is not None, f"no {model_path} in the demo world matching {filters}"
    return found


def _referral() -> int:
    return _first("schools.Referral", first_name="Mia").pk


def _handover() -> int:
    return _first("transitions.Handover").pk


# (view, handler) -> (the allowed persona, the URL to read in the demo world)
Url = Callable[[Cast], str]
READS: dict[tuple[str, str], tuple[str, Url]] = {
    ("YoungCarerViewSet", "list"): ("priya", lambda c: "/api/v1/young-carers/"),
    ("YoungCarerViewSet", "retrieve"): ("priya", lambda c: f"/api/v1/young-carers/{c.sam_case.pk}/"),
    ("YoungCarerViewSet", "caring_roles"): ("priya", lambda c: f"/api/v1/young-carers/{c.sam_case.pk}/caring-roles/"),
    ("YoungCarerViewSet", "consents"): ("priya", lambda c: f"/api/v1/young-carers/{c.sam_case.pk}/consents/"),
    ("TransitionViewSet", "list"): ("priya", lambda c: "/api/v1/transitions/"),
    ("TransitionViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/transitions/{_first('transitions.Transition', case=c.alex_case).pk}/",
    ),
    ("TransitionViewSet", "at_risk"): ("priya", lambda c: "/api/v1/transitions/at-risk/"),
    ("HandoverViewSet", "list"): ("priya", lambda c: "/api/v1/handovers/"),
    ("HandoverViewSet", "retrieve"): ("priya", lambda c: f"/api/v1/handovers/{_handover()}/"),
    ("HandoverPackView", "get"): ("grace", lambda c: f"/api/v1/handovers/{_handover()}/pack/"),
    ("HandoverPackPdfView", "get"): ("grace", lambda c: f"/api/v1/handovers/{_handover()}/pack.pdf"),
    ("CheckInViewSet", "list"): ("priya", lambda c: f"/api/v1/checkins/?case={c.sam_case.pk}"),
    ("CheckInViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/checkins/{_first('wellbeing.CheckIn', case=c.sam_case).pk}/",
    ),
    ("CheckInViewSet", "trends"): ("priya", lambda c: f"/api/v1/checkins/trends/?case={c.sam_case.pk}"),
    ("CheckInViewSet", "caseload"): ("priya", lambda c: "/api/v1/checkins/caseload/"),
    ("AlertViewSet", "list"): ("priya", lambda c: "/api/v1/alerts/"),
    ("AlertViewSet", "retrieve"): ("priya", lambda c: f"/api/v1/alerts/{_first('wellbeing.Alert').pk}/"),
    ("AssignmentViewSet", "list"): ("priya", lambda c: "/api/v1/questionnaires/assignments/"),
    ("AssignmentViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/questionnaires/assignments/{_first('wellbeing.Assignment').pk}/",
    ),
    ("ResponseViewSet", "list"): ("priya", lambda c: "/api/v1/questionnaires/responses/"),
    ("ResponseViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/questionnaires/responses/{_first('wellbeing.QuestionnaireResponse').pk}/",
    ),
    ("ResponseViewSet", "scores"): (
        "priya",
        lambda c: f"/api/v1/questionnaires/responses/scores/?case={c.sam_case.pk}",
    ),
    ("GroupViewSet", "members"): (
        "priya",
        lambda c: f"/api/v1/groups/{_first('peer.GroupMembership').group_id}/members/",  # type: ignore[attr-defined]
    ),
    ("SessionViewSet", "register"): (
        "priya",
        lambda c: f"/api/v1/sessions/{_first('peer.Attendance').session_id}/register/",  # type: ignore[attr-defined]
    ),
    ("AttendanceViewSet", "list"): ("priya", lambda c: "/api/v1/attendance/"),
    ("EventViewSet", "bookings"): (
        "priya",
        lambda c: f"/api/v1/events/{_first('peer.Booking').event_id}/bookings/",  # type: ignore[attr-defined]
    ),
    ("BookingViewSet", "list"): ("priya", lambda c: "/api/v1/bookings/"),
    ("BookingViewSet", "retrieve"): ("priya", lambda c: f"/api/v1/bookings/{_first('peer.Booking').pk}/"),
    ("SchoolViewSet", "dashboard"): ("khan", lambda c: f"/api/v1/schools/{c.northgate.pk}/dashboard/"),
    ("ReferralViewSet", "list"): ("priya", lambda c: "/api/v1/referrals/"),
    ("ReferralViewSet", "retrieve"): ("priya", lambda c: f"/api/v1/referrals/{_referral()}/"),
    ("ReferralViewSet", "attachments"): ("priya", lambda c: f"/api/v1/referrals/{_referral()}/attachments/"),
    ("ReferralViewSet", "download_attachment"): (
        "priya",
        lambda c: f"/api/v1/referrals/{_referral()}/attachments/{_first('schools.ReferralAttachment').pk}/download/",
    ),
    ("ReferralViewSet", "queue"): ("priya", lambda c: "/api/v1/referrals/queue/"),
    ("ReferralViewSet", "duplicates"): ("priya", lambda c: f"/api/v1/referrals/{_referral()}/duplicates/"),
    ("SelfIdentificationViewSet", "list"): ("priya", lambda c: "/api/v1/self-identifications/"),
    ("SelfIdentificationViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/self-identifications/{_first('schools.SelfIdentification').pk}/",
    ),
    ("InvitationViewSet", "list"): ("tom", lambda c: "/api/v1/invitations/"),
    ("InvitationViewSet", "retrieve"): (
        "tom",
        lambda c: f"/api/v1/invitations/{_first('accounts.Invitation', token_hash='audited-reads-test').pk}/",
    ),
    ("NotificationViewSet", "list"): ("priya", lambda c: "/api/v1/notifications/"),
    ("NotificationViewSet", "retrieve"): (
        "priya",
        lambda c: f"/api/v1/notifications/{Notification.objects.filter(recipient=c.priya).first().pk}/",  # type: ignore[union-attr]
    ),
    ("AuditViewSet", "list"): ("tom", lambda c: "/api/v1/audit/"),
}

# Reads of records that belong to no case (yet): a submitted referral, a pupil's note, an inbox, the trail.
NO_CASE = {"NotificationViewSet", "ReferralViewSet", "SelfIdentificationViewSet", "SchoolViewSet", "AuditViewSet"}

DECLARED = [route for route in get_routes() if route.event]


def test_every_declared_read_has_a_row_here_and_every_row_is_declared() -> None:
    assert {(r.view, r.handler) for r in DECLARED} == set(READS)


def test_every_staff_read_of_personal_data_declares_an_audited_read() -> None:
    forgotten = [
        (r.view, r.handler)
        for r in get_routes()
        if r.model in PERSONAL_DATA_MODELS and not r.event and (r.view, r.handler) not in NOT_AUDITED
    ]
    assert forgotten == []


def test_every_read_left_unaudited_is_a_real_route_without_a_declaration() -> None:
    undeclared = {(r.view, r.handler) for r in get_routes() if not r.event}
    assert set(NOT_AUDITED) <= undeclared


def _entries(event: str, actor: Any, after: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=after, event=event, actor=actor, action=AuditEntry.Action.ACCESS))


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("route", DECLARED, ids=lambda r: f"{r.view}.{r.handler}")
def test_a_declared_read_writes_its_entry_for_the_reader_and_none_for_another_project(
    route: Route, world: Cast, client_for: Any
) -> None:
    persona, url = READS[(route.view, route.handler)]
    target = url(world)
    _the_other_project_reads_nothing_of_ours(route, target, world, client_for)
    user = getattr(world, persona)
    before = _last_id()
    response = client_for(user).get(target)
    assert response.status_code == 200, (target, response.content[:300])
    entries = _entries(route.event or "", user, before)
    assert entries, f"{target} wrote no {route.event} entry"
    if route.view != "NotificationViewSet":  # inbox items belong to a person, not an organisation
        assert all(e.organisation_id == world.riverside.pk for e in entries), [e.organisation_id for e in entries]
    if route.view not in NO_CASE:
        assert all(e.case_id for e in entries), [e.case_id for e in entries]


def _the_other_project_reads_nothing_of_ours(route: Route, target: str, world: Cast, client_for: Any) -> None:
    """Eastbank's worker is refused (404) or, for a list, sees only Eastbank's: no entry names Riverside's records."""
    before = _last_id()
    response = client_for(world.dev).get(target)
    names_a_record = any(ch.isdigit() for ch in target.removeprefix("/api/v1/"))
    assert response.status_code == (404 if names_a_record else 200), (target, response.status_code)
    leaked = [
        e
        for e in _entries(route.event or "", world.dev, before)
        if e.organisation_id == world.riverside.pk or e.case_id in (world.sam_case.pk, world.alex_case.pk)
    ]
    assert leaked == []
