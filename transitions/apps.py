from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transition to adulthood"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        import transitions.tasks  # noqa: F401 - registers the daily milestone job with the worker
        from transitions.models import Assessment, Handover, Milestone, Note, Plan, Transition

        for model in (Transition, Assessment, Plan, Handover, Milestone, Note):
            auditlog.register(model)
