"""Browser sessions (the admin, allauth's pages, the portal): the second-factor mark and the staff idle timeout."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.credentials import mark_credential, session_passed_mfa
from accounts.sessions import idle_expired


class BrowserSessionMiddleware:
    """Before any view sees a cookie-signed-in user: mark whether the session passed the second factor, and sign
    out a staff session left idle too long.

    Marking here means no view, DRF or not, can read case data on an unmarked user. Token requests (app session
    token, JWT) are marked and timed out by their DRF authentication classes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark_credential(user, mfa_passed=session_passed_mfa(request.session, user))
            if idle_expired(request.session, user):
                logout(request)
        return self.get_response(request)
