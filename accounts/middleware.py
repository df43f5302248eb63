"""The staff idle timeout for browser sessions (the admin, allauth's pages, the portal)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.sessions import idle_expired


class StaffIdleTimeoutMiddleware:
    """Signs out a staff browser session left idle too long, before any view sees it.

    Token requests (app session token, JWT) are timed out by their DRF authentication classes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and idle_expired(request.session, user):
            logout(request)
        return self.get_response(request)
