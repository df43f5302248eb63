from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.db import transaction
from django.http import HttpRequest, JsonResponse

from accounts.services import invitation_redeem
from core.errors import ServiceError


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is by invitation only: the user row and the invitation's redemption commit together."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True  # the sign-up form itself demands a valid invitation

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        token = form.cleaned_data.get("invitation", "")
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True)
                first, last = form.cleaned_data.get("first_name"), form.cleaned_data.get("last_name")
                if first or last:
                    user.first_name, user.last_name = first or user.first_name, last or user.last_name
                    user.save(update_fields=["first_name", "last_name"])
                invitation_redeem(token=token, user=user)
        except ServiceError as exc:
            param = exc.field or "invitation"
            body = {"status": 400, "errors": [{"message": exc.message, "code": exc.code, "param": param}]}
            raise ImmediateHttpResponse(JsonResponse(body, status=400)) from exc
        return user
