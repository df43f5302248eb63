"""Push transports behind one interface: ``get_transport().send(messages) -> results``."""

from __future__ import annotations

from django.conf import settings

from notifications.transports.base import Outcome, PushMessage, PushResult, Transport

__all__ = ["Outcome", "PushMessage", "PushResult", "Transport", "get_transport"]


def get_transport() -> Transport:
    """The transport ``settings.PUSH_TRANSPORT`` names: ``log`` (embedded default) or ``fcm``."""
    if settings.PUSH_TRANSPORT == "fcm":
        from notifications.transports.fcm import FcmTransport

        return FcmTransport.from_settings()
    from notifications.transports.log import LogTransport

    return LogTransport()
