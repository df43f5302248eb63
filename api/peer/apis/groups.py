"""HTTP for peer groups, their sessions, the register, check-in and attendance history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import CaseDataPermission, access_for, chosen_or_only, project_seats, refuse_move
from api.peer import services
from api.peer.access import (
    group_for_worker,
    session_for_worker,
)
from api.peer.apis.common import local_day_start
from api.peer.models import Attendance, PeerGroup, Session
from api.peer.selectors import (
    attendance_visible_to,
    groups_visible_to,
    members_of,
    register_of,
    sessions_visible_to,
)
from api.peer.serializers import (
    AttendanceSerializer,
    CheckInCodeSerializer,
    CheckInInputSerializer,
    GroupSerializer,
    GroupWriteSerializer,
    MemberSerializer,
    NoteSerializer,
    RegisterInputSerializer,
    RegisterRowSerializer,
    SessionMoveSerializer,
    SessionSerializer,
    YoungCarerRefInput,
)
from cases.access import case_for_editor
from core.audiences import output_for
from core.errors import NotFound
from core.filters import IdFilter
from core.throttling import UserRateThrottle
from core.views import ApiViewSet, actor, id_or_404

# --- Groups ---------------------------------------------------------------------------


class GroupViewSet(ApiViewSet):
    """Peer groups. Young carers see their project's groups they may join or belong to; workers run their project's."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = GroupSerializer
    audited_read = {"members": "peer.members.read"}
    filterset_fields = ["is_active"]

    def get_queryset(self) -> QuerySet[PeerGroup]:
        if getattr(self, "swagger_fake_view", False):
            return PeerGroup.objects.none()
        return groups_visible_to(self.request.user).order_by("name", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, GroupSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        group = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if group is None:
            raise NotFound()
        return Response(output_for(request.user, GroupSerializer)(group).data)

    @extend_schema(request=GroupWriteSerializer, responses={201: GroupSerializer})
    def create(self, request: Request) -> Response:
        seats = project_seats(request.user)
        serializer = GroupWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = chosen_or_only(data.pop("organisation", None), seats, field="organisation", label="project")
        group = services.group_create(actor=actor(request), organisation=organisation, **data)
        return Response(GroupSerializer(self._fresh(group)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GroupWriteSerializer, responses=GroupSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        group = group_for_worker(request.user, id_or_404(pk))
        serializer = GroupWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_move(data)
        group = services.group_update(actor=actor(request), group=group, **data)
        return Response(GroupSerializer(self._fresh(group)).data)

    @extend_schema(methods=["get"], responses=MemberSerializer(many=True))
    @extend_schema(methods=["post"], request=YoungCarerRefInput, responses={201: MemberSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_fields=[])
    def members(self, request: Request, pk: str) -> Response:
        group = group_for_worker(request.user, id_or_404(pk))
        if request.method == "GET":
            members = list(members_of(group))
            self.object_list = [m.case for m in members]
            return Response(MemberSerializer(members, many=True).data)
        serializer = YoungCarerRefInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_for_editor(request.user, serializer.validated_data["young_carer"])
        membership = services.member_add(actor=actor(request), group=group, case=case)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MemberSerializer, operation_id="groups_members_step")
    @action(detail=True, methods=["post"], url_path=r"members/(?P<case_id>\d+)/(?P<step>approve|decline|remove)")
    def member_step(self, request: Request, pk: str, case_id: str, step: str) -> Response:
        group = group_for_worker(request.user, id_or_404(pk))
        handler = {
            "approve": services.join_approve,
            "decline": services.join_decline,
            "remove": services.member_remove,
        }[step]
        membership = handler(actor=actor(request), group=group, case_id=id_or_404(case_id))
        return Response(MemberSerializer(membership).data)

    @extend_schema(request=None, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, pk: str) -> Response:
        group = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if group is None:
            raise NotFound()
        membership = services.join_request(actor=actor(request), group=group)
        return Response(output_for(request.user, MemberSerializer)(membership).data, status=status.HTTP_201_CREATED)

    def _fresh(self, group: PeerGroup) -> PeerGroup:
        return self.get_queryset().get(pk=group.pk)


# --- Sessions, the register and check-in ----------------------------------------------------


class SessionFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", label="Workers: only groups I facilitate")
    upcoming = filters.BooleanFilter(method="filter_upcoming", label="Only sessions not yet over")
    start = filters.DateFilter(method="filter_start", label="From this local date")
    end = filters.DateFilter(method="filter_end", label="Up to and including this local date")
    group = IdFilter(field_name="group_id")  # an unknown group and another project's both match nothing

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
        return queryset.filter(starts_at__gte=local_day_start(value))

    def filter_end(self, queryset: QuerySet[Session], name: str, value: Any) -> QuerySet[Session]:
        from datetime import timedelta

        return queryset.filter(starts_at__lt=local_day_start(value + timedelta(days=1)))


class CheckInThrottle(UserRateThrottle):
    scope = "peer_check_in"
    rate = "10/min"


class SessionViewSet(ApiViewSet):
    """Sessions: a young carer's own (groups they are in), a worker's project's. Moving and cancelling tell members."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = SessionSerializer
    audited_read = {"register": "peer.register.read"}
    filterset_class = SessionFilter

    def get_queryset(self) -> QuerySet[Session]:
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        return sessions_visible_to(self.request.user).order_by("starts_at", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, SessionSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        session = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if session is None:
            raise NotFound()
        return Response(output_for(request.user, SessionSerializer)(session).data)

    @extend_schema(request=SessionMoveSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, id_or_404(pk))
        serializer = SessionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_move(actor=actor(request), session=session, **serializer.validated_data)
        return Response(SessionSerializer(session).data)

    @extend_schema(request=NoteSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, id_or_404(pk))
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_cancel(actor=actor(request), session=session, **serializer.validated_data)
        return Response(SessionSerializer(session).data)

    @extend_schema(methods=["get"], request=None, responses=RegisterRowSerializer(many=True))
    @extend_schema(methods=["post"], request=RegisterInputSerializer, responses=RegisterRowSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def register(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, id_or_404(pk))
        if request.method == "POST":
            serializer = RegisterInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.register_submit(actor=actor(request), session=session, marks=serializer.validated_data["marks"])
        rows = register_of(session)
        return Response(RegisterRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=CheckInCodeSerializer)
    @action(detail=True, methods=["post"], url_path="check-in-code")
    def check_in_code(self, request: Request, pk: str) -> Response:
        session = session_for_worker(request.user, id_or_404(pk))
        session = services.check_in_code_issue(actor=actor(request), session=session)
        return Response({"code": session.check_in_code, "expires_at": session.check_in_code_expires_at})

    @extend_schema(request=CheckInInputSerializer, responses={201: AttendanceSerializer})
    @action(
        detail=False, methods=["post"], url_path="check-in", throttle_classes=[CheckInThrottle], filterset_class=None
    )
    def check_in(self, request: Request) -> Response:
        serializer = CheckInInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance = services.check_in(actor=actor(request), code=serializer.validated_data["code"])
        return Response(output_for(request.user, AttendanceSerializer)(attendance).data, status=status.HTTP_201_CREATED)


class AttendanceFilter(filters.FilterSet):
    young_carer = IdFilter(field_name="case_id")
    group = IdFilter(field_name="session__group_id")

    class Meta:
        model = Attendance
        fields = ["status"]


class AttendanceViewSet(ApiViewSet):
    """Attendance history: a young carer's own; a worker's project's, by young carer or group."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = AttendanceSerializer
    audited_read = {"list": "peer.attendance.read"}
    filterset_class = AttendanceFilter

    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        return attendance_visible_to(self.request.user).order_by("-session__starts_at", "-id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, AttendanceSerializer)(page, many=True).data)
