import logging

from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts import receivers  # noqa: F401  (closes live sockets when a credential ends)
        from accounts.models import Invitation, Membership, Organisation

        auditlog.register(Organisation)
        auditlog.register(Membership)
        auditlog.register(Invitation, exclude_fields=["token_hash"])
        if settings.DEMO_RELAX_MFA:
            logging.getLogger("accounts").warning(
                "DEMO_RELAX_MFA is on: staff can read case data without MFA. This is the local demo only."
            )
