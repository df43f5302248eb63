from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import User
from accounts.selectors import project_directory_for, project_workers_nameable_by, projects_acted_for_by
from api.peer import schedule as sched
from api.peer.bookings import EVENT_FIELDS
from api.peer.models import Attendance, Booking, Event, GroupMembership, PeerGroup, Session
from api.peer.services import schedule_of
from core.fields import (
    PROJECT_MESSAGE,
    WORKER_MESSAGE,
    AwareDateTimeField,
    BoundedDateField,
    LocalTimeField,
    ScopedPrimaryKeyRelatedField,
    StrictIntegerField,
)
from core.views import MAX_ID


class PersonRefSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["id", "name"]


class YoungPersonRefSerializer(serializers.Serializer[Any]):
    id = StrictIntegerField()
    first_name = serializers.CharField()
    preferred_name = serializers.CharField()
    last_name = serializers.CharField()


class GroupSerializer(serializers.ModelSerializer[PeerGroup]):
    facilitators = serializers.SerializerMethodField()  # [{id, name}]
    member_count = StrictIntegerField(read_only=True)
    schedule_summary = serializers.SerializerMethodField()
    my_status = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = PeerGroup
        fields = [
            "id",
            "organisation",
            "name",
            "description",
            "min_age",
            "max_age",
            "capacity",
            "venue",
            "accessibility",
            "transport_offered",
            "transport_notes",
            "recurrence",
            "exception_dates",
            "starts_on",
            "start_time",
            "end_time",
            "schedule_summary",
            "is_active",
            "facilitators",
            "member_count",
            "my_status",
        ]

    def get_facilitators(self, group: PeerGroup) -> list[dict[str, Any]]:
        if "facilitators" not in getattr(group, "_prefetched_objects_cache", {}):
            return []
        # Plain dicts: a nested serializer per row costs more than the whole query on a long list.
        return [{"id": user.pk, "name": user.display_name} for user in group.facilitators.all()]

    def get_schedule_summary(self, group: PeerGroup) -> str:
        schedule = schedule_of(group)
        return sched.summary(schedule) if schedule else ""


class GroupWriteSerializer(serializers.Serializer[Any]):
    organisation = ScopedPrimaryKeyRelatedField(scope=projects_acted_for_by, message=PROJECT_MESSAGE, required=False)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    min_age = StrictIntegerField(min_value=5, max_value=25)
    max_age = StrictIntegerField(min_value=5, max_value=25)
    capacity = StrictIntegerField(min_value=1, max_value=500, required=False, allow_null=True)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accessibility = serializers.CharField(required=False, allow_blank=True)
    transport_offered = serializers.BooleanField(required=False)
    transport_notes = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recurrence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    exception_dates = serializers.ListField(child=BoundedDateField(), required=False, max_length=200)
    starts_on = BoundedDateField(required=False, allow_null=True)
    start_time = LocalTimeField(required=False, allow_null=True)
    end_time = LocalTimeField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    facilitators = ScopedPrimaryKeyRelatedField(
        scope=project_workers_nameable_by, message=WORKER_MESSAGE, many=True, required=False
    )


class MemberSerializer(serializers.ModelSerializer[GroupMembership]):
    young_carer = YoungPersonRefSerializer(source="case")

    class Meta:
        model = GroupMembership
        fields = ["id", "young_carer", "status", "requested_at", "joined_at", "ended_at"]


class YoungCarerRefInput(serializers.Serializer[Any]):
    young_carer = StrictIntegerField(min_value=1, max_value=MAX_ID)


class SessionSerializer(serializers.ModelSerializer[Session]):
    group_name = serializers.CharField(source="group.name", read_only=True)
    venue = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "group", "group_name", "starts_at", "ends_at", "status", "venue", "note", "occurrence"]

    def get_venue(self, session: Session) -> str:
        return session.venue or session.group.venue


