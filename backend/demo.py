"""The demo cast from the product brief: organisations, people, memberships, cases and consents.

``build_cast()`` is idempotent (it finds what exists by natural keys) and is used by
both the ``load_demo`` command and the test suite's persona fixture, so tests run
against the same people the demo shows. Each app may add its own demo data in a
``demo.py`` module with ``def load(cast: Cast) -> None``; ``load_demo`` calls them.
Nobody in it is real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from cases.models import CaringRole, Consent, YoungCarer

DEFAULT_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password


@dataclass
class Cast:
    riverside: Organisation
    eastbank: Organisation
    adult_services: Organisation
    northgate: Organisation
    st_annes: Organisation
    hillside: Organisation
    council: Organisation
    priya: User
    tom: User
    dev: User
    khan: User
    ade: User
    grace: User
    cleo: User
    jo: User
    sam: User
    alex: User
    jo_case: YoungCarer
    sam_case: YoungCarer
    alex_case: YoungCarer
    kai_case: YoungCarer
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _org(name: str, kind: str, urn: str | None = None) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "urn": urn})
    return organisation


def _user(first: str, last: str, password: str, *, known_as: str = "") -> User:
    """Demo logins are ``<the name they are known by>@demo.example``: priya@, sam@, khan@ (Mr Khan)."""
    email = f"{(known_as or first).lower()}@demo.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, first_name=first, last_name=last)
    return user


def _member(user: User, organisation: Organisation, role: str, *, on_duty: bool = False) -> None:
    Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, ended_at=None, defaults={"is_on_duty": on_duty}
    )


def _birthday(today: date, years: int, months: int) -> date:
    return today - relativedelta(years=years, months=months)


def _case(organisation: Organisation, first: str, last: str, born: date, **extra: Any) -> YoungCarer:
    case = YoungCarer.objects.filter(organisation=organisation, first_name=first, last_name=last).first()
    if case is None:
        case = YoungCarer.objects.create(
            organisation=organisation, first_name=first, last_name=last, date_of_birth=born, **extra
        )
    return case


def _caring(case: YoungCarer, cared_for: str, relationship: str, condition: str, tasks: list[str]) -> None:
    if not case.caring_roles.exists():
        CaringRole.objects.create(
            case=case, cared_for=cared_for, relationship=relationship, condition_category=condition, caring_tasks=tasks
        )


def _consent(case: YoungCarer, subject: str, basis: str, by: str, relationship: str, recorder: User) -> None:
    if not case.consents.filter(subject=subject).exists():
        Consent.objects.create(
            case=case,
            subject=subject,
            given=True,
            basis=basis,
            given_by_name=by,
            given_by_relationship=relationship,
            given_at=timezone.now() - timedelta(days=30),
            recorded_by=recorder,
        )


@transaction.atomic
def build_cast(password: str = DEFAULT_PASSWORD) -> Cast:
    today = timezone.localdate()
    riverside = _org("Riverside Young Carers", Organisation.Kind.PROJECT)
    eastbank = _org("Eastbank Young Carers", Organisation.Kind.PROJECT)
    adult_services = _org("Riverside Adult Carers Service", Organisation.Kind.ADULT_SERVICES)
    northgate = _org("Northgate Academy", Organisation.Kind.SCHOOL, "100001")
    st_annes = _org("St Anne's Primary", Organisation.Kind.SCHOOL, "100002")
    hillside = _org("Hillside College", Organisation.Kind.SCHOOL, "100003")
    council = _org("Riverside Borough Council", Organisation.Kind.COMMISSIONER)

    priya = _user("Priya", "Shah", password)
    tom = _user("Tom", "Barker", password)
    dev = _user("Dev", "Okafor", password)
    khan = _user("Imran", "Khan", password, known_as="Khan")
    ade = _user("Funmi", "Ade", password, known_as="Ade")
    grace = _user("Grace", "Mensah", password)
    cleo = _user("Cleo", "Hart", password)
    jo = _user("Jo", "Taylor", password)
    sam = _user("Sam", "Green", password)
    alex = _user("Alex", "Morgan", password)

    _member(priya, riverside, Role.PROJECT_WORKER, on_duty=True)
    _member(tom, riverside, Role.PROJECT_MANAGER)
    _member(dev, eastbank, Role.PROJECT_WORKER, on_duty=True)
    _member(khan, northgate, Role.SCHOOL_LEAD)
    _member(ade, st_annes, Role.SCHOOL_STAFF)
    _member(grace, adult_services, Role.ADULT_WORKER)
    _member(cleo, council, Role.COMMISSIONER)

    active = YoungCarer.Status.ACTIVE
    jo_case = _case(
        riverside, "Jo", "Taylor", _birthday(today, 10, 4), school=st_annes, key_worker=priya, status=active, account=jo
    )
    sam_case = _case(
        riverside,
        "Sam",
        "Green",
        _birthday(today, 15, 2),
        school=northgate,
        key_worker=priya,
        status=active,
        account=sam,
    )
    alex_case = _case(
        riverside,
        "Alex",
        "Morgan",
        _birthday(today, 17, 6),
        school=hillside,
        key_worker=priya,
        status=active,
        account=alex,
        contingency_plan="If Dad goes into hospital, Alex stays with Aunt Carol (07700 900123) and tells Priya.",
    )
    kai_case = _case(eastbank, "Kai", "Lewis", _birthday(today, 12, 1), key_worker=dev, status=active)

    _caring(
        jo_case,
        "Mum",
        CaringRole.Relationship.PARENT,
        CaringRole.Condition.PHYSICAL_ILLNESS,
        ["domestic", "emotional", "personal_care"],
    )
    _caring(
        sam_case,
        "Ben (brother)",
        CaringRole.Relationship.SIBLING,
        CaringRole.Condition.AUTISM,
        ["sibling_care", "emotional"],
    )
    _caring(
        alex_case,
        "Dad",
        CaringRole.Relationship.PARENT,
        CaringRole.Condition.MENTAL_HEALTH,
        ["emotional", "household_management", "medication"],
    )
    _caring(kai_case, "Gran", CaringRole.Relationship.GRANDPARENT, CaringRole.Condition.DEMENTIA, ["domestic"])

    _consent(jo_case, Consent.Subject.SUPPORT, Consent.Basis.PARENT, "Karen Taylor", "mother", priya)
    _consent(sam_case, Consent.Subject.SUPPORT, Consent.Basis.GILLICK, "Sam Green", "self", priya)
    _consent(sam_case, Consent.Subject.APP_USE, Consent.Basis.PARENT, "Lisa Green", "mother", priya)
    _consent(alex_case, Consent.Subject.SUPPORT, Consent.Basis.OWN, "Alex Morgan", "self", priya)
    _consent(alex_case, Consent.Subject.SHARE_WITH_ADULT_SERVICES, Consent.Basis.OWN, "Alex Morgan", "self", priya)
    _consent(kai_case, Consent.Subject.SUPPORT, Consent.Basis.PARENT, "Rita Lewis", "grandmother", dev)

    logins = [
        ("Priya", "key worker, Riverside Young Carers", priya.email),
        ("Tom", "manager, Riverside Young Carers", tom.email),
        ("Dev", "worker, Eastbank Young Carers", dev.email),
        ("Mr Khan", "young carers lead, Northgate Academy", khan.email),
        ("Ms Ade", "teacher, St Anne's Primary", ade.email),
        ("Grace", "adult services worker", grace.email),
        ("Cleo", "commissioner, Riverside Borough Council", cleo.email),
        ("Jo", "young carer, 10", jo.email),
        ("Sam", "young carer, 15", sam.email),
        ("Alex", "young carer, 17 and a half", alex.email),
    ]
    return Cast(
        riverside,
        eastbank,
        adult_services,
        northgate,
        st_annes,
        hillside,
        council,
        priya,
        tom,
        dev,
        khan,
        ade,
        grace,
        cleo,
        jo,
        sam,
        alex,
        jo_case,
        sam_case,
        alex_case,
        kai_case,
        logins,
    )
