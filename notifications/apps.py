from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from notifications import checks, receivers, tasks  # noqa: F401  (system checks; sign-out; periodic jobs)
        from notifications.models import Device, Notification, Preference

        # The token is a credential for pushing to a phone: never copied into the audit trail.
        auditlog.register(Device, exclude_fields=["token"])
        auditlog.register(Preference)
        auditlog.register(Notification, include_fields=["read_at"])
