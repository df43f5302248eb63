"""HTTP for peer groups, sessions, the register, events, bookings, parents' consent links and calendar feeds."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.access import access_for
from accounts.models import Organisation, User
from api.peer import bookings as booking_services
from api.peer import calendar, services
from api.peer.access import (
    booking_for_actor,
    case_for_booking_worker,
    event_for_worker,
    group_for_worker,
    session_for_worker,
)
from api.peer.models import Attendance, Booking, Event, PeerGroup, Session
from api.peer.schedule import LONDON
from api.peer.selectors import (
    attendance_visible_to,
    bookings_visible_to,
    events_visible_to,
    groups_visible_to,
    members_of,
    register_of,
    sessions_visible_to,
    with_queue_position,
)
from api.peer.serializers import (
    AttendanceSerializer,
    BookingSerializer,
    BookInputSerializer,
    CalendarStatusSerializer,
    CalendarUrlSerializer,
    CheckInCodeSerializer,
    CheckInInputSerializer,
    EventSerializer,
    EventWriteSerializer,
    GroupSerializer,
    GroupWriteSerializer,
    MemberSerializer,
    NoteSerializer,
    ParentConsentAnsweredSerializer,
    ParentConsentAnswerSerializer,
    ParentConsentRequestSerializer,
    RegisterInputSerializer,
    RegisterRowSerializer,
    ResendConsentSerializer,
    SessionMoveSerializer,
    SessionSerializer,
    YoungCarerRefInput,
)
from audit.services import record_access
from core.errors import NotFound, ServiceError
from core.views import ApiView, ApiViewSet


def _user(request: Request) -> User:
    """The signed-in person (every view here but the two open ones requires one)."""
    return cast(User, request.user)


def _id(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < value < 2**31:
        raise NotFound()
    return value


def _only_project(request: Request, data: dict[str, Any]) -> Organisation:
    organisation = data.pop("organisation", None)
    if organisation is not None:
        return organisation
    project_ids = access_for(request.user).project_ids
    if len(project_ids) != 1:
        raise NotFound() if not project_ids else ServiceError("Say which project this is for.", field="organisation")
    return Organisation.objects.get(pk=next(iter(project_ids)))


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, LONDON)


# --- Groups ---------------------------------------------------------------------------


class GroupViewSet(ApiViewSet):
    """Peer groups. Young carers see their project's groups they may join or belong to; workers run their project's."""

    serializer_class = GroupSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self) -> QuerySet[PeerGroup]:
        if getattr(self, "swagger_fake_view", False):
            return PeerGroup.objects.none()
        return groups_visible_to(self.request.user).order_by("name", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(GroupSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        group = self.get_queryset().filter(pk=_id(pk)).first()
        if group is None:
            raise NotFound()
        return Response(GroupSerializer(group).data)

    @extend_schema(request=GroupWriteSerializer, responses={201: GroupSerializer})
    def create(self, request: Request) -> Response:
        serializer = GroupWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = _only_project(request, data)
        group = services.group_create(actor=_user(request), organisation=organisation, **data)
        return Response(GroupSerializer(self._fresh(group)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupWriteSerializer, responses=GroupSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        group = group_for_worker(request.user, _id(pk))
        serializer = GroupWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organisation" in data:
            raise ServiceError("A group cannot move to another organisation.", field="organisation")
        group = services.group_update(actor=_user(request), group=group, **data)
        return Response(GroupSerializer(self._fresh(group)).data)

    @extend_schema(methods=["get"], responses=MemberSerializer(many=True))
    @extend_schema(methods=["post"], request=YoungCarerRefInput, responses={201: MemberSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_fields=[])
    def members(self, request: Request, pk: str) -> Response:
        group = group_for_worker(request.user, _id(pk))
        if request.method == "GET":
            members = list(members_of(group))
            record_access(actor=_user(request), instances=[m.case for m in members], event="peer.members.read")
            return Response(MemberSerializer(members, many=True).data)
        serializer = YoungCarerRefInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_for_booking_worker(request.user, serializer.validated_data["young_carer"])
        membership = services.member_add(actor=_user(request), group=group, case=case)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MemberSerializer, operation_id="groups_members_step")
    @action(detail=True, methods=["post"], url_path=r"members/(?P<case_id>\d+)/(?P<step>approve|decline|remove)")
    def member_step(self, request: Request, pk: str, case_id: str, step: str) -> Response:
        group = group_for_worker(request.user, _id(pk))
        handler = {
            "approve": services.join_approve,
            "decline": services.join_decline,
            "remove": services.member_remove,
        }[step]
        membership = handler(actor=_user(request), group=group, case_id=_id(case_id))
        return Response(MemberSerializer(membership).data)

    @extend_schema(request=None, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, pk: str) -> Response:
        group = self.get_queryset().filter(pk=_id(pk)).first()
        if group is None:
            raise NotFound()
        membership = services.join_request(actor=_user(request), group=group)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    def _fresh(self, group: PeerGroup) -> PeerGroup:
        return self.get_queryset().get(pk=group.pk)


# --- Sessions, the register and check-in ----------------------------------------------------


class SessionFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", label="Workers: only groups I facilitate")
    upcoming = filters.BooleanFilter(method="filter_upcoming", label="Only sessions not yet over")
    start = filters.DateFilter(method="filter_start", label="From this local date")
    end = filters.DateFilter(method="filter_end", label="Up to and including this local date")

    class Meta:
        model = Session
        fields = ["group", "status"]

    def filter_mine(self, queryset: QuerySet[Session], name: str, value: bool) -> QuerySet[Session]:
        if value and access_for(self.request.user).is_staff_member:
            return queryset.filter(group__facilitators=self.request.user)
        return queryset

    def filter_upcoming(self, queryset: QuerySet[Session], name: str, value: bool) -> QuerySet[Session]:
        return queryset.filter(ends_at__gt=timezone.now()) if value else queryset

    def filter_start(self, queryset: QuerySet[Session], name: str, value: Any) -> QuerySet[Session]:
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_end(self, queryset: QuerySet[Session], name: str, value: Any) -> QuerySet[Session]:
        from datetime import timedelta

        return queryset.filter(starts_at__lt=_day_start(value + timedelta(days=1)))


class CheckInThrottle(UserRateThrottle):
    scope = "peer_check_in"
    rate = "10/min"


class SessionViewSet(ApiViewSet):
    """Sessions: a young carer's own (groups they are in), a worker's project's. Moving and cancelling tell members."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self) -> QuerySet[Session]:
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        return sessions_visible_to(self.request.user).order_by("starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        session = self.get_queryset().filter(pk=_id(pk)).first()
        if session is None:
            raise NotFound()
        return Response(SessionSerializer(session).data)

    @extend_schema(request=SessionMoveSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, _id(pk))
        serializer = SessionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_move(actor=_user(request), session=session, **serializer.validated_data)
        return Response(SessionSerializer(session).data)

    @extend_schema(request=NoteSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, _id(pk))
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_cancel(actor=_user(request), session=session, **serializer.validated_data)
        return Response(SessionSerializer(session).data)

    @extend_schema(methods=["get"], request=None, responses=RegisterRowSerializer(many=True))
    @extend_schema(methods=["post"], request=RegisterInputSerializer, responses=RegisterRowSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def register(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, _id(pk))
        if request.method == "POST":
            serializer = RegisterInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.register_submit(actor=_user(request), session=session, marks=serializer.validated_data["marks"])
        rows = register_of(session)
        if request.method == "GET":
            record_access(actor=_user(request), instances=[row["case"] for row in rows], event="peer.register.read")
        return Response(RegisterRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=CheckInCodeSerializer)
    @action(detail=True, methods=["post"], url_path="check-in-code")
    def check_in_code(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, _id(pk))
        session = services.check_in_code_issue(actor=_user(request), session=session)
        return Response({"code": session.check_in_code, "expires_at": session.check_in_code_expires_at})

    @extend_schema(request=CheckInInputSerializer, responses={201: AttendanceSerializer})
    @action(
        detail=False, methods=["post"], url_path="check-in", throttle_classes=[CheckInThrottle], filterset_class=None
    )
    def check_in(self, request: Request) -> Response:
        serializer = CheckInInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance = services.check_in(actor=_user(request), code=serializer.validated_data["code"])
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class AttendanceFilter(filters.FilterSet):
    young_carer = filters.NumberFilter(field_name="case_id")
    group = filters.NumberFilter(field_name="session__group_id")

    class Meta:
        model = Attendance
        fields = ["status"]


class AttendanceViewSet(ApiViewSet):
    """Attendance history: a young carer's own; a worker's project's, by young carer or group."""

    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        return attendance_visible_to(self.request.user).order_by("-session__starts_at", "-id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        if access_for(request.user).is_staff_member:
            record_access(actor=_user(request), instances=page, event="peer.attendance.read")
        return self.get_paginated_response(AttendanceSerializer(page, many=True).data)


# --- Events and bookings --------------------------------------------------------------------


class EventFilter(filters.FilterSet):
    upcoming = filters.BooleanFilter(method="filter_upcoming", label="Only events not yet over")
    start = filters.DateFilter(method="filter_start")
    end = filters.DateFilter(method="filter_end")

    class Meta:
        model = Event
        fields = ["kind", "status"]

    def filter_upcoming(self, queryset: QuerySet[Event], name: str, value: bool) -> QuerySet[Event]:
        return queryset.filter(ends_at__gt=timezone.now()) if value else queryset

    def filter_start(self, queryset: QuerySet[Event], name: str, value: Any) -> QuerySet[Event]:
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_end(self, queryset: QuerySet[Event], name: str, value: Any) -> QuerySet[Event]:
        from datetime import timedelta

        return queryset.filter(starts_at__lt=_day_start(value + timedelta(days=1)))


class EventViewSet(ApiViewSet):
    """Events: trips, carers days, residential breaks. Young carers see what they may book; workers run them."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[Event]:
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        return events_visible_to(self.request.user).order_by("starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EventSerializer(self._visible(pk)).data)

    @extend_schema(request=EventWriteSerializer, responses={201: EventSerializer})
    def create(self, request: Request) -> Response:
        serializer = EventWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = _only_project(request, data)
        event = booking_services.event_create(actor=_user(request), organisation=organisation, **data)
        return Response(EventSerializer(self._visible(event.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventWriteSerializer, responses=EventSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, _id(pk))
        serializer = EventWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organisation" in data:
            raise ServiceError("An event cannot move to another organisation.", field="organisation")
        event = booking_services.event_update(actor=_user(request), event=event, **data)
        return Response(EventSerializer(self._visible(event.pk)).data)

    @extend_schema(request=NoteSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, _id(pk))
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = booking_services.event_cancel(actor=_user(request), event=event, **serializer.validated_data)
        return Response(EventSerializer(self._visible(event.pk)).data)

    @extend_schema(request=BookInputSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def book(self, request: Request, pk: str) -> Response:
        serializer = BookInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = None
        if "young_carer" in data:
            case = case_for_booking_worker(request.user, data.pop("young_carer"))
            event = Event.objects.filter(pk=_id(pk), organisation_id__in=access_for(request.user).project_ids).first()
            event = event or Event.objects.filter(pk=_id(pk), open_to=case.organisation_id).first()
            if event is None:
                raise NotFound()
        else:
            event = self._visible(pk)
        booking = booking_services.booking_create(actor=_user(request), event=event, case=case, **data)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BookingSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def bookings(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, _id(pk))
        rows = list(
            with_queue_position(event.bookings.select_related("event", "case")).order_by(
                "status", "waitlisted_at", "id"
            )
        )
        record_access(actor=_user(request), instances=rows, event="peer.bookings.read")
        return Response(BookingSerializer(rows, many=True).data)

    def _visible(self, pk: Any) -> Event:
        event = self.get_queryset().filter(pk=_id(pk)).first()
        if event is None:
            raise NotFound()
        return event


class BookingFilter(filters.FilterSet):
    young_carer = filters.NumberFilter(field_name="case_id")

    class Meta:
        model = Booking
        fields = ["status", "event"]


class BookingViewSet(ApiViewSet):
    """Bookings: a young carer's own, a worker's project's. Offers are accepted or declined; consent can be re-sent."""

    serializer_class = BookingSerializer
    filterset_class = BookingFilter

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return bookings_visible_to(self.request.user).order_by("event__starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(BookingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(BookingSerializer(booking_for_actor(request.user, _id(pk))).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = booking_services.booking_cancel(
            actor=_user(request), booking=booking_for_actor(request.user, _id(pk))
        )
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="accept-offer")
    def accept_offer(self, request: Request, pk: str) -> Response:
        booking = booking_services.offer_accept(actor=_user(request), booking=booking_for_actor(request.user, _id(pk)))
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="decline-offer")
    def decline_offer(self, request: Request, pk: str) -> Response:
        booking = booking_services.offer_decline(actor=_user(request), booking=booking_for_actor(request.user, _id(pk)))
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=ResendConsentSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="resend-consent")
    def resend_consent(self, request: Request, pk: str) -> Response:
        booking = booking_for_actor(request.user, _id(pk))
        if not access_for(request.user).is_staff_member:
            raise NotFound()
        serializer = ResendConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_services.consent_resend(actor=_user(request), booking=booking, **serializer.validated_data)
        return Response(BookingSerializer(booking).data)


