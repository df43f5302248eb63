"""HTTP for case records: thin views over cases.selectors and cases.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import CaseDataPermission, chosen_or_only, project_seats, refuse_move
from cases import services
from cases.access import case_for_editor, case_for_reader
from cases.models import CaringRole, Consent, YoungCarer
from cases.selectors import consents_of, young_carers_visible_to
from cases.serializers import (
    CaringRoleSerializer,
    CloseSerializer,
    ConsentSerializer,
    WithdrawSerializer,
    YoungCarerListSerializer,
    YoungCarerSerializer,
    YoungCarerWriteSerializer,
)
from core.audiences import output_for
from core.errors import NotFound
from core.filters import IdFilter
from core.views import ApiViewSet, actor, id_or_404


class YoungCarerFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", label="Only my caseload")
    q = filters.CharFilter(method="filter_q", label="Name contains")
    # Plain ids: an unknown id is an empty list, exactly like an id the actor may not see.
    school = IdFilter(field_name="school_id")
    key_worker = IdFilter(field_name="key_worker_id")

    class Meta:
        model = YoungCarer
        fields = ["status"]

    def filter_mine(self, queryset: QuerySet[YoungCarer], name: str, value: bool) -> QuerySet[YoungCarer]:
        return queryset.filter(key_worker=self.request.user) if value else queryset

    def filter_q(self, queryset: QuerySet[YoungCarer], name: str, value: str) -> QuerySet[YoungCarer]:
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(preferred_name__icontains=value)
        )


class YoungCarerViewSet(ApiViewSet):
    """Young carer records. Reads are audited; staff need MFA."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    filterset_class = YoungCarerFilter
    serializer_class = YoungCarerSerializer
    queryset = YoungCarer.objects.none()  # for the schema; requests use get_queryset()
    audited_read = {
        "list": "case.list",
        "retrieve": "case.read",
        "caring_roles": "caring_roles.read",
        "consents": "consents.read",
    }

    def get_queryset(self) -> QuerySet[YoungCarer]:
        return young_carers_visible_to(self.request.user)

    @extend_schema(responses=YoungCarerListSerializer(many=True))
    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        assert page is not None
        return self.get_paginated_response(output_for(request.user, YoungCarerListSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        case = self._readable(pk, with_roles=True)
        return Response(output_for(request.user, YoungCarerSerializer)(case).data)

    @extend_schema(request=YoungCarerWriteSerializer, responses={201: YoungCarerSerializer})
    def create(self, request: Request) -> Response:
        seats = project_seats(request.user)
        serializer = YoungCarerWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = chosen_or_only(data.pop("organisation", None), seats, field="organisation", label="project")
        case = services.young_carer_create(actor=actor(request), organisation=organisation, **data)
        return Response(YoungCarerSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=YoungCarerWriteSerializer, responses=YoungCarerSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        case = case_for_editor(request.user, id_or_404(pk))
        serializer = YoungCarerWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_move(data)
        case = services.young_carer_update(actor=actor(request), case=case, **data)
        return Response(YoungCarerSerializer(case).data)

    @extend_schema(request=CloseSerializer, responses=YoungCarerSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        case = case_for_editor(request.user, id_or_404(pk))
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.young_carer_close(actor=actor(request), case=case, **serializer.validated_data)
        return Response(YoungCarerSerializer(case).data)

    @extend_schema(request=None, responses=YoungCarerSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        case = case_for_editor(request.user, id_or_404(pk))
        case = services.young_carer_reopen(actor=actor(request), case=case)
        return Response(YoungCarerSerializer(case).data)

    @extend_schema(methods=["get"], responses=CaringRoleSerializer(many=True))
    @extend_schema(methods=["post"], request=CaringRoleSerializer, responses={201: CaringRoleSerializer})
    @action(detail=True, methods=["get", "post"], url_path="caring-roles", pagination_class=None)
    def caring_roles(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            case = self._readable(pk)
            return Response(output_for(request.user, CaringRoleSerializer)(case.caring_roles.all(), many=True).data)
        case = case_for_editor(request.user, id_or_404(pk))
        serializer = CaringRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        role = services.caring_role_add(actor=actor(request), case=case, **serializer.validated_data)
        return Response(CaringRoleSerializer(role).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["patch"], request=CaringRoleSerializer, responses=CaringRoleSerializer)
    @extend_schema(methods=["delete"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"caring-roles/(?P<role_id>\d+)")
    def caring_role(self, request: Request, pk: str, role_id: str) -> Response:
        case = case_for_editor(request.user, id_or_404(pk))
        role = CaringRole.objects.filter(case=case, pk=role_id).first()
        if role is None:
            raise NotFound()
        if request.method == "DELETE":
            services.caring_role_remove(actor=actor(request), role=role)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = CaringRoleSerializer(role, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        role = services.caring_role_update(actor=actor(request), role=role, **serializer.validated_data)
        return Response(CaringRoleSerializer(role).data)

    @extend_schema(methods=["get"], responses=ConsentSerializer(many=True))
    @extend_schema(methods=["post"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def consents(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            case = self._readable(pk)
            return Response(output_for(request.user, ConsentSerializer)(consents_of(case), many=True).data)
        case = case_for_editor(request.user, id_or_404(pk))
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(actor=actor(request), case=case, **serializer.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"], url_path=r"consents/(?P<consent_id>\d+)/withdraw")
    def withdraw_consent(self, request: Request, pk: str, consent_id: str) -> Response:
        case = case_for_editor(request.user, id_or_404(pk))
        consent = Consent.objects.filter(case=case, pk=consent_id).first()
        if consent is None:
            raise NotFound()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_withdraw(actor=actor(request), consent=consent, **serializer.validated_data)
        return Response(ConsentSerializer(consent).data)

    # -- helpers ---------------------------------------------------------------
    def _readable(self, pk: Any, *, with_roles: bool = False) -> YoungCarer:
        case = case_for_reader(self.request.user, id_or_404(pk))
        if with_roles:
            case = (
                YoungCarer.objects.select_related("organisation", "school", "key_worker")
                .prefetch_related(Prefetch("caring_roles", queryset=CaringRole.objects.order_by("id")))
                .get(pk=case.pk)
            )
        return case
