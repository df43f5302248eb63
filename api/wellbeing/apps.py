from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "api.wellbeing"
    label = "wellbeing"
    verbose_name = "Check-ins, questionnaires and safeguarding alerts"