# --- A parent's answer through the emailed link (no account) -------------------------------


class ConsentLinkThrottle(AnonRateThrottle):
    scope = "peer_consent_link"
    rate = "30/hour"


class ConsentLinkView(ApiView):
    """The only open endpoint here: a parent opens the signed, expiring link and says yes or no."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ConsentLinkThrottle]

    @extend_schema(responses=ParentConsentRequestSerializer)
    def get(self, request: Request, token: str) -> Response:
        booking = booking_services.booking_for_consent_token(token)
        event, case = booking.event, booking.case
        return Response(
            {
                "child": case.preferred_name or case.first_name,
                "event": event.title,
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "place": event.place,
                "what_to_bring": event.what_to_bring,
                "cost_pence": event.cost_pence,
                "respond_by": booking.respond_by,
                "organisation": event.organisation.name,
            }
        )

    @extend_schema(request=ParentConsentAnswerSerializer, responses=ParentConsentAnsweredSerializer)
    def post(self, request: Request, token: str) -> Response:
        serializer = ParentConsentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_services.consent_answer(token=token, **serializer.validated_data)
        return Response({"status": booking.status})


# --- Calendar feeds ----------------------------------------------------------------------


class CalendarView(ApiView):
    """The caller's calendar feed: whether it is on; DELETE turns it off (the URL stops working)."""

    @extend_schema(responses=CalendarStatusSerializer)
    def get(self, request: Request) -> Response:
        from api.peer.models import CalendarFeed

        feed = CalendarFeed.objects.filter(user=_user(request)).first()
        return Response(
            {
                "active": feed is not None,
                "created_at": feed and feed.created_at,
                "last_used_at": feed and feed.last_used_at,
            }
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        calendar.feed_revoke(actor=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarRotateView(ApiView):
    """A new subscribe URL (shown once); any earlier URL stops working."""

    @extend_schema(request=None, responses={201: CalendarUrlSerializer})
    def post(self, request: Request) -> Response:
        token = calendar.feed_rotate(actor=_user(request))
        return Response({"url": calendar.feed_url(token)}, status=status.HTTP_201_CREATED)


class FeedThrottle(SimpleRateThrottle):
    """Per feed, not per address: calendar services fetch many people's feeds from the same few addresses."""

    scope = "peer_calendar_feed"
    rate = "120/hour"

    def get_cache_key(self, request: Request, view: Any) -> str:
        token = str(view.kwargs.get("token", ""))[:100]
        return self.cache_format % {"scope": self.scope, "ident": calendar.token_hash(token)}


@extend_schema(
    responses={(200, "text/calendar"): OpenApiTypes.BINARY},
    parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)],
)
class CalendarFeedView(ApiView):
    """The iCalendar feed at the secret URL; calendar apps poll it without signing in."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [FeedThrottle]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = calendar.feed_owner(token)
        response = HttpResponse(calendar.feed_calendar(user), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        return response
