from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import require_case_data_access
from audit.models import AuditEntry
from audit.selectors import audit_entries_visible_to
from audit.serializers import AuditEntrySerializer
from core.filters import IdFilter
from core.views import ApiViewSet

# Entries show an action by its name ("access"), so the filter takes the same names.
ACTIONS = {str(label): value for value, label in AuditEntry.Action.choices}


class AuditFilter(filters.FilterSet):
    since = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt")
    actor = IdFilter(field_name="actor_id")
    case = IdFilter(field_name="case_id")
    action = filters.ChoiceFilter(choices=[(name, name) for name in ACTIONS], method="filter_action")
    model = filters.CharFilter(method="filter_model", label="app_label.model, e.g. cases.youngcarer")

    class Meta:
        model = AuditEntry
        fields = ["event", "client"]

    def filter_action(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return queryset.filter(action=ACTIONS[value])

    def filter_model(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        app_label, _, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_queryset(self, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Reading a page writes an entry per row shown; listed by default, those entries would push the page just
        read down onto the next one, so a reader could never page back. They are listed when asked for."""
        queryset = super().filter_queryset(queryset)
        asked = self.form.cleaned_data.get("model") == "audit.auditentry" or str(
            self.form.cleaned_data.get("event") or ""
        ).startswith("audit.")
        return queryset if asked else queryset.exclude(content_type=ContentType.objects.get_for_model(AuditEntry))


class AuditViewSet(ApiViewSet):
    """The audit trail of the organisations you manage (managers and admins only; MFA required).

    Entries of records you may not open show which fields changed but not their values (``values_hidden``)."""

    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.none()  # for the schema; requests use get_queryset()
    filterset_class = AuditFilter
    audited_read = {"list": "audit.list"}  # reading the trail is itself in the trail

    def get_queryset(self) -> QuerySet[AuditEntry]:
        require_case_data_access(self.request.user)
        return audit_entries_visible_to(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
