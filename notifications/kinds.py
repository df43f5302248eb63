"""Every kind of notification, declared in one place.

A kind fixes the category (which a person can switch off), whether it is urgent
(passes quiet hours and the daily cap), the full text shown in the app after
unlock, the discreet lock-screen text pushed to young carers, and the deep link.
Texts are format strings over the ``context`` given to ``notify()``; they are
marked for translation (English and Welsh catalogues in ``locale/``).

Lock-screen text for young carers never says "carer", never names a wellbeing
word, a person or a condition: a phone left on a table must not out a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    REMINDER = "reminder", _("Reminders")
    CHANGE = "change", _("Changes to sessions and events")
    BOOKING = "booking", _("Bookings")
    MESSAGE = "message", _("Messages")
    ALERT = "alert", _("Safeguarding alerts")
    REFERRAL_UPDATE = "referral_update", _("Referral updates")
    TRANSITION = "transition", _("Transition to adulthood")
    ACCOUNT = "account", _("Account")


@dataclass(frozen=True)
class Kind:
    name: str
    category: str
    title: str
    body: str
    urgent: bool = False
    deep_link: str = ""
    discreet_title: str = _("You have a new update")  # type: ignore[assignment]
    discreet_body: str = _("Open the app to see it.")  # type: ignore[assignment]
    ttl: timedelta | None = None


class UnknownKind(ValueError):
    pass


KINDS: dict[str, Kind] = {}


def declare(kind: Kind) -> Kind:
    if kind.name in KINDS:
        raise ValueError(f"notification kind {kind.name!r} declared twice")
    if kind.category not in Category.values:
        raise ValueError(f"notification kind {kind.name!r} has unknown category {kind.category!r}")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(f"notification kind {name!r} is not declared in notifications.kinds") from None


# --- Declarations ---------------------------------------------------------------------------
# Keep one block per domain. Add new kinds to the block of your domain.

# Messages
declare(Kind("message.from_worker", Category.MESSAGE, _("Message from {sender_name}"), _("{preview}"), deep_link="app://inbox"))
declare(
    Kind("message.to_worker", Category.MESSAGE, _("Question from {young_person}"), _("{preview}"), deep_link="portal://inbox")
)
