"""HTTP for events and bookings, and a parent's answer through the emailed consent link."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import CaseDataPermission, access_for, chosen_or_only, project_seats, refuse_move
from api.peer import bookings as booking_services
from api.peer.access import (
    booking_for_actor,
    event_for_worker,
)
from api.peer.apis.common import local_day_start
from api.peer.models import Booking, Event
from api.peer.selectors import (
    bookings_visible_to,
    events_visible_to,
    with_queue_position,
)
from api.peer.serializers import (
    BookingSerializer,
    BookInputSerializer,
    EventSerializer,
    EventWriteSerializer,
    NoteSerializer,
    ParentConsentAnsweredSerializer,
    ParentConsentAnswerSerializer,
    ParentConsentRequestSerializer,
    ResendConsentSerializer,
)
from cases.access import case_for_editor
from core.audiences import output_for
from core.errors import NotFound
from core.filters import IdFilter
from core.throttling import AnonRateThrottle
from core.views import ApiView, ApiViewSet, actor, id_or_404

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
        return queryset.filter(starts_at__gte=local_day_start(value))

    def filter_end(self, queryset: QuerySet[Event], name: str, value: Any) -> QuerySet[Event]:
        from datetime import timedelta

        return queryset.filter(starts_at__lt=local_day_start(value + timedelta(days=1)))


class EventViewSet(ApiViewSet):
    """Events: trips, carers days, residential breaks. Young carers see what they may book; workers run them."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = EventSerializer
    audited_read = {"bookings": "peer.bookings.read"}
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[Event]:
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        return events_visible_to(self.request.user).order_by("starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, EventSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(output_for(request.user, EventSerializer)(self._visible(pk)).data)

    @extend_schema(request=EventWriteSerializer, responses={201: EventSerializer})
    def create(self, request: Request) -> Response:
        seats = project_seats(request.user)
        serializer = EventWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = chosen_or_only(data.pop("organisation", None), seats, field="organisation", label="project")
        event = booking_services.event_create(actor=actor(request), organisation=organisation, **data)
        return Response(EventSerializer(self._visible(event.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventWriteSerializer, responses=EventSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, id_or_404(pk))
        serializer = EventWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_move(data)
        event = booking_services.event_update(actor=actor(request), event=event, **data)
        return Response(EventSerializer(self._visible(event.pk)).data)

    @extend_schema(request=NoteSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, id_or_404(pk))
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = booking_services.event_cancel(actor=actor(request), event=event, **serializer.validated_data)
        return Response(EventSerializer(self._visible(event.pk)).data)

    @extend_schema(request=BookInputSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def book(self, request: Request, pk: str) -> Response:
        serializer = BookInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = None
        if "young_carer" in data:
            case = case_for_editor(request.user, data.pop("young_carer"))
            event = Event.objects.filter(
                pk=id_or_404(pk), organisation_id__in=access_for(request.user).project_ids
            ).first()
            event = event or Event.objects.filter(pk=id_or_404(pk), open_to=case.organisation_id).first()
            if event is None:
                raise NotFound()
        else:
            event = self._visible(pk)
        booking = booking_services.booking_create(actor=actor(request), event=event, case=case, **data)
        return Response(output_for(request.user, BookingSerializer)(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BookingSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def bookings(self, request: Request, pk: str) -> Response:
        event = event_for_worker(request.user, id_or_404(pk))
        rows = list(
            with_queue_position(event.bookings.select_related("event", "case")).order_by(
                "status", "waitlisted_at", "id"
            )
        )
        return Response(output_for(request.user, BookingSerializer)(rows, many=True).data)

    def _visible(self, pk: Any) -> Event:
        event = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if event is None:
            raise NotFound()
        return event


class BookingFilter(filters.FilterSet):
    young_carer = IdFilter(field_name="case_id")
    event = IdFilter(field_name="event_id")

    class Meta:
        model = Booking
        fields = ["status", "event"]


class BookingViewSet(ApiViewSet):
    """Bookings: a young carer's own, a worker's project's. Offers are accepted or declined; consent can be re-sent."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = BookingSerializer
    audited_read = {"list": "peer.bookings.read", "retrieve": "peer.bookings.read"}
    filterset_class = BookingFilter

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return bookings_visible_to(self.request.user).order_by("event__starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, BookingSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        booking = booking_for_actor(request.user, id_or_404(pk))
        return Response(output_for(request.user, BookingSerializer)(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = booking_services.booking_cancel(
            actor=actor(request), booking=booking_for_actor(request.user, id_or_404(pk))
        )
        return Response(output_for(request.user, BookingSerializer)(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="accept-offer")
    def accept_offer(self, request: Request, pk: str) -> Response:
        booking = booking_services.offer_accept(
            actor=actor(request), booking=booking_for_actor(request.user, id_or_404(pk))
        )
        return Response(output_for(request.user, BookingSerializer)(booking).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="decline-offer")
    def decline_offer(self, request: Request, pk: str) -> Response:
        booking = booking_services.offer_decline(
            actor=actor(request), booking=booking_for_actor(request.user, id_or_404(pk))
        )
        return Response(output_for(request.user, BookingSerializer)(booking).data)

    @extend_schema(request=ResendConsentSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], url_path="resend-consent")
    def resend_consent(self, request: Request, pk: str) -> Response:
        booking = booking_for_actor(request.user, id_or_404(pk))
        serializer = ResendConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_services.consent_resend(actor=actor(request), booking=booking, **serializer.validated_data)
        return Response(output_for(request.user, BookingSerializer)(booking).data)


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
        # The parent's own projection: what their child is booked on, never the case or anyone's notes.
        request_for_parent = {
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
        return Response(ParentConsentRequestSerializer(request_for_parent).data)

    @extend_schema(request=ParentConsentAnswerSerializer, responses=ParentConsentAnsweredSerializer)
    def post(self, request: Request, token: str) -> Response:
        serializer = ParentConsentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_services.consent_answer(token=token, **serializer.validated_data)
        return Response(ParentConsentAnsweredSerializer({"status": booking.status}).data)
