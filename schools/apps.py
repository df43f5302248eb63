from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        import schools.tasks  # noqa: F401 - registers the hourly overdue-referral job with the worker
        from schools import models

        for model in (
            models.SchoolProfile,
            models.SchoolProject,
            models.Referral,
            models.ReferralAttachment,
            models.Presentation,
            models.SelfIdentification,
            models.ToolkitResource,
            models.ToolkitVersion,
            models.StandardProgress,
            models.EvidenceItem,
        ):
            auditlog.register(model)
