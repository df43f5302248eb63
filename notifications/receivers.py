"""Signing out (allauth headless ``DELETE .../auth/session``, or the portal) removes the devices of that session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from notifications.services import devices_sign_out_session


@receiver(user_logged_out)
def remove_devices_of_the_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if user is not None and session is not None and session.session_key:
        devices_sign_out_session(user_id=user.pk, session_key=session.session_key)
