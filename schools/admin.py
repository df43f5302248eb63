from django.contrib import admin

from schools.models import Presentation, Referral, SchoolProfile, SchoolProject, ToolkitResource, ToolkitVersion


@admin.register(SchoolProfile)
class SchoolProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["organisation", "phase", "local_authority", "postcode", "award_level", "award_expires_on"]
    list_filter = ["phase", "award_level"]
    search_fields = ["organisation__name", "organisation__urn", "postcode"]
    raw_id_fields = ["organisation", "young_carers_lead"]


@admin.register(SchoolProject)
class SchoolProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["school", "project", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["school", "project", "requested_by", "decided_by"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Status and dates only: pupils' details are read through the API, where reads are audited."""

    list_display = ["id", "school", "project", "status", "submitted_at", "acknowledge_due_at", "decided_at"]
    list_filter = ["status"]
    fields = ("school", "project", "status", "submitted_at", "acknowledge_due_at", "acknowledged_at", "decided_at")
    readonly_fields = (
        "school",
        "project",
        "status",
        "submitted_at",
        "acknowledge_due_at",
        "acknowledged_at",
        "decided_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Presentation)
class PresentationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "school", "project", "status", "scheduled_for", "delivered_at", "attendance"]
    list_filter = ["status", "audience"]
    raw_id_fields = ["school", "project", "requested_by", "presenter"]
    exclude = ["token"]


class ToolkitVersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ToolkitVersion
    extra = 0
    fields = ("number", "original_name", "content_type", "size", "created_at")
    readonly_fields = ("number", "original_name", "content_type", "size", "created_at")


@admin.register(ToolkitResource)
class ToolkitResourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "category", "owner", "is_published"]
    list_filter = ["category", "is_published"]
    inlines = [ToolkitVersionInline]
