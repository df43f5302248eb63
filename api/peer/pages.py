"""The parent's consent page: a plain web page behind the emailed link, for parents with no account and no app.

It shows what their child is booked on and records their yes or no through the same
service as the API (``bookings.consent_answer``), so the answer lands in the case's
consent records either way.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from api.peer import bookings
from core.errors import ServiceError


class ParentAnswerForm(forms.Form):
    given = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Yes, they can go"), ("no", "No, they cannot go")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    parent_name = forms.CharField(label="Your name", max_length=200)
    relationship = forms.CharField(label="You are their", max_length=60, initial="parent")


def _closed(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    message = "This link is not valid." if exc.status == 404 else exc.message
    return render(request, "peer/parent_consent_closed.html", {"message": message}, status=exc.status)


@never_cache
@require_http_methods(["GET", "POST"])
def parent_consent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = bookings.booking_for_consent_token(token)
    except ServiceError as exc:
        return _closed(request, exc)
    form = ParentAnswerForm(request.POST or None, initial={"parent_name": booking.parent_name})
    if request.method == "POST" and form.is_valid():
        try:
            answered = bookings.consent_answer(token=token, **form.cleaned_data)
        except ServiceError as exc:
            return _closed(request, exc)
        return render(
            request, "peer/parent_consent_done.html", {"booking": answered, "given": form.cleaned_data["given"]}
        )
    status = 400 if request.method == "POST" else 200
    event = booking.event
    context = {
        "booking": booking,
        "event": event,
        "child": booking.case.preferred_name or booking.case.first_name,
        "cost": f"£{event.cost_pence / 100:.2f}" if event.cost_pence else "Free",
    }
    return render(request, "peer/parent_consent.html", {**context, "form": form}, status=status)
