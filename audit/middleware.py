from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import audit_context
from core.clientip import client_ip


def client_of(request: HttpRequest) -> str:
    """Which kind of client made the request: the app (token auth), a browser, or the admin."""
    if request.path.startswith("/admin/"):
        return "admin"
    if request.headers.get("X-Session-Token") or request.headers.get("Authorization", "").startswith("Bearer "):
        return "app"
    if request.path.startswith("/_allauth/app/"):
        return "app"
    return "browser"


class AuditContextMiddleware:
    """Records the client, address and user agent of each request for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with audit_context(
            actor=actor,
            client=client_of(request),
            remote_addr=client_ip(request) or None,
            user_agent=request.headers.get("User-Agent", "")[:255],
        ):
            return self.get_response(request)
