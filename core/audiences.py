"""Who reads what: the output serializers written for readers who are not project staff.

A young person, a parent answering a consent link and a school reading its referrals each get their own output
serializer with an explicit field list, never a staff serializer with fields removed, so a field added for staff
cannot reach them by default. This module is the one declared registry of those serializers:

- ``YOUNG_PERSON``, ``PARENT`` and ``SCHOOL`` name every serializer written for that audience (dotted paths, loaded
  lazily so apps can import this module without a cycle). Their field lists are the allow-lists.
- ``YOUNG_PERSON_FOR`` says which young person's serializer answers in place of each staff serializer a young
  person's request reaches; views ask ``output_for(user, StaffSerializer)``.
- ``undeclared(data, serializer)`` lists every key in a response, at any depth, that the serializer does not declare;
  tests and the permission matrix use it to prove a response holds only allow-listed fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from django.utils.module_loading import import_string
from rest_framework import serializers

from accounts.access import access_for
from core.errors import NotFound

YOUNG_PERSON: dict[str, str] = {
    "me": "accounts.audiences.YoungPersonMeSerializer",
    "organisation": "accounts.audiences.YoungPersonOrganisationSerializer",
    "case": "cases.audiences.YoungPersonCaseSerializer",
    "caring_role": "cases.audiences.YoungPersonCaringRoleSerializer",
    "consent": "cases.audiences.YoungPersonConsentSerializer",
    "group": "api.peer.audiences.YoungPersonGroupSerializer",
    "member": "api.peer.audiences.YoungPersonMembershipSerializer",
    "session": "api.peer.audiences.YoungPersonSessionSerializer",
    "attendance": "api.peer.audiences.YoungPersonAttendanceSerializer",
    "event": "api.peer.audiences.YoungPersonEventSerializer",
    "booking": "api.peer.audiences.YoungPersonBookingSerializer",
    "calendar_status": "api.peer.audiences.YoungPersonCalendarStatusSerializer",
    "calendar_url": "api.peer.audiences.YoungPersonCalendarUrlSerializer",
    "mood_tag": "api.wellbeing.audiences.YoungPersonMoodTagSerializer",
    "checkin": "api.wellbeing.audiences.YoungPersonCheckInSerializer",
    "checkin_result": "api.wellbeing.audiences.YoungPersonCheckInResultSerializer",
    "support": "api.wellbeing.audiences.YoungPersonSupportSerializer",
    "trends": "api.wellbeing.audiences.YoungPersonTrendsSerializer",
    "questionnaire": "api.wellbeing.audiences.YoungPersonQuestionnaireSerializer",
    "assignment": "api.wellbeing.audiences.YoungPersonAssignmentSerializer",
    "questionnaire_response": "api.wellbeing.audiences.YoungPersonResponseSerializer",
    "questionnaire_result": "api.wellbeing.audiences.YoungPersonResponseResultSerializer",
    "notification": "notifications.audiences.YoungPersonNotificationSerializer",
    "device": "notifications.audiences.YoungPersonDeviceSerializer",
    # Written for the person themselves, whoever they are: counts and their own push settings, nothing else.
    "unread_count": "notifications.serializers.UnreadCountSerializer",
    "marked_read": "notifications.serializers.MarkAllReadOutputSerializer",
    "push_preferences": "notifications.serializers.PreferencesSerializer",
    # Written for the young person only (GET /transitions/mine/): their road to 18 in plain words.
    "transition": "transitions.serializers.MineSerializer",
}

# The staff serializer a view would use -> the young person's serializer that answers instead.
YOUNG_PERSON_FOR: dict[str, str] = {
    "accounts.serializers.MeSerializer": "me",
    "accounts.serializers.OrganisationSerializer": "organisation",
    "cases.serializers.YoungCarerSerializer": "case",
    "cases.serializers.YoungCarerListSerializer": "case",
    "cases.serializers.CaringRoleSerializer": "caring_role",
    "cases.serializers.ConsentSerializer": "consent",
    "api.peer.serializers.GroupSerializer": "group",
    "api.peer.serializers.MemberSerializer": "member",
    "api.peer.serializers.SessionSerializer": "session",
    "api.peer.serializers.AttendanceSerializer": "attendance",
    "api.peer.serializers.EventSerializer": "event",
    "api.peer.serializers.BookingSerializer": "booking",
    "api.peer.serializers.CalendarStatusSerializer": "calendar_status",
    "api.peer.serializers.CalendarUrlSerializer": "calendar_url",
    "api.wellbeing.serializers.MoodTagSerializer": "mood_tag",
    "api.wellbeing.serializers.MoodCheckInSerializer": "checkin",
    "api.wellbeing.serializers.MoodCheckInResultSerializer": "checkin_result",
    "api.wellbeing.serializers.SupportSerializer": "support",
    "api.wellbeing.serializers.TrendsSerializer": "trends",
    "api.wellbeing.serializers.InstrumentSerializer": "questionnaire",
    "api.wellbeing.serializers.AssignmentSerializer": "assignment",
    "api.wellbeing.serializers.ResponseSerializer": "questionnaire_response",
    "api.wellbeing.serializers.ResponseResultSerializer": "questionnaire_result",
    "notifications.serializers.NotificationSerializer": "notification",
    "notifications.serializers.DeviceSerializer": "device",
    # Not here on purpose: ScoreSummarySerializer (scores and bands are staff's reading of the answers) and
    # AlertSerializer (a young person never reads an alert), so both answer a young person with a 404.
}

PARENT: dict[str, str] = {
    "booking_consent_request": "api.peer.serializers.ParentConsentRequestSerializer",
    "booking_consent_answered": "api.peer.serializers.ParentConsentAnsweredSerializer",
}

# A school reading the referrals it sent: what it sent, the status and the message written for it; never the
# project's reasons (decline_reason, signpost_reason), the case it became, or who decided.
SCHOOL: dict[str, str] = {
    "referral": "schools.serializers.ReferralSchoolSerializer",
}

AUDIENCES: dict[str, dict[str, str]] = {"young_person": YOUNG_PERSON, "parent": PARENT, "school": SCHOOL}

# The envelope of a paginated list, around serialized rows.
PAGE_KEYS = frozenset({"count", "next", "previous", "results"})

SerializerClass = type[serializers.BaseSerializer[Any]]


def serializer(audience: str, name: str) -> SerializerClass:
    """The serializer declared for ``audience`` under ``name``."""
    return _load(AUDIENCES[audience][name])


def serializers_of(audience: str) -> dict[str, SerializerClass]:
    return {name: _load(path) for name, path in AUDIENCES[audience].items()}


@cache
def _load(path: str) -> SerializerClass:
    loaded: SerializerClass = import_string(path)
    return loaded


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def output_for(user: Any, staff: SerializerClass) -> SerializerClass:
    """The serializer that renders ``staff``'s data for this reader.

    A young person gets their own declared serializer; where none is declared the read is refused with the usual
    404 rather than falling back to the staff view, so a new staff serializer cannot reach a child by mistake.
    """
    if not access_for(user).is_young_carer:
        return staff
    name = YOUNG_PERSON_FOR.get(_dotted(staff))
    if name is None:
        raise NotFound()
    return serializer("young_person", name)


def is_young_person(user: Any) -> bool:
    return access_for(user).is_young_carer


class MethodRows(serializers.SerializerMethodField):
    """A method field whose rows (dicts built by ``get_<name>``) are rendered by a declared serializer, so the
    allow-list reaches inside them: ``questions = MethodRows(QuestionSerializer)``."""

    def __init__(self, rows: SerializerClass, **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return self.rows(super().to_representation(value), many=True, context=self.context).data


# -- allow-lists ---------------------------------------------------------------------------------

FieldTree = dict[str, "FieldTree | None"]


def field_tree(cls: SerializerClass) -> FieldTree:
    """The declared fields of ``cls``, nested serializers as subtrees and plain fields as ``None``."""
    return _tree_of(cls())


def _tree_of(instance: Any) -> FieldTree:
    if isinstance(instance, serializers.ListSerializer):
        instance = instance.child
    tree: FieldTree = {}
    for name, field in instance.fields.items():
        inner = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(inner, MethodRows):
            tree[name] = field_tree(inner.rows)
        elif isinstance(inner, serializers.BaseSerializer):
            tree[name] = _tree_of(inner)
        else:
            tree[name] = None
    return tree


def allowed_keys(audience: str) -> frozenset[str]:
    """Every key any serializer of ``audience`` declares, at any depth: for a harness that does not know which
    serializer answered."""
    keys: set[str] = set()
    for cls in serializers_of(audience).values():
        keys.update(_names(field_tree(cls)))
    return frozenset(keys)


def _names(tree: FieldTree) -> Iterator[str]:
    for name, sub in tree.items():
        yield name
        if sub is not None:
            yield from _names(sub)


def undeclared(data: Any, cls: SerializerClass) -> list[str]:
    """Paths of keys in ``data`` (a response body) that ``cls`` does not declare, at any depth.

    A plain field may hold a scalar or a list of scalars; a mapping where the serializer declares a plain field is
    reported too, so structured data must be declared by a nested serializer to pass.
    """
    return list(_walk(_unpage(data), field_tree(cls), "$"))


def _unpage(data: Any) -> Any:
    if isinstance(data, Mapping) and "results" in data and set(data) <= PAGE_KEYS:
        return data["results"]
    return data


def _walk(data: Any, tree: FieldTree | None, path: str) -> Iterator[str]:
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _walk(item, tree, f"{path}[{index}]")
    elif isinstance(data, Mapping):
        if tree is None:
            yield f"{path} (undeclared structure)"
            return
        for key, value in data.items():
            if key not in tree:
                yield f"{path}.{key}"
            else:
                yield from _walk(value, tree[key], f"{path}.{key}")
