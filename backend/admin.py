"""The Django admin, for staff with MFA only (the same rule as case data)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest


class MFAAdminSite(admin.AdminSite):
    site_header = "Young carers administration"
    site_title = "Young carers admin"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        from allauth.mfa.models import Authenticator

        has_totp = Authenticator.objects.filter(user_id=request.user.pk, type=Authenticator.Type.TOTP).exists()
        return has_totp or settings.DEMO_RELAX_MFA
