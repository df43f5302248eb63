"""Response headers django-csp does not cover: Permissions-Policy, and no-store on personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Adds ``Permissions-Policy`` to every response and ``Cache-Control: no-store`` under the API paths.

    Every /api/ and /_allauth/ response may name a child or a worker, so none may be kept by a
    browser cache or a shared proxy; one rule by path is simpler to trust than one per view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path_info.startswith(tuple(settings.NO_STORE_PATH_PREFIXES)):
            patch_cache_control(response, no_store=True)  # keeps what a view said ("private"); no-store wins anyway
        return response
