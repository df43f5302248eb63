"""The world the permission matrix runs in: the demo cast, every app's demo data and a few more personas."""

from __future__ import annotations

import importlib
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from accounts.services import invitation_create_for_staff
from api.peer import bookings as peer_bookings
from api.peer.calendar import feed_rotate
from api.peer.models import Booking, Event, PeerGroup
from api.wellbeing.models import Alert, Assignment, CheckIn, Instrument, MoodTag, QuestionnaireResponse, RiskPhrase
from backend.demo import Cast, build_cast
from cases.models import CaringRole, Consent
from notifications.models import Device, Notification
from schools.models import EvidenceItem, Presentation, Referral, ReferralAttachment, SelfIdentification
from schools.services.toolkit import resource_create
from transitions.models import Handover, Transition

from .personas import STAFF_PERSONAS

World = dict[str, Any]


def _staff(first: str, last: str, organisation: Any, role: str) -> User:
    email = f"{first.lower()}@matrix.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "matrix-pass-2026", first_name=first, last_name=last
    )
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role, ended_at=None)
    return user


def _load_app_demos(cast: Cast) -> None:
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.load(cast)


def _people(cast: Cast) -> dict[str, User | None]:
    return {
        "young_carer": cast.sam,
        "other_young_carer": cast.jo,
        "parent_link": None,
        "key_worker": cast.priya,
        "other_worker": _staff("Rosa", "Bell", cast.riverside, Role.PROJECT_WORKER),
        "other_project_worker": cast.dev,
        "manager": cast.tom,
        "school_lead": cast.khan,
        "school_staff": _staff("Nina", "Patel", cast.northgate, Role.SCHOOL_STAFF),
        "other_school_staff": cast.ade,
        "adult_services": cast.grace,
        "commissioner": cast.cleo,
        "anonymous": None,
    }


def _with_totp(people: dict[str, User | None]) -> None:
    for name in STAFF_PERSONAS:
        user = people[name]
        assert user is not None
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())


def _sam_booking(cast: Cast) -> Booking:
    return Booking.objects.filter(case=cast.sam_case).order_by("id").first()  # type: ignore[return-value]


def _awaiting_consent(cast: Cast) -> Booking:
    booking = Booking.objects.filter(status=Booking.Status.AWAITING_CONSENT).order_by("id").first()
    assert booking is not None, "the peer demo has a booking waiting for a parent"
    return booking


