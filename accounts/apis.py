"""HTTP for me/, organisations/ and invitations/."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services
from accounts.access import access_for, require_inviter
from accounts.delivery import render_letter_pdf
from accounts.models import MANAGING_ROLES, Invitation, Membership, Organisation
from accounts.selectors import invitations_visible_to, members_of, organisations_visible_to
from accounts.serializers import (
    InvitationCreatedSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    MeSerializer,
    MeUpdateSerializer,
    OnDutySerializer,
    OrganisationMemberSerializer,
    OrganisationSerializer,
)
from cases.access import case_for_editor
from core.audiences import output_for
from core.errors import NotFound
from core.views import ApiView, ApiViewSet, actor, id_or_404


class MeView(ApiView):
    """The signed-in person: who they are, their organisations and roles, or their young carer record's id."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(output_for(request.user, MeSerializer)(actor(request)).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=actor(request), **serializer.validated_data)
        return Response(output_for(request.user, MeSerializer)(user).data)


class OrganisationViewSet(ApiViewSet):
    """Organisations you belong to; their managers list the members, end a membership and set who is on duty."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()  # for the schema; requests use get_queryset()

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_visible_to(actor(self.request)).order_by("name", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(output_for(request.user, OrganisationSerializer)(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        organisation = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if organisation is None:
            raise NotFound()
        return Response(output_for(request.user, OrganisationSerializer)(organisation).data)

    @extend_schema(responses=OrganisationMemberSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str) -> Response:
        organisation = self._managed(pk)
        page = self.paginate_queryset(members_of(actor(request), organisation))
        return self.get_paginated_response(OrganisationMemberSerializer(page, many=True).data)

    @extend_schema(request=None, responses=OrganisationMemberSerializer)
    @action(detail=True, methods=["post"], url_path=r"members/(?P<membership_id>\d+)/end")
    def end_membership(self, request: Request, pk: str, membership_id: str) -> Response:
        membership = self._membership(pk, membership_id)
        membership = services.membership_end(actor=actor(request), membership=membership)
        return Response(OrganisationMemberSerializer(membership).data)

    @extend_schema(request=OnDutySerializer, responses=OrganisationMemberSerializer)
    @action(detail=True, methods=["post"], url_path=r"members/(?P<membership_id>\d+)/on-duty")
    def on_duty(self, request: Request, pk: str, membership_id: str) -> Response:
        membership = self._membership(pk, membership_id)
        serializer = OnDutySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_set_on_duty(
            actor=actor(request), membership=membership, on_duty=serializer.validated_data["is_on_duty"]
        )
        return Response(OrganisationMemberSerializer(membership).data)

    def _managed(self, pk: Any) -> Organisation:
        organisation_id = id_or_404(pk)
        if not (
            self.request.user.is_superuser or access_for(self.request.user).holds(organisation_id, *MANAGING_ROLES)
        ):
            raise NotFound()
        return Organisation.objects.get(pk=organisation_id)

    def _membership(self, pk: Any, membership_id: Any) -> Membership:
        organisation = self._managed(pk)
        membership = (
            Membership.objects.select_related("user")
            .filter(organisation=organisation, pk=id_or_404(membership_id))
            .first()
        )
        if membership is None:
            raise NotFound()
        return membership


class InvitationViewSet(ApiViewSet):
    """Invitations to sign up: staff to an organisation, a young person to their record. The code is shown once."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()  # for the schema; requests use get_queryset()
    audited_read = {"list": "invitation.list", "retrieve": "invitation.read"}

    def get_queryset(self) -> QuerySet[Invitation]:
        return invitations_visible_to(actor(self.request))

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(InvitationSerializer(self._get(pk)).data)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationCreatedSerializer})
    def create(self, request: Request) -> Response:
        require_inviter(request.user)
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["kind"] == Invitation.Kind.YOUNG_CARER:
            case = case_for_editor(request.user, data["case"])
            invitation, token = services.invitation_create_for_young_carer(
                actor=actor(request), case=case, email=data["email"]
            )
        else:
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                raise NotFound()
            invitation, token = services.invitation_create_for_staff(
                actor=actor(request), organisation=organisation, role=data["role"], email=data["email"]
            )
        # An emailed code goes to the invitee alone, so the address on the invitation is proven at sign-up.
        invitation.token = None if invitation.email else token  # type: ignore[attr-defined]
        return Response(InvitationCreatedSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["post"])
    def letter(self, request: Request, pk: str) -> HttpResponse:
        """A printable letter with a fresh code and its QR code, for a young person without email.
        The code it replaces stops working."""
        invitation, token = services.invitation_reissue_code(actor=actor(request), invitation=self._get(pk))
        response = HttpResponse(render_letter_pdf(invitation, token), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="invitation-{invitation.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        invitation = services.invitation_revoke(actor=actor(request), invitation=self._get(pk))
        return Response(InvitationSerializer(invitation).data)

    def _get(self, pk: Any) -> Invitation:
        invitation = self.get_queryset().filter(pk=id_or_404(pk)).first()
        if invitation is None:
            raise NotFound()
        return invitation
