"""HTTP for the schools module: thin views over schools.selectors and schools.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from accounts.access import (
    CaseDataPermission,
    access_for,
    chosen_or_only,
    managed_project_seats,
    refuse_move,
    school_seats,
)
from accounts.models import Organisation
from core.errors import NotFound, ServiceError
from core.filters import IdFilter
from core.schema import AnyOfProxySerializer
from core.views import ApiViewSet, FileResponseMixin, actor, id_or_404
from schools import access, files, selectors
from schools import serializers as s
from schools.models import (
    EvidenceItem,
    Presentation,
    Referral,
    ReferralAttachment,
    SelfIdentification,
    ToolkitResource,
    ToolkitVersion,
)
from schools.qr import qr_png, qr_svg
from schools.services import presentations as presentation_services
from schools.services import referrals as referral_services
from schools.services import schools as school_services
from schools.services import toolkit as toolkit_services
from schools.throttles import SelfIdentificationBurstThrottle, SelfIdentificationThrottle

UPLOADS = [MultiPartParser]  # files arrive as multipart; every other endpoint takes JSON only
QR_FORMATS = ("png", "svg")


def _private_file(file: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Schools --------------------------------------------------------------------------------------


class SchoolFilter(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    urn = filters.CharFilter(field_name="urn")
    phase = filters.CharFilter(field_name="school_profile__phase")
    local_authority = filters.CharFilter(field_name="school_profile__local_authority", lookup_expr="iexact")

    class Meta:
        model = Organisation
        fields = ["q", "urn", "phase", "local_authority"]


class SchoolViewSet(ApiViewSet):
    """Schools. Staff of a school see their own school(s); project staff and commissioners see the register."""

    serializer_class = s.SchoolSerializer
    queryset = Organisation.objects.none()  # for the schema; get_queryset scopes every request
    audited_read = {"dashboard": "referral.dashboard"}
    filterset_class = SchoolFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.schools_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(s.SchoolSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        school = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if school is None:
            raise NotFound()
        return Response(s.SchoolSerializer(school).data)

    @extend_schema(request=s.SchoolUpdateSerializer, responses=s.SchoolSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        school = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if school is None:
            raise NotFound()
        serializer = s.SchoolUpdateSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        school_services.school_profile_update(actor=actor(request), school=school, **serializer.validated_data)
        school = self.get_queryset().get(pk=school.pk)
        return Response(s.SchoolSerializer(school).data)

    @extend_schema(responses=s.SchoolDashboardSerializer)
    @action(detail=True, methods=["get"], permission_classes=[CaseDataPermission])  # MFA before the lookup
    def dashboard(self, request: Request, pk: str) -> Response:
        school = access.school_for_reader(request.user, pk)
        referred = selectors.referred_pupils(request.user, school)
        self.object_list = referred
        return Response(selectors.school_dashboard(request.user, school, referred))

    @extend_schema(methods=["get"], responses=s.OrganisationRefSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.SchoolProjectLinkSerializer, responses={201: s.SchoolProjectLinkStatusSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def projects(self, request: Request, pk: str) -> Response:
        """GET: the projects the school works with (referrals and presentation requests go to one of them).
        POST: a project manager asks to serve the school; the school's lead accepts or declines."""
        school = self._visible(pk)
        if request.method == "GET":
            return Response(s.OrganisationRefSerializer(selectors.projects_serving(school), many=True).data)
        serializer = s.SchoolProjectLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = access.project_for_manager(request.user, serializer.validated_data["project"])
        link = school_services.school_project_request(actor=actor(request), school=school, project=project)
        return Response(s.SchoolProjectLinkStatusSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.SchoolProjectLinkStatusSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="project-links", pagination_class=None)
    def project_links(self, request: Request, pk: str) -> Response:
        """Every request and link with its status: the school's staff see all, a project's staff their own."""
        school = self._visible(pk)
        links = selectors.project_links_visible_to(request.user, school)
        return Response(s.SchoolProjectLinkStatusSerializer(links, many=True).data)

    @extend_schema(request=None, responses=s.SchoolProjectLinkStatusSerializer)
    @action(detail=True, methods=["post"], url_path=r"projects/(?P<project_id>\d+)/accept")
    def accept_project(self, request: Request, pk: str, project_id: str) -> Response:
        """The school's lead or admin agrees to work with the project."""
        link = access.project_link_for_school_decider(request.user, pk, project_id)
        link = school_services.school_project_accept(actor=actor(request), link=link)
        return Response(s.SchoolProjectLinkStatusSerializer(link).data)

    @extend_schema(request=None, responses=s.SchoolProjectLinkStatusSerializer)
    @action(detail=True, methods=["post"], url_path=r"projects/(?P<project_id>\d+)/decline")
    def decline_project(self, request: Request, pk: str, project_id: str) -> Response:
        """The school's lead or admin declines a request, or ends a link they had accepted."""
        link = access.project_link_for_school_decider(request.user, pk, project_id)
        link = school_services.school_project_decline(actor=actor(request), link=link)
        return Response(s.SchoolProjectLinkStatusSerializer(link).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"projects/(?P<project_id>\d+)")
    def unlink_project(self, request: Request, pk: str, project_id: str) -> Response:
        """The project's manager withdraws its request, or either side ends the link."""
        link = access.project_link_for_either_side(request.user, pk, project_id)
        school_services.school_project_end(actor=actor(request), link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _visible(self, pk: Any) -> Organisation:
        school = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if school is None:
            raise NotFound()
        return school


# --- Referrals -------------------------------------------------------------------------------------


class ReferralFilter(filters.FilterSet):
    # Plain ids: an unknown school or project and one the actor may not see both give an empty list.
    school = IdFilter(field_name="school_id")
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Referral
        fields = ["status", "school", "project"]


# A download answers with the type the upload's bytes showed (schools.files), not a generic octet-stream.
DOWNLOAD: dict[Any, Any] = {(200, content_type): OpenApiTypes.BINARY for content_type in files.STORED_TYPES}

# The referring school reads what it sent; the project's workers read it in full (with attachments, one at a time).
REFERRAL_FOR_READER = AnyOfProxySerializer(
    component_name="ReferralForReader",
    serializers=[s.ReferralProjectDetailSerializer, s.ReferralSchoolSerializer],
    resource_type_field_name=None,
)
REFERRAL_ROW_FOR_READER = AnyOfProxySerializer(
    component_name="ReferralRowForReader",
    serializers=[s.ReferralProjectSerializer, s.ReferralSchoolSerializer],
    resource_type_field_name=None,
    many=True,
)


class ReferralViewSet(ApiViewSet):
    """Staff referrals. The referring school's staff see what they sent, its status and the project's message;
    the project's workers triage it. Workflow steps are POST actions."""

    permission_classes = [CaseDataPermission]  # MFA decided before any lookup or body

    serializer_class = s.ReferralSchoolSerializer
    queryset = Referral.objects.none()
    audited_read = {
        "list": "referral.list",
        "retrieve": "referral.read",
        "attachments": "referral.attachment.list",
        "download_attachment": "referral.attachment.download",
        "queue": "referral.queue",
        "duplicates": "referral.duplicates",
    }
    filterset_class = ReferralFilter

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_visible_to(self.request.user)

    def _out(self, referral: Referral) -> dict[str, Any]:
        if access.sees_referral_in_full(self.request.user, referral):
            return s.ReferralProjectDetailSerializer(referral).data
        return s.ReferralSchoolSerializer(referral).data

    @extend_schema(responses=REFERRAL_ROW_FOR_READER)
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        in_full = [access.sees_referral_in_full(request.user, referral) for referral in page]
        # One serializer per kind of row (building serializer fields is the expensive part), then back in order.
        full = iter(s.ReferralProjectSerializer([r for r, f in zip(page, in_full, strict=True) if f], many=True).data)
        brief = iter(
            s.ReferralSchoolSerializer([r for r, f in zip(page, in_full, strict=True) if not f], many=True).data
        )
        rows = [next(full) if f else next(brief) for f in in_full]
        return self.get_paginated_response(rows)

    @extend_schema(responses=REFERRAL_FOR_READER)
    def retrieve(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_reader(request.user, pk)
        self.object = referral
        return Response(self._out(referral))

    @extend_schema(request=s.ReferralWriteSerializer, responses={201: s.ReferralSchoolSerializer})
    def create(self, request: Request) -> Response:
        """Save a draft. Submit it with POST /referrals/{id}/submit/."""
        seats = school_seats(request.user)
        serializer = s.ReferralWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = chosen_or_only(data.pop("school", None), seats, field="school", label="school")
        referral = referral_services.referral_create(actor=actor(request), school=school, **data)
        return Response(s.ReferralSchoolSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReferralWriteSerializer, responses=s.ReferralSchoolSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_school_editor(request.user, pk)
        serializer = s.ReferralWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_move(data, "school")
        referral = referral_services.referral_update(actor=actor(request), referral=referral, **data)
        return Response(s.ReferralSchoolSerializer(referral).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_school_editor(request.user, pk)
        referral_services.referral_delete_draft(actor=actor(request), referral=referral)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.ReferralSchoolSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_school_editor(request.user, pk)
        referral = referral_services.referral_submit(actor=actor(request), referral=referral)
        return Response(s.ReferralSchoolSerializer(referral).data)

    @extend_schema(methods=["get"], responses=s.ReferralAttachmentSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": s.ReferralAttachmentUploadSerializer},
        responses={201: s.ReferralAttachmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, parser_classes=UPLOADS)
    def attachments(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            referral = access.referral_for_reader(request.user, pk)
            return Response(s.ReferralAttachmentSerializer(referral.attachments.all(), many=True).data)
        referral = access.referral_for_school_editor(request.user, pk)
        serializer = s.ReferralAttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = referral_services.attachment_add(
            actor=actor(request),
            referral=referral,
            upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
        )
        return Response(s.ReferralAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DOWNLOAD)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)/download")
    def download_attachment(self, request: Request, pk: str, attachment_id: str) -> FileResponse:
        referral = access.referral_for_reader(request.user, pk)
        attachment = ReferralAttachment.objects.filter(referral=referral, pk=attachment_id).first()
        if attachment is None:
            raise NotFound()
        self.object = attachment
        return _private_file(attachment.file, attachment.original_name, attachment.content_type)

    # -- triage --------------------------------------------------------------------------------------
    @extend_schema(responses=s.ReferralQueueItemSerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=ReferralFilter)
    def queue(self, request: Request) -> Response:
        """Open referrals to your projects, longest waiting first (filters as for the list)."""
        page = self.paginate_queryset(self.filter_queryset(selectors.triage_queue(request.user)))
        assert page is not None
        return self.get_paginated_response(s.ReferralQueueItemSerializer(page, many=True).data)

    @extend_schema(responses=s.ReferralDuplicateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicates(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_triage(request.user, pk)
        self.object = referral  # the matches are plain rows; the trail names the referral they were read for
        return Response(s.ReferralDuplicateSerializer(selectors.possible_duplicates(referral), many=True).data)

    @extend_schema(request=s.ReferralMessageSerializer, responses=s.ReferralProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_triage(request.user, pk)
        data = self._valid(s.ReferralMessageSerializer)
        return Response(
            self._out(referral_services.referral_acknowledge(actor=actor(request), referral=referral, **data))
        )

    @extend_schema(request=s.ReferralAcceptSerializer, responses=s.ReferralProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_triage(request.user, pk)
        data = self._valid(s.ReferralAcceptSerializer)
        return Response(self._out(referral_services.referral_accept(actor=actor(request), referral=referral, **data)))

    @extend_schema(request=s.ReferralSignpostSerializer, responses=s.ReferralProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def signpost(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_triage(request.user, pk)
        data = self._valid(s.ReferralSignpostSerializer)
        return Response(self._out(referral_services.referral_signpost(actor=actor(request), referral=referral, **data)))

    @extend_schema(request=s.ReferralDeclineSerializer, responses=s.ReferralProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        referral = access.referral_for_triage(request.user, pk)
        data = self._valid(s.ReferralDeclineSerializer)
        return Response(self._out(referral_services.referral_decline(actor=actor(request), referral=referral, **data)))

    @extend_schema(request=s.ReferralMergeSerializer, responses=s.ReferralProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge this referral (a duplicate) into ``into``; returns the kept referral."""
        referral = access.referral_for_triage(request.user, pk)
        data = self._valid(s.ReferralMergeSerializer)
        into = access.referral_for_triage(request.user, data.pop("into"))
        kept = referral_services.referral_merge(actor=actor(request), referral=referral, into=into, **data)
        return Response(self._out(kept))

    def _valid(self, serializer_class: type[Any]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


# --- Presentations ---------------------------------------------------------------------------------


class PresentationFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id")
    project = IdFilter(field_name="project_id")

    class Meta:
        model = Presentation
        fields = ["status", "school", "project", "audience"]


class PresentationViewSet(FileResponseMixin, ApiViewSet):
    """Awareness presentations: requested by schools, scheduled and delivered by project workers."""

    serializer_class = s.PresentationSerializer
    queryset = Presentation.objects.none()
    filterset_class = PresentationFilter

    def get_queryset(self) -> QuerySet[Presentation]:
        return selectors.presentations_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(s.PresentationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.PresentationSerializer(access.presentation_for_reader(request.user, pk)).data)

    @extend_schema(request=s.PresentationRequestSerializer, responses={201: s.PresentationSerializer})
    def create(self, request: Request) -> Response:
        access.require_school_or_project_staff(request.user)
        serializer = s.PresentationRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        presentation = presentation_services.presentation_request(actor=actor(request), **serializer.validated_data)
        return Response(s.PresentationSerializer(presentation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PresentationScheduleSerializer, responses=s.PresentationSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str) -> Response:
        presentation = access.presentation_for_worker(request.user, pk)
        serializer = s.PresentationScheduleSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        presentation = presentation_services.presentation_schedule(
            actor=actor(request), presentation=presentation, **serializer.validated_data
        )
        return Response(s.PresentationSerializer(presentation).data)

    @extend_schema(request=s.PresentationDeliverSerializer, responses=s.PresentationSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        presentation = access.presentation_for_worker(request.user, pk)
        serializer = s.PresentationDeliverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        presentation = presentation_services.presentation_deliver(
            actor=actor(request), presentation=presentation, **serializer.validated_data
        )
        return Response(s.PresentationSerializer(presentation).data)

    @extend_schema(request=s.PresentationCancelSerializer, responses=s.PresentationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        presentation = access.presentation_for_reader(request.user, pk)
        serializer = s.PresentationCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        presentation = presentation_services.presentation_cancel(
            actor=actor(request), presentation=presentation, **serializer.validated_data
        )
        return Response(s.PresentationSerializer(presentation).data)

    @extend_schema(responses=s.PresentationImpactSerializer)
    @action(detail=True, methods=["get"])
    def impact(self, request: Request, pk: str) -> Response:
        """Self-identifications and referrals from the school 4, 8 and 12 weeks after, against as long before."""
        presentation = access.presentation_for_reader(request.user, pk)
        impact = selectors.presentation_impact([presentation]).get(presentation.pk)
        if impact is None:
            raise ServiceError("The presentation has not been delivered yet.", code="not_delivered", status_code=409)
        return Response(s.PresentationImpactSerializer(impact).data)

    @extend_schema(
        parameters=[OpenApiParameter("as", str, enum=[*QR_FORMATS], description="Image format (default png)")],
        responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def qr(self, request: Request, pk: str) -> HttpResponse:
        """The QR code of the self-identification link, to show at the end of the presentation."""
        presentation = access.presentation_for_reader(request.user, pk)
        url = s.self_identification_url(presentation)
        image_format = request.query_params.get("as", "png")
        if image_format not in QR_FORMATS:
            raise ServiceError("Choose png or svg.", code="invalid", field="as")
        if image_format == "svg":
            return HttpResponse(qr_svg(url), content_type="image/svg+xml")
        return HttpResponse(qr_png(url), content_type="image/png")


# --- Self-identification ------------------------------------------------------------------------------


class SelfIdentificationFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id")
    presentation = IdFilter(field_name="presentation_id")

    class Meta:
        model = SelfIdentification
        fields = ["status", "school", "presentation"]


class SelfIdentificationViewSet(ApiViewSet):
    """Pupils say "I think I'm a young carer" with no account (POST, anonymous, through a presentation's token);
    the school's staff and the project read and follow up."""

    serializer_class = s.SelfIdentificationSerializer
    queryset = SelfIdentification.objects.none()
    audited_read = {"list": "self_identification.list", "retrieve": "self_identification.read"}
    filterset_class = SelfIdentificationFilter

    def get_permissions(self) -> Any:
        if self.action in ("create", "form"):
            return [AllowAny()]
        return super().get_permissions()

    def get_authenticators(self) -> list[Any]:
        # The anonymous form ignores any credentials a shared school computer happens to send.
        if getattr(self, "action", None) in ("create", "form"):
            return []
        return super().get_authenticators()

    def get_throttles(self) -> list[BaseThrottle]:
        if self.action in ("create", "form"):
            return [SelfIdentificationThrottle(), SelfIdentificationBurstThrottle()]
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[SelfIdentification]:
        return selectors.self_identifications_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        return self.get_paginated_response(s.SelfIdentificationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = access.self_identification_for_reader(request.user, pk)
        return Response(s.SelfIdentificationSerializer(item).data)

    @extend_schema(responses=s.SelfIdentificationFormSerializer, auth=[])
    @action(detail=False, methods=["get"], url_path=r"form/(?P<token>[\w-]{8,64})")
    def form(self, request: Request, token: str) -> Response:
        """Open the form: which school it is for, and the signed start time to send back."""
        presentation = presentation_services.open_presentation(token)
        return Response(
            {
                "school_name": presentation.school.name,
                "form_started": presentation_services.form_started_token(presentation),
            }
        )

    @extend_schema(
        request=s.SelfIdentificationSubmitSerializer, responses={201: s.SelfIdentificationReceiptSerializer}, auth=[]
    )
    def create(self, request: Request) -> Response:
        serializer = s.SelfIdentificationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        presentation_services.self_identification_submit(honeypot=data.pop("website"), **data)
        receipt = {"received": True, "message": "Thank you. Someone from school will talk to you soon, in private."}
        return Response(receipt, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SelfIdentificationFollowUpSerializer, responses=s.SelfIdentificationSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        item = access.self_identification_for_reader(request.user, pk)
        serializer = s.SelfIdentificationFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = presentation_services.self_identification_follow_up(
            actor=actor(request), item=item, **serializer.validated_data
        )
        return Response(s.SelfIdentificationSerializer(item).data)


# --- Toolkit ---------------------------------------------------------------------------------------


class ToolkitFilter(filters.FilterSet):
    audience = filters.CharFilter(method="filter_json_contains")
    standard = filters.CharFilter(method="filter_json_contains")

    class Meta:
        model = ToolkitResource
        fields = ["category", "audience", "standard"]

    def filter_json_contains(
        self, queryset: QuerySet[ToolkitResource], name: str, value: str
    ) -> QuerySet[ToolkitResource]:
        # JSON "contains" differs between SQLite and PostgreSQL; a quoted-code match on the text works on both.
        field = "audiences" if name == "audience" else "standards"
        return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


class ToolkitResourceViewSet(ApiViewSet):
    """Resources for schools: versioned files tagged by audience and Young Carers in Schools standard."""

    serializer_class = s.ToolkitResourceSerializer
    queryset = ToolkitResource.objects.none()
    filterset_class = ToolkitFilter

    def get_queryset(self) -> QuerySet[ToolkitResource]:
        latest = Prefetch(
            "versions", queryset=ToolkitVersion.objects.order_by("-number"), to_attr="prefetched_versions"
        )
        return selectors.toolkit_resources_visible_to(self.request.user).prefetch_related(latest)

    def _counts(self, resource_ids: list[int]) -> dict[int, int]:
        user_access = access_for(self.request.user)
        schools = None if user_access.project_ids or user_access.commissioner_ids else user_access.school_ids
        return selectors.download_counts(resource_ids, schools)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        context = {"download_counts": self._counts([r.pk for r in page])}
        return self.get_paginated_response(s.ToolkitResourceSerializer(page, many=True, context=context).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        resource = self._visible(pk)
        context = {"download_counts": self._counts([resource.pk])}
        return Response(s.ToolkitResourceSerializer(resource, context=context).data)

    @extend_schema(request=s.ToolkitResourceWriteSerializer, responses={201: s.ToolkitResourceSerializer})
    def create(self, request: Request) -> Response:
        managed = managed_project_seats(request.user)
        serializer = s.ToolkitResourceWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = chosen_or_only(data.pop("owner", None), managed, field="owner", label="project")
        resource = toolkit_services.resource_create(actor=actor(request), owner=owner, **data)
        return Response(s.ToolkitResourceSerializer(resource).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ToolkitResourceWriteSerializer, responses=s.ToolkitResourceSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        resource = self._visible(pk)
        serializer = s.ToolkitResourceWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        refuse_move(data, "owner")
        resource = toolkit_services.resource_update(actor=actor(request), resource=resource, **data)
        return Response(s.ToolkitResourceSerializer(self._visible(resource.pk)).data)

    @extend_schema(methods=["get"], responses=s.ToolkitVersionSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": s.ToolkitVersionUploadSerializer},
        responses={201: s.ToolkitVersionSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, parser_classes=UPLOADS)
    def versions(self, request: Request, pk: str) -> Response:
        resource = self._visible(pk)
        if request.method == "GET":
            return Response(s.ToolkitVersionSerializer(resource.versions.all(), many=True).data)
        serializer = s.ToolkitVersionUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = toolkit_services.version_add(
            actor=actor(request),
            resource=resource,
            upload=serializer.validated_data["file"],
            notes=serializer.validated_data["notes"],
        )
        return Response(s.ToolkitVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("school", int, description="The school downloading (needed if you work at several)"),
            OpenApiParameter("version", int, description="A version number (default: the latest)"),
        ],
        responses=DOWNLOAD,
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        resource = self._visible(pk)
        number = request.query_params.get("version")
        versions = resource.versions.all()
        version = versions.filter(number=id_or_404(number)).first() if number else versions.order_by("-number").first()
        if version is None:
            raise NotFound()
        toolkit_services.download_record(
            actor=actor(request), version=version, school=self._downloading_school(request)
        )
        return _private_file(version.file, version.original_name, version.content_type)

    @extend_schema(responses=s.ToolkitDownloadsBySchoolSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def downloads(self, request: Request, pk: str) -> Response:
        """Downloads per school (the owning project's staff)."""
        resource = self._visible(pk)
        if resource.owner_id not in access_for(request.user).project_ids:
            raise NotFound()
        return Response(s.ToolkitDownloadsBySchoolSerializer(selectors.downloads_by_school(resource), many=True).data)

    def _visible(self, pk: Any) -> ToolkitResource:
        resource = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if resource is None:
            raise NotFound()
        return resource

    @staticmethod
    def _downloading_school(request: Request) -> Organisation | None:
        school_ids = access_for(request.user).school_ids
        wanted = request.query_params.get("school")
        if wanted:
            return access.school_for_member(request.user, wanted)
        if len(school_ids) > 1:
            raise ServiceError("Say which school you are downloading for.", field="school")
        return Organisation.objects.get(pk=next(iter(school_ids))) if school_ids else None


class ToolkitProgressViewSet(ApiViewSet):
    """A school's progress on the five Young Carers in Schools standards, with anonymised evidence."""

    serializer_class = s.AwardStandardSerializer
    queryset = Organisation.objects.none()
    pagination_class = None

    @extend_schema(responses=s.AwardStandardSerializer(many=True))
    def retrieve(self, request: Request, pk: str) -> Response:
        school = access.school_for_reader(request.user, pk)
        return Response(s.AwardStandardSerializer(selectors.standards_progress(school), many=True).data)

    @extend_schema(request=s.AwardProgressSetSerializer, responses=s.AwardStandardSerializer(many=True))
    @action(detail=True, methods=["post"], url_path=r"standards/(?P<standard>[a-z]+)")
    def standard(self, request: Request, pk: str, standard: str) -> Response:
        school = access.school_for_member(request.user, pk)
        serializer = s.AwardProgressSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        toolkit_services.progress_set(
            actor=actor(request), school=school, standard=standard, **serializer.validated_data
        )
        return Response(s.AwardStandardSerializer(selectors.standards_progress(school), many=True).data)

    @extend_schema(request=s.AwardEvidenceSerializer, responses={201: s.AwardEvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str) -> Response:
        school = access.school_for_member(request.user, pk)
        serializer = s.AwardEvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = toolkit_services.evidence_add(actor=actor(request), school=school, **serializer.validated_data)
        return Response(s.AwardEvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"evidence/(?P<evidence_id>\d+)")
    def remove_evidence(self, request: Request, pk: str, evidence_id: str) -> Response:
        school = access.school_for_member(request.user, pk)
        item = EvidenceItem.objects.filter(school=school, pk=evidence_id).first()
        if item is None:
            raise NotFound()
        toolkit_services.evidence_remove(actor=actor(request), item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)
