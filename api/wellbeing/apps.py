from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "api.wellbeing"
    label = "wellbeing"
    verbose_name = "Check-ins, questionnaires and safeguarding alerts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from api.wellbeing import models, tasks  # noqa: F401 - tasks registers the periodic jobs

        auditlog.register(models.CheckIn, exclude_fields=["words"])
        auditlog.register(models.MoodTag)
        auditlog.register(models.RiskPhrase)
        auditlog.register(models.Instrument)
        auditlog.register(models.InstrumentVersion, exclude_fields=["definition"])
        auditlog.register(models.Assignment)
        auditlog.register(models.QuestionnaireResponse)
        auditlog.register(models.Alert)
