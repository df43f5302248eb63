"""Sign-up needs an invitation: allauth adds these fields to its (headless) sign-up input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accounts.services import InvitationInvalid, invitation_check

TAKEN_MESSAGE = "This invitation cannot be used with this email address."


class InvitationSignupForm(forms.Form):
    invitation = forms.CharField(max_length=200, help_text="The code from the invitation.")
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        taken = self._drop_taken_email()
        token = cleaned.get("invitation")
        if token:
            try:
                invitation_check(token, cleaned.get("email", "") or self.data.get("email", ""))
            except InvitationInvalid as exc:
                self.add_error(exc.field if exc.field in self.fields or exc.field == "email" else None, exc.message)
                return cleaned
        if taken and not self.errors:  # otherwise the form fails already, exactly as for a new address
            self.add_error("email", forms.ValidationError(TAKEN_MESSAGE, code="invalid"))
        return cleaned

    def _drop_taken_email(self) -> bool:
        """allauth says "already registered" for an address with an account: with verification off, its
        enumeration prevention cannot hide that. Drop it, so a bad invitation answers exactly as for a new
        address, and a good one gets a message that does not say why."""
        errors = self.errors.get("email")  # inside clean(): the field errors so far, no second validation
        if errors and any(error.code == "email_taken" for error in errors.as_data()):
            del self.errors["email"]
            return True
        return False

    def signup(self, request: HttpRequest, user: Any) -> None:
        """The invitation is redeemed by the adapter, in the same transaction as the user row."""
