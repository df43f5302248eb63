from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from django.db import transaction
from django.http import HttpRequest, JsonResponse

from accounts.services import invitation_redeem
from core.clientip import client_ip
from core.errors import ServiceError


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is by invitation only: the user row and the invitation's redemption commit together.

    Rate limits key on the real client address (``core.clientip``), never on a header a client can set.
    """

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request) or "unknown"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed sign-ins count per account *from one address*: a stranger elsewhere cannot lock a worker out.

        ``pre_authenticate`` adds a looser per-account limit across all addresses.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=account_key
        )
        if not self._account_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def _rollback_login_failed_rl_usage(self) -> None:
        """A successful sign-in gives back what it consumed, as allauth does for its own limits."""
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()

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
