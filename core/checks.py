"""Start-up checks (Django's system checks framework)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def demo_mfa_relaxation_only_in_debug(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.DEMO_RELAX_MFA:
        return [
            checks.Warning(
                "DEMO_RELAX_MFA is on: staff can read case data without MFA. Demo only.",
                id="core.W001",
            )
        ]
    return []
