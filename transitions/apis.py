"""HTTP for transitions and hand-overs: thin views over transitions.selectors and transitions.services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import CaseDataPermission, access_for, project_seats
from cases.access import case_for_editor
from core.audiences import output_for
from core.errors import NotFound
from core.filters import IdFilter
from core.views import ApiView, ApiViewSet, FileResponseMixin, actor, id_or_404
from transitions import selectors, services
from transitions import serializers as s
from transitions.access import handover_for_adult_services, handover_for_reader, transition_for_staff
from transitions.models import Handover, State, Transition
from transitions.pdf import render_pack_pdf
from transitions.plain import my_transition


def _valid(serializer_class: type[drf_serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TransitionFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=State.choices)
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Transition
        fields = ["state", "case"]


class TransitionViewSet(ApiViewSet):
    """Transitions to adulthood of the actor's projects' young carers; workflow steps are POST actions."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    filterset_class = TransitionFilter
    serializer_class = s.TransitionSerializer
    queryset = Transition.objects.none()
    audited_read = {
        "list": "transition.list",
        "retrieve": "transition.read",
        "at_risk": "transition.at_risk",
    }

    def get_queryset(self) -> QuerySet[Transition]:
        if getattr(self, "swagger_fake_view", False):
            return Transition.objects.none()
        return selectors.transitions_visible_to(self.request.user)

    def _detail(self, transition: Transition, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.TransitionSerializer(selectors.transition_detail(transition)).data, status=code)

    def _staff(self, pk: str) -> Transition:
        return transition_for_staff(self.request.user, id_or_404(pk))

    @extend_schema(responses=s.TransitionListSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(s.TransitionListSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        self.object = transition
        return self._detail(transition)

    @extend_schema(request=s.OpenSerializer, responses={201: s.TransitionSerializer})
    def create(self, request: Request) -> Response:
        project_seats(request.user)  # who is asking, before what they sent
        case = case_for_editor(request.user, _valid(s.OpenSerializer, request)["case"])
        transition = services.transition_open(actor=actor(request), case=case)
        return self._detail(transition, status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsiderSerializer, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"])
    def consider(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.ConsiderSerializer, request)
        return self._detail(services.transition_consider(actor=actor(request), transition=transition, **data))

    @extend_schema(request=s.ScheduleSerializer, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="schedule-assessment")
    def schedule_assessment(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.ScheduleSerializer, request)
        return self._detail(
            services.transition_schedule_assessment(actor=actor(request), transition=transition, **data)
        )

    @extend_schema(request=s.AssessmentInputSerializer, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="complete-assessment")
    def complete_assessment(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.AssessmentInputSerializer, request)
        return self._detail(
            services.transition_complete_assessment(actor=actor(request), transition=transition, **data)
        )

    @extend_schema(request=s.PlanInputSerializer, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="agree-plan")
    def agree_plan(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.PlanInputSerializer, request)
        return self._detail(services.transition_agree_plan(actor=actor(request), transition=transition, **data))

    @extend_schema(request=s.ReferSerializer, responses={201: s.HandoverSerializer})
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.ReferSerializer, request)
        handover = services.transition_refer(actor=actor(request), transition=transition, **data)
        return Response(s.HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"], url_path="start-joint-working")
    def start_joint_working(self, request: Request, pk: str) -> Response:
        return self._detail(services.transition_start_joint_working(actor=actor(request), transition=self._staff(pk)))

    @extend_schema(request=s.TransitionCloseSerializer, responses=s.TransitionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.TransitionCloseSerializer, request)
        return self._detail(services.transition_close(actor=actor(request), transition=transition, **data))

    @extend_schema(request=s.NoteInputSerializer, responses={201: s.NoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        transition = self._staff(pk)
        data = _valid(s.NoteInputSerializer, request)
        note = services.note_add(actor=actor(request), transition=transition, **data)
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.AtRiskSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="at-risk", pagination_class=None, filterset_class=None)
    def at_risk(self, request: Request) -> Response:
        rows = selectors.at_risk_for(request.user)
        return Response(s.AtRiskSerializer(rows, many=True).data)  # scoped: empty for a young person

    @extend_schema(responses=s.FiguresSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def figures(self, request: Request) -> Response:
        figures = selectors.transition_figures(request.user)
        return Response(output_for(request.user, s.FiguresSerializer)(figures).data)

    @extend_schema(responses=s.MineSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def mine(self, request: Request) -> Response:
        case, transition = selectors.mine_for(request.user)
        return Response(s.MineSerializer(my_transition(case, transition, timezone.localdate())).data)

    @extend_schema(request=s.QuestionSerializer, responses={202: None})
    @action(detail=False, methods=["post"], url_path="mine/question", pagination_class=None, filterset_class=None)
    def question(self, request: Request) -> Response:
        if access_for(request.user).young_carer_id is None:  # who is asking, before what they sent
            raise NotFound()
        services.young_person_ask(actor=actor(request), **_valid(s.QuestionSerializer, request))
        return Response(status=status.HTTP_202_ACCEPTED)


class HandoverFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Handover.Status.choices)

    class Meta:
        model = Handover
        fields = ["status"]


class HandoverViewSet(ApiViewSet):
    """Hand-overs: adult services' inbox (sent to their organisation) and the project's sent hand-overs."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    filterset_class = HandoverFilter
    serializer_class = s.HandoverSerializer
    queryset = Handover.objects.none()
    audited_read = {"list": "handover.list", "retrieve": "handover.read"}

    def get_queryset(self) -> QuerySet[Handover]:
        if getattr(self, "swagger_fake_view", False):
            return Handover.objects.none()
        return selectors.handovers_visible_to(self.request.user)

    @extend_schema(responses=s.HandoverSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(s.HandoverSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        handover = handover_for_reader(request.user, id_or_404(pk))
        return Response(s.HandoverSerializer(handover).data)

    @extend_schema(request=s.AcceptSerializer, responses=s.HandoverSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        handover = handover_for_adult_services(request.user, id_or_404(pk))
        data = _valid(s.AcceptSerializer, request)
        return Response(
            s.HandoverSerializer(services.handover_accept(actor=actor(request), handover=handover, **data)).data
        )

    @extend_schema(request=s.ReturnSerializer, responses=s.HandoverSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request: Request, pk: str) -> Response:
        handover = handover_for_adult_services(request.user, id_or_404(pk))
        data = _valid(s.ReturnSerializer, request)
        return Response(
            s.HandoverSerializer(services.handover_return(actor=actor(request), handover=handover, **data)).data
        )

    @extend_schema(request=s.ConfirmStepsSerializer, responses=s.HandoverSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-steps")
    def confirm_steps(self, request: Request, pk: str) -> Response:
        handover = handover_for_adult_services(request.user, id_or_404(pk))
        data = _valid(s.ConfirmStepsSerializer, request)
        return Response(
            s.HandoverSerializer(services.handover_confirm_steps(actor=actor(request), handover=handover, **data)).data
        )


class HandoverPackView(ApiView):
    """The hand-over pack as JSON. Every view is audited."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    audited_read = "handover.pack"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        handover = handover_for_reader(request.user, pk, pack=True)
        pack = selectors.handover_pack(handover)
        self.object_list = [handover, handover.transition.case]
        return Response(pack)


class HandoverPackPdfView(FileResponseMixin, ApiView):
    """The hand-over pack as a PDF. Every download is audited."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    audited_read = "handover.pack_pdf"

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request: Request, pk: int) -> HttpResponse:
        handover = handover_for_reader(request.user, pk, pack=True)
        pack = selectors.handover_pack(handover)
        self.object_list = [handover, handover.transition.case]
        response = HttpResponse(render_pack_pdf(pack), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="handover-{handover.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
