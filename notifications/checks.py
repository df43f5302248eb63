"""Start-up checks: a push configuration that cannot work stops the deploy, naming what is wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.compatibility)
def check_push_transport(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.PUSH_TRANSPORT != "fcm":
        return []
    if not settings.FCM_CREDENTIALS:
        return [
            checks.Error(
                "PUSH_TRANSPORT is 'fcm' but FCM_CREDENTIALS (or FCM_CREDENTIALS_FILE) is empty.",
                id="notifications.E001",
            )
        ]
    from notifications.transports.fcm import service_account_info

    try:
        info = service_account_info(settings.FCM_CREDENTIALS)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="notifications.E002")]
    if not (settings.FCM_PROJECT_ID or info.get("project_id")):
        return [
            checks.Error(
                "FCM_PROJECT_ID is empty and the service account names no project_id.", id="notifications.E003"
            )
        ]
    return []


@checks.register()
def check_kinds(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every declared kind's texts must be format strings (a typo in a brace fails here, not at 3am).

    The discreet texts must not be empty: they are all a young carer's lock screen ever shows.
    """
    from string import Formatter

    from notifications.kinds import KINDS

    errors: list[checks.CheckMessage] = []
    for kind in KINDS.values():
        for label in ("title", "body", "deep_link", "discreet_title", "discreet_body"):
            try:
                list(Formatter().parse(str(getattr(kind, label))))
            except ValueError as exc:
                errors.append(checks.Error(f"notification kind {kind.name!r} {label}: {exc}", id="notifications.E010"))
        for label in ("discreet_title", "discreet_body"):
            if not str(getattr(kind, label)).strip():
                errors.append(
                    checks.Error(f"notification kind {kind.name!r} has an empty {label}.", id="notifications.E011")
                )
    return errors
