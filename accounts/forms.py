"""Sign-up needs an invitation: allauth adds these fields to its (headless) sign-up input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accounts.services import InvitationInvalid, invitation_check


class InvitationSignupForm(forms.Form):
    invitation = forms.CharField(max_length=200, help_text="The code from the invitation.")
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        token = cleaned.get("invitation")
        if token:
            try:
                invitation_check(token, cleaned.get("email", "") or self.data.get("email", ""))
            except InvitationInvalid as exc:
                self.add_error(exc.field if exc.field in self.fields or exc.field == "email" else None, exc.message)
        return cleaned

    def signup(self, request: HttpRequest, user: Any) -> None:
        """The invitation is redeemed by the adapter, in the same transaction as the user row."""
