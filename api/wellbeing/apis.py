"""HTTP for check-ins, help, alerts, the lists projects keep, and questionnaires. Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import CaseDataPermission, managed_project_seats, project_seats, require_case_data_access
from api.wellbeing import questionnaires, selectors, services
from api.wellbeing import serializers as s
from api.wellbeing.access import (
    MANAGER_ROLES,
    alert_for_staff,
    assignment_for_answerer,
    assignment_for_staff,
    instrument_usable_by,
    own_case,
    project_for_staff,
    words_visible,
)
from api.wellbeing.models import Alert, InstrumentVersion, MoodTag, RiskPhrase
from cases.access import case_for_editor, case_for_reader
from cases.models import YoungCarer
from core.audiences import output_for
from core.errors import NotFound, ServiceError
from core.filters import IdFilter
from core.pagination import CursorPagination
from core.views import ApiView, ApiViewSet, id_or_404

CASE_PARAM = OpenApiParameter(
    "case", int, description="Young carer (case) id. Staff must give it; a young person reads their own."
)


def _case_from_query(request: Request) -> YoungCarer:
    """Staff name the case; a young person's own case is the default."""
    access = require_case_data_access(request.user)
    raw = request.query_params.get("case")
    if raw is None:
        if access.is_young_carer:
            return case_for_reader(request.user, access.young_carer_id or 0)
        raise ServiceError("Say which young carer: ?case=<id>.", field="case")
    return case_for_reader(request.user, id_or_404(raw))


def _words_rule(user: Any, cases: Iterable[YoungCarer]) -> Callable[[int], bool]:
    allowed = {case.pk: words_visible(user, case) for case in cases}
    return lambda case_id: allowed.get(case_id, False)


def _support(outcome: services.Outcome) -> dict[str, Any]:
    if outcome.worker_told:
        message = "Thank you for telling us. Your worker has been told and will get in touch."
    elif outcome.alert_raised:
        message = "Thank you for telling us. The team has been told and will get in touch."
    else:
        message = "Thanks for checking in. If you need to talk to someone now, these are free and open all the time."
    return {
        "alert_raised": outcome.alert_raised,
        "worker_told": outcome.worker_told,
        "message": message,
        "crisis_lines": outcome.crisis_lines,
    }


class CheckInPagination(CursorPagination):
    ordering = ("-recorded_at", "-id")