class SessionMoveSerializer(serializers.Serializer[Any]):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MarkSerializer(serializers.Serializer[Any]):
    young_carer = StrictIntegerField(min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class RegisterInputSerializer(serializers.Serializer[Any]):
    marks = serializers.ListField(child=MarkSerializer(), allow_empty=False, max_length=500)


class RegisterRowSerializer(serializers.Serializer[Any]):
    young_carer = YoungPersonRefSerializer(source="case")
    status = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]


class CheckInCodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    expires_at = AwareDateTimeField()


class CheckInInputSerializer(serializers.Serializer[Any]):
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "The code is 6 digits."})


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    session = SessionSerializer()
    young_carer = YoungPersonRefSerializer(source="case")

    class Meta:
        model = Attendance
        fields = ["id", "session", "young_carer", "status", "source", "recorded_at"]


class EventSerializer(serializers.ModelSerializer[Event]):
    places_taken = StrictIntegerField(read_only=True)
    places_left = serializers.SerializerMethodField()
    waiting = StrictIntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "organisation",
            *EVENT_FIELDS,
            "status",
            "note",
            "places_taken",
            "places_left",
            "waiting",
        ]

    def get_places_left(self, event: Event) -> int | None:
        taken = getattr(event, "places_taken", None)
        return None if taken is None else max(event.capacity - taken, 0)


class EventWriteSerializer(serializers.Serializer[Any]):
    organisation = ScopedPrimaryKeyRelatedField(scope=projects_acted_for_by, message=PROJECT_MESSAGE, required=False)
    open_to = ScopedPrimaryKeyRelatedField(
        scope=project_directory_for, message="Choose another young carers project.", many=True, required=False
    )
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    what_to_bring = serializers.CharField(required=False, allow_blank=True)
    cost_pence = StrictIntegerField(min_value=0, max_value=100_000, required=False)
    capacity = StrictIntegerField(min_value=1, max_value=1000)
    min_age = StrictIntegerField(min_value=5, max_value=25, required=False)
    max_age = StrictIntegerField(min_value=5, max_value=25, required=False)
    booking_opens_at = AwareDateTimeField(required=False, allow_null=True)
    booking_closes_at = AwareDateTimeField(required=False, allow_null=True)
    offer_hours = StrictIntegerField(min_value=1, max_value=24 * 14, required=False)


class BookingSerializer(serializers.ModelSerializer[Booking]):
    young_carer = YoungPersonRefSerializer(source="case")
    event = serializers.SerializerMethodField()
    waiting_list_position = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "event",
            "young_carer",
            "status",
            "respond_by",
            "waiting_list_position",
            "parent_name",
            "consent_requested_at",
            "confirmed_at",
            "cancelled_at",
            "created_at",
        ]

    def get_event(self, booking: Booking) -> dict[str, Any]:
        event = booking.event
        return {
            "id": event.pk,
            "title": event.title,
            "kind": event.kind,
            "starts_at": event.starts_at,
            "status": event.status,
        }

    def get_waiting_list_position(self, booking: Booking) -> int | None:
        from api.peer.selectors import booking_position

        return booking_position(booking)


class BookInputSerializer(serializers.Serializer[Any]):
    young_carer = StrictIntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Workers booking for someone."
    )
    parent_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    parent_email = serializers.EmailField(required=False, allow_blank=True, default="")


class ResendConsentSerializer(serializers.Serializer[Any]):
    parent_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    parent_email = serializers.EmailField(required=False, allow_blank=True, default="")


class ParentConsentRequestSerializer(serializers.Serializer[Any]):
    child = serializers.CharField()
    event = serializers.CharField()
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    place = serializers.CharField()
    what_to_bring = serializers.CharField()
    cost_pence = StrictIntegerField()
    respond_by = AwareDateTimeField(allow_null=True)
    organisation = serializers.CharField()


class ParentConsentAnswerSerializer(serializers.Serializer[Any]):
    given = serializers.BooleanField()
    parent_name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(max_length=60, required=False, default="parent")


class ParentConsentAnsweredSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()


class CalendarStatusSerializer(serializers.Serializer[Any]):
    active = serializers.BooleanField()
    created_at = AwareDateTimeField(allow_null=True)
    last_used_at = AwareDateTimeField(allow_null=True)


class CalendarUrlSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
