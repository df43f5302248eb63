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
from django_stubs_ext import StrOrPromise


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
    """``ttl``: how long a push stays worth sending when ``notify()`` is given no ``expires_at``."""

    name: str
    category: str
    title: StrOrPromise
    body: StrOrPromise
    urgent: bool = False
    deep_link: str = ""
    discreet_title: StrOrPromise = _("You have a new update")
    discreet_body: StrOrPromise = _("Open the app to see it.")
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
declare(
    Kind(
        "message.from_worker",
        Category.MESSAGE,
        _("Message from {sender_name}"),
        _("{preview}"),
        deep_link="app://inbox",
    )
)
declare(
    Kind(
        "message.to_worker",
        Category.MESSAGE,
        _("Question from {young_person}"),
        _("{preview}"),
        deep_link="portal://inbox",
    )
)

# Peer groups, sessions, events and bookings
_PEER_TITLE = _("Reminder")
_PEER_CHANGE = _("Something in your plans has changed")
_PEER_OPEN = _("Open the app to see the details.")
for _peer_kind in (
    Kind(
        "session.reminder",
        Category.REMINDER,
        _("{group} starts {when}"),
        _("See you at {venue}."),
        deep_link="app://sessions/{session_id}",
        discreet_title=_PEER_TITLE,
        discreet_body=_("You have something coming up."),
    ),
    Kind(
        "session.moved",
        Category.CHANGE,
        _("{group} has moved"),
        _("It is now {when} (was {was}). {note}"),
        deep_link="app://sessions/{session_id}",
        discreet_title=_PEER_CHANGE,
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "session.cancelled",
        Category.CHANGE,
        _("{group} on {when} is cancelled"),
        _("{note}"),
        deep_link="app://sessions/{session_id}",
        discreet_title=_PEER_CHANGE,
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "session.cancelled_short_notice",
        Category.CHANGE,
        _("{group} today at {when} is cancelled"),
        _("{note}"),
        urgent=True,
        deep_link="app://sessions/{session_id}",
        discreet_title=_PEER_CHANGE,
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "group.joined",
        Category.CHANGE,
        _("You are in {group}"),
        _("Your first session is in the app."),
        deep_link="app://groups/{group_id}",
        discreet_title=_("You have a new update"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "group.join_declined",
        Category.CHANGE,
        _("About {group}"),
        _("Your worker will talk to you about other groups."),
        deep_link="app://groups",
        discreet_title=_("You have a new update"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "group.join_requested",
        Category.BOOKING,
        _("{young_person} asked to join {group}"),
        _("Approve or decline the request."),
        deep_link="portal://groups/{group_id}/members",
    ),
    Kind(
        "event.reminder",
        Category.REMINDER,
        _("{event} starts {when}"),
        _("Remember: {what_to_bring}"),
        deep_link="app://events/{event_id}",
        discreet_title=_PEER_TITLE,
        discreet_body=_("You have something coming up."),
    ),
    Kind(
        "event.moved",
        Category.CHANGE,
        _("{event} has moved"),
        _("It is now {when} (was {was}). {note}"),
        deep_link="app://events/{event_id}",
        discreet_title=_PEER_CHANGE,
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "event.cancelled",
        Category.CHANGE,
        _("{event} is cancelled"),
        _("{note}"),
        deep_link="app://events/{event_id}",
        discreet_title=_PEER_CHANGE,
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.confirmed",
        Category.BOOKING,
        _("You have a place on {event}"),
        _("It starts {when}."),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("Your booking is confirmed"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.waitlisted",
        Category.BOOKING,
        _("{event} is full"),
        _("You are number {position} on the waiting list."),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("About your booking"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.offered",
        Category.BOOKING,
        _("A place on {event} is yours if you want it"),
        _("Confirm by {respond_by} or it goes to the next person."),
        urgent=True,
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("A place is free for you"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.lapsed",
        Category.BOOKING,
        _("Your place on {event} has passed on"),
        _("It was not confirmed in time."),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("About your booking"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.awaiting_consent",
        Category.BOOKING,
        _("Your place on {event} is held"),
        _("We have asked your parent or carer to say yes by {respond_by}."),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("About your booking"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.consent_refused",
        Category.BOOKING,
        _("No place on {event} this time"),
        _("Your worker can talk it through with you."),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("About your booking"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.cancelled",
        Category.BOOKING,
        _("Your place on {event} is cancelled"),
        _("{note}"),
        deep_link="app://bookings/{booking_id}",
        discreet_title=_("About your booking"),
        discreet_body=_PEER_OPEN,
    ),
    Kind(
        "booking.consent_answered",
        Category.BOOKING,
        _("Consent for {young_person}: {answer}"),
        _("{event}"),
        deep_link="portal://bookings/{booking_id}",
    ),
):
    declare(_peer_kind)

# Schools: referrals, self-identification and presentations (staff only; initials, never a pupil's name)
for _schools_kind in (
    Kind(
        "referral.received",
        Category.REFERRAL_UPDATE,
        _("New referral {reference} from {school_name}"),
        _("Pupil {initials}. Acknowledge by {due}."),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.acknowledged",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} acknowledged"),
        _("{message}"),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.accepted",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} accepted"),
        _("{message}"),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.signposted",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} signposted to {to}"),
        _("{message}"),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.declined",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} declined"),
        _("{message}"),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.merged",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} joined to an earlier one"),
        _("{message}"),
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.acknowledge_overdue",
        Category.REFERRAL_UPDATE,
        _("Referral {reference} is waiting"),
        _("It was due to be acknowledged by now. Pupil {initials}, {school_name}."),
        urgent=False,
        deep_link="portal://referrals/{referral_id}",
    ),
    Kind(
        "referral.self_identified",
        Category.REFERRAL_UPDATE,
        _("A pupil at {school_name} self-identified"),
        _("Follow up with them soon."),
        deep_link="portal://self-identifications/{self_identification_id}",
    ),
    Kind(
        "presentation.requested",
        Category.REFERRAL_UPDATE,
        _("{school_name} asked for a presentation"),
        _("Schedule it from the presentations list."),
        deep_link="portal://presentations/{presentation_id}",
    ),
    Kind(
        "presentation.scheduled",
        Category.REFERRAL_UPDATE,
        _("Presentation at {school_name} booked"),
        _("{when}"),
        deep_link="portal://presentations/{presentation_id}",
    ),
    Kind(
        "school.link_requested",
        Category.REFERRAL_UPDATE,
        _("{project_name} asked to work with {school_name}"),
        _("Accept or decline it from the school's list of projects."),
        deep_link="portal://schools/{school_id}/project-links",
    ),
    Kind(
        "school.link_accepted",
        Category.REFERRAL_UPDATE,
        _("{school_name} agreed to work with {project_name}"),
        _("Its staff can now refer pupils to the project."),
        deep_link="portal://schools/{school_id}/project-links",
    ),
    Kind(
        "school.link_declined",
        Category.REFERRAL_UPDATE,
        _("{school_name} is not working with {project_name}"),
        _("The school declined or ended the link."),
        deep_link="portal://schools/{school_id}/project-links",
    ),
):
    declare(_schools_kind)

# Transitions to adulthood: the road to 18 and hand-overs to adult services (staff only)
for _transition_kind in (
    Kind(
        "transition.milestone",
        Category.TRANSITION,
        _("{young_person}: {milestone}"),
        _("{detail}"),
        deep_link="portal://transitions/{transition_id}",
    ),
    Kind(
        "transition.milestone_attention",
        Category.TRANSITION,
        _("Transition needs attention: {young_person}"),
        _("{milestone}. {detail}"),
        deep_link="portal://transitions/{transition_id}",
    ),
    # A record first seen after a milestone had passed: the most urgent news, so it passes quiet hours.
    Kind(
        "transition.milestone_late",
        Category.TRANSITION,
        _("Late on the road to 18: {young_person}"),
        _("{milestone} (due {due_on}). {detail}"),
        urgent=True,
        deep_link="portal://transitions/{transition_id}",
    ),
    Kind(
        "transition.handover_received",
        Category.TRANSITION,
        _("New hand-over from {project}"),
        _("{young_person}. Please accept or return it by {respond_by}."),
        deep_link="portal://handovers/{handover_id}",
    ),
    Kind(
        "transition.handover_reminder",
        Category.TRANSITION,
        _("Hand-over waiting: respond by {respond_by}"),
        _("{young_person}, from {project}."),
        deep_link="portal://handovers/{handover_id}",
    ),
    Kind(
        "transition.handover_escalated",
        Category.TRANSITION,
        _("Hand-over overdue: {young_person}"),
        _("{adult_service} has not responded; it was due by {respond_by}."),
        deep_link="portal://handovers/{handover_id}",
    ),
    Kind(
        "transition.handover_accepted",
        Category.TRANSITION,
        _("{adult_service} accepted {young_person}"),
        _("Named worker: {worker}. Keep supporting until they confirm the relevant steps."),
        deep_link="portal://transitions/{transition_id}",
    ),
    Kind(
        "transition.handover_assigned",
        Category.TRANSITION,
        _("You are the named worker for {young_person}"),
        _("{adult_service} accepted the hand-over from {project}; the pack is ready to read."),
        deep_link="portal://handovers/{handover_id}",
    ),
    Kind(
        "transition.handover_returned",
        Category.TRANSITION,
        _("{adult_service} returned the hand-over of {young_person}"),
        _("{reason}"),
        deep_link="portal://transitions/{transition_id}",
    ),
    Kind(
        "transition.steps_confirmed",
        Category.TRANSITION,
        _("{adult_service} confirmed the steps for {young_person}"),
        _("Children's support can now close."),
        deep_link="portal://transitions/{transition_id}",
    ),
    Kind(
        "transition.handover_withdrawn",
        Category.TRANSITION,
        _("Hand-over withdrawn by {project}"),
        _("{young_person}: no response is needed."),
        deep_link="portal://handovers/{handover_id}",
    ),
):
    declare(_transition_kind)

# Safeguarding alerts (wellbeing). Staff only; the text never carries a young person's name or words.
declare(
    Kind(
        "alert.raised",
        Category.ALERT,
        _("Safeguarding alert: open the portal"),
        _("A young person on your caseload or duty list needs attention now."),
        urgent=True,
        deep_link="portal://alerts/{alert_id}",
    )
)
declare(
    Kind(
        "alert.escalated",
        Category.ALERT,
        _("Safeguarding alert not yet acknowledged: open the portal"),
        _("An alert has waited without acknowledgement. Please check it now."),
        urgent=True,
        deep_link="portal://alerts/{alert_id}",
    )
)
