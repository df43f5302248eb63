from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Young carer records"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases.models import CaringRole, Consent, YoungCarer

        auditlog.register(YoungCarer)
        auditlog.register(CaringRole)
        auditlog.register(Consent)
