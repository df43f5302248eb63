"""The Django admin: signed in through allauth (rate limits, second factor), for staff whose session passed MFA.

The admin's own login form would take a password alone and has no rate limit, so it is
replaced by a redirect to allauth's sign-in page, which asks for the second factor.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class MFAAdminSite(admin.AdminSite):
    site_header = "Young carers administration"
    site_title = "Young carers admin"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if settings.DEMO_RELAX_MFA:
            return True
        from allauth.mfa.models import Authenticator

        from accounts.credentials import session_passed_mfa  # not at import: the admin loads before the apps

        has_totp = Authenticator.objects.filter(user_id=request.user.pk, type=Authenticator.Type.TOTP).exists()
        return has_totp and session_passed_mfa(request.session, request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Send every sign-in to allauth's page, coming back to the admin page asked for."""
        default = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME, default)
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
            wanted = default
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({REDIRECT_FIELD_NAME: wanted})}")