class CheckInViewSet(ApiViewSet):
    """Quick check-ins: a young person sends them; they and their project's staff read them."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    lookup_value_regex = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # else 404
    pagination_class = CheckInPagination
    serializer_class = s.MoodCheckInSerializer
    queryset = selectors.CheckIn.objects.none()
    audited_read = {
        "list": "checkins.read",
        "retrieve": "checkin.read",
        "trends": "checkins.trends",
        "caseload": "caseload.read",
    }

    @extend_schema(parameters=[CASE_PARAM], responses=s.MoodCheckInSerializer(many=True))
    def list(self, request: Request) -> Response:
        case = _case_from_query(request)
        page = self.paginate_queryset(selectors.checkins_of(case))
        assert page is not None
        self.object = case
        rule = _words_rule(request.user, [case])
        data = output_for(request.user, s.MoodCheckInSerializer)(page, many=True, context={"show_words": rule}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        checkin = selectors.CheckIn.objects.select_related("case").filter(pk=pk).first()
        if checkin is None:
            raise NotFound()
        case = case_for_reader(request.user, checkin.case_id)
        rule = _words_rule(request.user, [case])
        return Response(output_for(request.user, s.MoodCheckInSerializer)(checkin, context={"show_words": rule}).data)

    @extend_schema(
        request=s.MoodCheckInInputSerializer,
        responses={201: s.MoodCheckInResultSerializer, 200: s.MoodCheckInResultSerializer},
        description="Sending the same id again returns the first check-in (200) and raises nothing new.",
    )
    def create(self, request: Request) -> Response:
        case = own_case(request.user, "check in")
        serializer = s.MoodCheckInInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin, outcome, created = services.checkin_submit(actor=request.user, case=case, **serializer.validated_data)
        result = {"checkin": checkin, "support": _support(outcome)}
        body = output_for(request.user, s.MoodCheckInResultSerializer)(result).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(parameters=[CASE_PARAM], responses=s.TrendsSerializer)
    @action(detail=False, methods=["get"])
    def trends(self, request: Request) -> Response:
        case = _case_from_query(request)
        self.object = case
        return Response(output_for(request.user, s.TrendsSerializer)(selectors.trends_for(case)).data)

    @extend_schema(
        responses=s.CaseloadSerializer, description="Your caseload. Viewing it moves your 'last viewed' marker."
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def caseload(self, request: Request) -> Response:
        services.caseload_role_ok(request.user)
        rows, since = selectors.caseload_for(request.user)
        self.object_list = rows
        return Response(s.CaseloadSerializer({"last_viewed_at": since, "results": rows}).data)


class MoodTagViewSet(ApiViewSet):
    """Tags young people can add to a check-in. Young people see their project's active ones; staff manage them."""

    serializer_class = s.MoodTagSerializer
    pagination_class = None

    queryset = MoodTag.objects.none()

    def get_queryset(self) -> QuerySet[MoodTag]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.tags_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        return Response(output_for(request.user, s.MoodTagSerializer)(self.get_queryset(), many=True).data)

    @extend_schema(request=s.MoodTagSerializer, responses={201: s.MoodTagSerializer})
    def create(self, request: Request) -> Response:
        project_seats(request.user)  # who is asking, before what they sent
        serializer = s.MoodTagSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = data.pop("organisation", None)
        organisation = project_for_staff(request.user, org.pk if org else None)
        tag = services.mood_tag_create(actor=request.user, organisation=organisation, **data)
        return Response(s.MoodTagSerializer(tag).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MoodTagUpdateSerializer, responses=s.MoodTagSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        require_case_data_access(request.user)
        tag = MoodTag.objects.select_related("organisation").filter(pk=id_or_404(pk)).first()
        if tag is None or tag.organisation_id not in selectors.access_for(request.user).project_ids:
            raise NotFound()
        serializer = s.MoodTagUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tag = services.mood_tag_update(actor=request.user, tag=tag, **serializer.validated_data)
        return Response(s.MoodTagSerializer(tag).data)


class RiskPhraseViewSet(ApiViewSet):
    """The project's risk-phrase list. Staff read it; managers change it. Empty list: the shipped defaults apply."""

    serializer_class = s.RiskPhraseSerializer
    pagination_class = None

    queryset = RiskPhrase.objects.none()

    def get_queryset(self) -> QuerySet[RiskPhrase]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.risk_phrases_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        return Response(s.RiskPhraseSerializer(self.get_queryset(), many=True).data)

    @extend_schema(request=s.RiskPhraseSerializer, responses={201: s.RiskPhraseSerializer})
    def create(self, request: Request) -> Response:
        managed_project_seats(request.user)
        serializer = s.RiskPhraseSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = data.pop("organisation", None)
        organisation = project_for_staff(request.user, org.pk if org else None, *MANAGER_ROLES)
        phrase = services.risk_phrase_create(actor=request.user, organisation=organisation, **data)
        return Response(s.RiskPhraseSerializer(phrase).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RiskPhraseUpdateSerializer, responses=s.RiskPhraseSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        phrase = self.get_queryset().select_related("organisation").filter(pk=id_or_404(pk)).first()
        if phrase is None:
            raise NotFound()
        serializer = s.RiskPhraseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phrase = services.risk_phrase_update(actor=request.user, phrase=phrase, **serializer.validated_data)
        return Response(s.RiskPhraseSerializer(phrase).data)

    @extend_schema(request=s.AdoptDefaultsSerializer, responses=s.AdoptedSerializer)
    @action(detail=False, methods=["post"], url_path="adopt-defaults")
    def adopt_defaults(self, request: Request) -> Response:
        serializer = s.AdoptDefaultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = project_for_staff(request.user, serializer.validated_data.get("organisation"), *MANAGER_ROLES)
        added = services.risk_phrases_adopt_defaults(actor=request.user, organisation=organisation)
        return Response({"added": added})


class AlertFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = Alert
        fields = ["status", "severity", "reason", "case"]


class AlertViewSet(ApiViewSet):
    """Safeguarding alerts for project staff: list, acknowledge, record the action, close."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = s.AlertSerializer
    audited_read = {"list": "alert.list", "retrieve": "alert.read"}
    filterset_class = AlertFilter

    queryset = Alert.objects.none()

    def get_queryset(self) -> QuerySet[Alert]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.alerts_visible_to(self.request.user)

    def _render(self, alerts: list[Alert]) -> Any:
        rule = _words_rule(self.request.user, {alert.case_id: alert.case for alert in alerts}.values())
        return s.AlertSerializer(alerts, many=True, context={"show_words": rule}).data

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(self._render(page))

    def retrieve(self, request: Request, pk: str) -> Response:
        alert = alert_for_staff(request.user, id_or_404(pk))
        self.object = alert
        return Response(self._render([alert])[0])

    @extend_schema(request=None, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        alert = services.alert_acknowledge(actor=request.user, alert=alert_for_staff(request.user, id_or_404(pk)))
        return Response(self._render([alert])[0])

    @extend_schema(request=s.AlertActionSerializer, responses=s.AlertSerializer, operation_id="alerts_record_action")
    @action(detail=True, methods=["post"], url_path="action")
    def record_action(self, request: Request, pk: str) -> Response:
        alert = alert_for_staff(request.user, id_or_404(pk))
        serializer = s.AlertActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_action(actor=request.user, alert=alert, **serializer.validated_data)
        return Response(self._render([alert])[0])

    @extend_schema(request=s.AlertCloseSerializer, responses=s.AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        alert = alert_for_staff(request.user, id_or_404(pk))
        serializer = s.AlertCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_close(actor=request.user, alert=alert, **serializer.validated_data)
        return Response(self._render([alert])[0])


class HelpView(ApiView):
    """ "I need help now": tells the key worker and whoever is on duty at once; answers with crisis lines."""

    @extend_schema(request=s.HelpInputSerializer, responses={201: s.SupportSerializer})
    def post(self, request: Request) -> Response:
        case = own_case(request.user, "ask for help")
        serializer = s.HelpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.help_request(actor=request.user, case=case, request_id=serializer.validated_data.get("id"))
        body = output_for(request.user, s.SupportSerializer)(_support(outcome)).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- Questionnaires ----------------------------------------------------------------------------


class InstrumentViewSet(ApiViewSet):
    """Questionnaire definitions: shipped ones and those the project loaded. The current version's items and rules."""

    serializer_class = s.InstrumentSerializer
    pagination_class = None

    queryset = selectors.Instrument.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.instruments_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        instruments = list(self.get_queryset())
        context = {"versions": selectors.latest_versions(instruments)}
        return Response(output_for(request.user, s.InstrumentSerializer)(instruments, many=True, context=context).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        instrument = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if instrument is None:
            raise NotFound()
        context = {"versions": selectors.latest_versions([instrument])}
        return Response(output_for(request.user, s.InstrumentSerializer)(instrument, context=context).data)

    @extend_schema(request=s.InstrumentImportSerializer, responses={201: s.InstrumentVersionSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_definition(self, request: Request) -> Response:
        managed_project_seats(request.user)  # who is asking, before what they sent
        serializer = s.InstrumentImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = project_for_staff(request.user, data.pop("organisation", None), *MANAGER_ROLES)
        version = questionnaires.instrument_import(actor=request.user, organisation=organisation, **data)
        return Response(s.InstrumentVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class AssignmentFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    instrument = IdFilter(field_name="instrument_id")

    class Meta:
        model = selectors.Assignment
        fields = ["case", "status", "instrument"]


class AssignmentViewSet(ApiViewSet):
    """Questionnaires due for young people. Staff assign (at assessment, repeating every 6 months by default)."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    audited_read = {"list": "assignment.list", "retrieve": "assignment.read"}

    queryset = selectors.Assignment.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.assignments_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, s.AssignmentSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        assignment = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if assignment is None:
            raise NotFound()
        return Response(output_for(request.user, s.AssignmentSerializer)(assignment).data)

    @extend_schema(request=s.AssignmentSerializer, responses={201: s.AssignmentSerializer})
    def create(self, request: Request) -> Response:
        project_seats(request.user)  # who is asking, before what they sent
        serializer = s.AssignmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_for_editor(request.user, id_or_404(data.pop("case_id")))
        instrument = instrument_usable_by(request.user, id_or_404(data.pop("instrument_id")), case.organisation_id)
        assignment = questionnaires.assignment_create(actor=request.user, case=case, instrument=instrument, **data)
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        assignment = assignment_for_staff(request.user, id_or_404(pk))
        assignment = questionnaires.assignment_cancel(actor=request.user, assignment=assignment)
        return Response(output_for(request.user, s.AssignmentSerializer)(assignment).data)


class ResponseFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = selectors.QuestionnaireResponse
        fields = ["case"]


class ResponseViewSet(ApiViewSet):
    """Answers to questionnaires, scored on submission against the version that was shown."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = s.ResponseSerializer
    audited_read = {
        "list": "questionnaire_response.list",
        "retrieve": "questionnaire_response.read",
        "scores": "questionnaire_scores.read",
    }
    filterset_class = ResponseFilter

    queryset = selectors.QuestionnaireResponse.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.responses_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(output_for(request.user, s.ResponseSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        response = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if response is None:
            raise NotFound()
        return Response(output_for(request.user, s.ResponseSerializer)(response).data)

    @extend_schema(request=s.ResponseInputSerializer, responses={201: s.ResponseResultSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.ResponseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = assignment_for_answerer(request.user, data["assignment"])
        version = None
        if "version" in data:
            version = InstrumentVersion.objects.filter(
                instrument_id=assignment.instrument_id, number=data["version"]
            ).first()
            if version is None:
                raise ServiceError("That version of the questionnaire does not exist.", field="version")
        response, outcome = questionnaires.response_submit(
            actor=request.user, assignment=assignment, answers=data["answers"], version=version
        )
        result = {"response": response, "support": _support(outcome)}
        body = output_for(request.user, s.ResponseResultSerializer)(result).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[CASE_PARAM], responses=s.ScoreSummarySerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def scores(self, request: Request) -> Response:
        case = _case_from_query(request)
        self.object = case
        scores = selectors.scores_for_case(case)
        return Response(output_for(request.user, s.ScoreSummarySerializer)(scores, many=True).data)
