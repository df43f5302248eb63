from django.contrib import admin

from audit.models import AuditEntry

# auditlog registers its own admin for the swapped model; ours is read-only.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["timestamp", "actor_email", "action", "event", "content_type", "object_repr", "client"]
    list_filter = ["action", "client", "content_type"]
    search_fields = ["actor_email", "object_repr", "event"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