def _referral_objects(cast: Cast) -> dict[str, Any]:
    referral = Referral.objects.filter(school=cast.northgate, project=cast.riverside).order_by("id").first()
    assert referral is not None
    attachment = ReferralAttachment(
        referral=referral,
        kind=ReferralAttachment.Kind.OTHER,
        uploaded_by=cast.khan,
        original_name="note.pdf",
        content_type="application/pdf",
        size=15,
    )
    attachment.file.save("note.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    presentation = Presentation.objects.filter(school=cast.northgate).order_by("id").first()
    assert presentation is not None
    self_id = SelfIdentification.objects.create(
        presentation=presentation, school=cast.northgate, project=cast.riverside, first_name="Lee", message="Dad"
    )
    evidence = EvidenceItem.objects.create(
        school=cast.northgate, standard="understand", title="Assembly on caring", created_by=cast.khan
    )
    return {
        "referral": referral,
        "attachment": attachment,
        "presentation": presentation,
        "presentation_token": presentation.token,
        "self_identification": self_id,
        "evidence": evidence,
        "draft_referral": Referral.objects.create(
            school=cast.northgate, referred_by=cast.khan, status=Referral.Status.DRAFT, first_name="Ola"
        ),
        "resource": resource_create(
            actor=cast.tom,
            owner=cast.riverside,
            title="Matrix poster",
            category="poster",
            audiences=["staff"],
            standards=["inform"],
        ),
    }


def _open_event(cast: Cast) -> Event:
    """An event nobody has booked yet, open to Sam and Jo."""
    event = Event.objects.filter(organisation=cast.riverside).order_by("id").first()
    assert event is not None
    event.pk = None
    event.title = "Matrix Picnic"
    event.save()
    return event


def _peer_objects(cast: Cast) -> dict[str, Any]:
    group = PeerGroup.objects.filter(organisation=cast.riverside, memberships__case=cast.sam_case).first()
    assert group is not None
    return {
        "group": group,
        "session": group.sessions.order_by("starts_at").first(),
        "event": Event.objects.filter(organisation=cast.riverside).order_by("id").first(),
        "open_event": _open_event(cast),
        "booking": _sam_booking(cast),
        "consent_token": peer_bookings.consent_token(_awaiting_consent(cast)),
        "feed_token": feed_rotate(actor=cast.sam).rsplit("/", 1)[-1].removesuffix(".ics"),
    }


def _wellbeing_objects(cast: Cast) -> dict[str, Any]:
    checkin = CheckIn.objects.filter(case=cast.sam_case).order_by("id").first()
    alert = Alert.objects.filter(case__organisation=cast.riverside).order_by("id").first()
    return {
        "checkin": checkin,
        "alert": alert,
        "tag": MoodTag.objects.filter(organisation=cast.riverside).order_by("id").first(),
        "risk_phrase": RiskPhrase.objects.create(
            organisation=cast.riverside, phrase="matrix phrase", category=RiskPhrase.Category.values[0]
        ),
        "assignment": Assignment.objects.filter(case=cast.sam_case).order_by("id").first(),
        "risk_category": RiskPhrase.Category.values[0],
        "instrument": Instrument.objects.get(organisation=None, code="home-and-school"),
        "response": QuestionnaireResponse.objects.filter(assignment__case=cast.sam_case).order_by("id").first(),
    }


def _account_objects(cast: Cast, people: dict[str, User | None]) -> dict[str, Any]:
    invitation, token = invitation_create_for_staff(
        actor=cast.tom, organisation=cast.riverside, role=Role.PROJECT_WORKER, email="new.worker@matrix.example"
    )
    membership = Membership.objects.get(user=people["other_worker"], organisation=cast.riverside, ended_at=None)
    device = Device.objects.create(
        user=cast.sam, token="matrix-device-token-sam", platform="android", last_seen_at=timezone.now()
    )
    return {
        "invitation": invitation,
        "invite": token,
        "membership": membership,
        "device": device,
        "notification": Notification.objects.filter(recipient=cast.sam).order_by("id").first(),
        "caring_role": CaringRole.objects.filter(case=cast.sam_case).order_by("id").first(),
        "consent": Consent.objects.filter(case=cast.sam_case).order_by("id").first(),
    }


def _foreign_objects(cast: Cast) -> dict[str, Any]:
    """Objects of another project and a school nobody in the cast works with: ids that exist but are not ours."""
    event = Event.objects.filter(organisation=cast.riverside).order_by("id").first()
    assert event is not None
    event.pk = None
    event.organisation = cast.eastbank
    event.title = "Eastbank Games Night"
    event.save()
    far_school = Organisation.objects.create(name="Farfield School", kind=Organisation.Kind.SCHOOL, urn="199999")
    return {
        "foreign_group": PeerGroup.objects.create(
            organisation=cast.eastbank, name="Eastbank Juniors", min_age=8, max_age=11
        ),
        "foreign_event": event,
        "far_school": far_school,
    }


def _transition_objects(cast: Cast) -> dict[str, Any]:
    transition = Transition.objects.filter(case=cast.alex_case).order_by("id").first()
    return {"transition": transition, "handover": Handover.objects.filter(transition=transition).first()}


def build_world() -> World:
    cast = build_cast()
    people = _people(cast)
    _with_totp(people)
    _load_app_demos(cast)
    world: World = {"cast": cast, "people": people, "now": timezone.now()}
    for name in ("riverside", "eastbank", "northgate", "st_annes", "hillside", "council", "adult_services"):
        world[name] = getattr(cast, name)
    for name in ("sam_case", "jo_case", "alex_case", "kai_case"):
        world[name] = getattr(cast, name)
    world.update(_account_objects(cast, people))
    world.update(_peer_objects(cast))
    world.update(_wellbeing_objects(cast))
    world.update(_referral_objects(cast))
    world.update(_transition_objects(cast))
    world.update(_foreign_objects(cast))
    return world
