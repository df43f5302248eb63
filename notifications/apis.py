"""HTTP for the inbox, devices and push preferences: the signed-in person's own, nobody else's."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import require_case_data_access
from accounts.authentication import session_key_of
from core.audiences import output_for
from core.errors import ServiceError
from core.pagination import CursorPagination
from core.views import ApiView, ApiViewSet, actor, id_or_404
from notifications import selectors, services
from notifications.models import Device, Notification
from notifications.serializers import (
    DeviceRegisterSerializer,
    DeviceSerializer,
    MarkAllReadInputSerializer,
    MarkAllReadOutputSerializer,
    NotificationSerializer,
    PreferencesInputSerializer,
    PreferencesSerializer,
    UnreadCountSerializer,
)


def _int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{name} must be a whole number.", field=name) from None
    if number < 0:
        raise ServiceError(f"{name} must not be negative.", field=name)
    return number


class InboxPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class NotificationViewSet(ApiViewSet):
    """The inbox: the truth behind the live socket. A reconnecting client asks for ``?after_id=<last id seen>``."""

    serializer_class = NotificationSerializer
    pagination_class = InboxPagination
    audited_read = {"list": "inbox.list", "retrieve": "inbox.read"}  # staff inbox items name children
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no signed-in person
            return Notification.objects.none()
        params = self.request.query_params
        after_id = _int(params["after_id"], "after_id") if params.get("after_id") else None
        unread = {"true": True, "1": True, "false": False, "0": False}.get(params.get("unread", "").lower())
        if params.get("unread") and unread is None:
            raise ServiceError("unread must be true or false.", field="unread")
        return selectors.inbox_for(actor(self.request), after_id=after_id, unread=unread)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after_id", OpenApiTypes.INT, description="Only items newer than this id (after a reconnect)."
            ),
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread (true) or read (false) items."),
        ],
        responses=NotificationSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(output_for(request.user, NotificationSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = selectors.notification_for(actor(request), id_or_404(pk))
        return Response(output_for(request.user, NotificationSerializer)(item).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        item = selectors.notification_for(actor(request), id_or_404(pk))
        item = services.notification_mark_read(actor=actor(request), notification=item)
        return Response(NotificationSerializer(item).data)

    @extend_schema(request=MarkAllReadInputSerializer, responses=MarkAllReadOutputSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", pagination_class=None)
    def read_all(self, request: Request) -> Response:
        require_case_data_access(actor(request))  # as reading the inbox: refuse before changing anything
        serializer = MarkAllReadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_all_read(actor=actor(request), **serializer.validated_data)
        return Response({"marked": marked, "unread": selectors.unread_count(actor(request))})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(actor(request))})


class DeviceViewSet(ApiViewSet):
    """Phones that receive pushes. POST registers (or refreshes) a token; DELETE is what sign-out calls."""

    serializer_class = DeviceSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Device.objects.none()
        return selectors.devices_of(actor(self.request))

    @extend_schema(responses=DeviceSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(output_for(request.user, DeviceSerializer)(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        device = selectors.device_for(actor(request), id_or_404(pk))
        return Response(output_for(request.user, DeviceSerializer)(device).data)

    @extend_schema(request=DeviceRegisterSerializer, responses={200: DeviceSerializer, 201: DeviceSerializer})
    def create(self, request: Request) -> Response:
        serializer = DeviceRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, created = services.device_register(
            actor=actor(request), session_key=session_key_of(request), **serializer.validated_data
        )
        body = output_for(request.user, DeviceSerializer)(device).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.device_sign_out(actor=actor(request), device=selectors.device_for(actor(request), id_or_404(pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreferencesView(ApiView):
    """The signed-in person's push settings. Until they change anything, the defaults for their age apply."""

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        return Response(PreferencesSerializer.from_rules(selectors.push_rules_for(actor(request))))

    @extend_schema(request=PreferencesInputSerializer, responses=PreferencesSerializer)
    def patch(self, request: Request) -> Response:
        serializer = PreferencesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.preferences_update(actor=actor(request), **serializer.validated_data)
        return Response(PreferencesSerializer.from_rules(selectors.push_rules_for(actor(request))))

    @extend_schema(request=None, responses={200: PreferencesSerializer})
    def delete(self, request: Request) -> Response:
        """Back to the defaults, which come back in the answer (a 200, not a bare 204)."""
        services.preferences_reset(actor=actor(request))
        return Response(PreferencesSerializer.from_rules(selectors.push_rules_for(actor(request))))
