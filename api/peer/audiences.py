"""What a young person sees of groups, sessions, events and bookings: their own output serializers.

Written field by field for them (declared in ``core.audiences``): when and where things are, and where they
stand. Never capacity planning, other children, a worker's note on why something moved, facilitators' surnames
or contact details, or the parent's name and email held for the consent link.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.peer import schedule as sched
from api.peer.models import Attendance, Booking, Event, GroupMembership, PeerGroup, Session
from api.peer.services import schedule_of
from core.fields import AwareDateTimeField


class YoungPersonFacilitatorSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField()


class YoungPersonGroupSerializer(serializers.ModelSerializer[PeerGroup]):
    facilitators = serializers.SerializerMethodField()
    schedule_summary = serializers.SerializerMethodField()
    my_status = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = PeerGroup
        fields = [
            "id",
            "name",
            "description",
            "min_age",
            "max_age",
            "venue",
            "accessibility",
            "transport_offered",
            "starts_on",
            "start_time",
            "end_time",
            "schedule_summary",
            "is_active",
            "facilitators",
            "my_status",
        ]

    def get_facilitators(self, group: PeerGroup) -> list[str]:
        """First names only, as a plain list: what a child calls the people running the group."""
        if "facilitators" not in getattr(group, "_prefetched_objects_cache", {}):
            return []
        return [user.first_name for user in group.facilitators.all() if user.first_name]

    def get_schedule_summary(self, group: PeerGroup) -> str:
        schedule = schedule_of(group)
        return sched.summary(schedule) if schedule else ""


class YoungPersonMembershipSerializer(serializers.ModelSerializer[GroupMembership]):
    class Meta:
        model = GroupMembership
        fields = ["id", "group", "status", "requested_at", "joined_at", "ended_at"]


class YoungPersonSessionSerializer(serializers.ModelSerializer[Session]):
    group_name = serializers.CharField(source="group.name", read_only=True)
    venue = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "group", "group_name", "starts_at", "ends_at", "status", "venue"]

    def get_venue(self, session: Session) -> str:
        return session.venue or session.group.venue


class YoungPersonAttendanceSerializer(serializers.ModelSerializer[Attendance]):
    session = YoungPersonSessionSerializer()

    class Meta:
        model = Attendance
        fields = ["id", "session", "status", "recorded_at"]


class YoungPersonEventSerializer(serializers.ModelSerializer[Event]):
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "what_to_bring",
            "cost_pence",
            "min_age",
            "max_age",
            "booking_opens_at",
            "booking_closes_at",
            "status",
            "places_left",
        ]

    def get_places_left(self, event: Event) -> int | None:
        taken = getattr(event, "places_taken", None)
        return None if taken is None else max(event.capacity - taken, 0)


class YoungPersonBookedEventSerializer(serializers.ModelSerializer[Event]):
    class Meta:
        model = Event
        fields = ["id", "title", "kind", "starts_at", "status"]


class YoungPersonBookingSerializer(serializers.ModelSerializer[Booking]):
    event = YoungPersonBookedEventSerializer(read_only=True)
    waiting_list_position = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "event",
            "status",
            "respond_by",
            "waiting_list_position",
            "consent_requested_at",
            "confirmed_at",
            "cancelled_at",
            "created_at",
        ]

    def get_waiting_list_position(self, booking: Booking) -> int | None:
        from api.peer.selectors import booking_position

        return booking_position(booking)


class YoungPersonCalendarStatusSerializer(serializers.Serializer[Any]):
    active = serializers.BooleanField()
    created_at = AwareDateTimeField(allow_null=True)
    last_used_at = AwareDateTimeField(allow_null=True)


class YoungPersonCalendarUrlSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
