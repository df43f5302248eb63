"""Signing in starts the staff idle clock; ending a credential closes the live sockets that rode on it."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.sessions import mark_signed_in
from accounts.sockets import close_session_sockets_on_commit, close_user_sockets_on_commit


@receiver(user_logged_in)
def start_the_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        mark_signed_in(session)


@receiver(user_logged_out)
def close_the_sockets_of_the_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        close_session_sockets_on_commit(session.session_key)


@receiver(authenticator_removed)
def close_the_sockets_of_a_user_without_their_second_factor(sender: Any, user: Any, **kwargs: Any) -> None:
    close_user_sockets_on_commit(user.pk)
