"""The page a pupil reaches from a presentation's QR code: "I think I might be a young carer".

A plain server-rendered form, for a phone in an assembly hall with no app and no account.
It goes through the same service, honeypot, timing token, per-link cap and rate limits as
the anonymous API (``POST /api/v1/self-identifications/``), so neither door is softer than
the other. English and Welsh: the browser's language, or ``?lang=cy`` / ``?lang=en``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.request import Request

from core.errors import ServiceError
from schools.models import Presentation, YearGroup
from schools.services import presentations as presentation_services
from schools.throttles import SelfIdentificationBurstThrottle, SelfIdentificationThrottle


def _year_choices() -> list[tuple[str, str]]:
    # A callable, so the labels are translated when the page is drawn, in the pupil's language.
    years = [(str(y), _("Year %(number)s") % {"number": y}) for y in YearGroup.values if y]
    return [("", _("Choose your year")), ("0", _("Reception")), *years]


def _too_long() -> dict[str, Any]:
    return {"max_length": gettext_lazy("Please write no more than %(limit_value)d characters.")}


class SelfIdentifyForm(forms.Form):
    first_name = forms.CharField(
        label=gettext_lazy("Your first name"),
        max_length=100,
        error_messages={"required": gettext_lazy("Tell us your first name so someone can find you."), **_too_long()},
    )
    last_name = forms.CharField(
        label=gettext_lazy("Your last name (optional)"), max_length=100, required=False, error_messages=_too_long()
    )
    year_group = forms.TypedChoiceField(
        label=gettext_lazy("Your year"),
        choices=_year_choices,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose your year from the list.")},
    )
    form_group = forms.CharField(
        label=gettext_lazy("Your form or class (optional)"), max_length=20, required=False, error_messages=_too_long()
    )
    who_they_care_for = forms.CharField(
        label=gettext_lazy("Who do you help to look after? (optional)"),
        help_text=gettext_lazy("For example: Mum, my brother, Grandad."),
        max_length=200,
        required=False,
        error_messages=_too_long(),
    )
    message = forms.CharField(
        label=gettext_lazy("Anything else you want to tell us (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        error_messages=_too_long(),
    )
    ok_to_contact = forms.TypedChoiceField(
        label=gettext_lazy("Is it OK for someone from school to talk to you about this?"),
        choices=[("yes", pgettext_lazy("ok to talk", "Yes")), ("no", pgettext_lazy("ok to talk", "No, not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose yes or no.")},
    )
    # Hidden from people (see the template); a script filling every box fills this one too.
    website = forms.CharField(label=gettext_lazy("Leave this empty"), max_length=200, required=False)
    form_started = forms.CharField(
        widget=forms.HiddenInput,
        max_length=300,
        error_messages={"required": gettext_lazy("Please check your answers and send them again.")},
    )

    def link_errors(self) -> None:
        """Point each field with an error at its message, so screen readers read them together."""
        for name in self.errors:
            if name in self.fields:
                hint = f"id_{name}_helptext " if self.fields[name].help_text else ""
                self.fields[name].widget.attrs.update(
                    {"aria-describedby": f"{hint}{name}-error", "aria-invalid": "true"}
                )


# The service's messages, in the pupil's language, by error code.
SERVICE_MESSAGES = {
    "too_fast": gettext_lazy("That was very quick. Please check your answers and send them again."),
    "form_expired": gettext_lazy("The form was open for a long time. Please check your answers and send them again."),
    "form_invalid": gettext_lazy("Please check your answers and send them again."),
}
CLOSED_MESSAGES = {
    "not_found": gettext_lazy(
        "This link is not open any more, or it is not right. "
        "Talk to a teacher or your school's young carers lead instead."
    ),
    "link_full": gettext_lazy(
        "This link has had more answers than there were people at the presentation. Please talk to a teacher instead."
    ),
    "throttled": gettext_lazy(
        "A lot of forms have been sent from here. Please wait a while and try again, or talk to a teacher."
    ),
    "rejected": gettext_lazy("The form could not be sent. Please talk to a teacher instead."),
}
FIELD_MESSAGES = {
    "first_name": gettext_lazy("Tell us your first name so someone can find you."),
    "year_group": gettext_lazy("Choose your year from the list."),
}


@dataclass
class _ThrottleView:
    """What the API's rate limits read from a view: the link's token, here from the page's URL."""

    kwargs: dict[str, str]


def _throttled(request: HttpRequest, token: str) -> bool:
    """The same counters as the API: a page view or a send here counts against the same address and link."""
    view = cast(Any, _ThrottleView({"token": token[:64]}))
    throttles = [SelfIdentificationThrottle(), SelfIdentificationBurstThrottle()]
    return not all([throttle.allow_request(Request(request), view) for throttle in throttles])  # each counts the hit


def _language(request: HttpRequest) -> str:
    """``?lang=`` when it names a language we offer, else what the browser asked for."""
    wanted = request.GET.get("lang", "")
    offered = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in offered else translation.get_language_from_request(request)


def _closed(request: HttpRequest, code: str, status: int) -> HttpResponse:
    message = CLOSED_MESSAGES.get(code, CLOSED_MESSAGES["not_found"])
    return render(request, "schools/self_identify_closed.html", {"message": message}, status=status)


def _form_page(request: HttpRequest, presentation: Presentation, form: SelfIdentifyForm, status: int) -> HttpResponse:
    form.link_errors()
    context = {"form": form, "school": presentation.school.name, "token": presentation.token}
    return render(request, "schools/self_identify.html", context, status=status)


def _fresh_form(presentation: Presentation, data: Any = None) -> SelfIdentifyForm:
    started = presentation_services.form_started_token(presentation)
    if data is None:
        return SelfIdentifyForm(initial={"form_started": started})
    return SelfIdentifyForm({**data.dict(), "form_started": started})


def _submit(request: HttpRequest, presentation: Presentation) -> HttpResponse:
    form = SelfIdentifyForm(request.POST)
    if not form.is_valid():
        return _form_page(request, presentation, form, status=400)
    data = dict(form.cleaned_data)
    try:
        presentation_services.self_identification_submit(token=presentation.token, honeypot=data.pop("website"), **data)
    except ServiceError as exc:
        return _refused(request, presentation, exc)
    return render(request, "schools/self_identify_done.html", {"school": presentation.school.name})


def _refused(request: HttpRequest, presentation: Presentation, exc: ServiceError) -> HttpResponse:
    """The service said no: show the form again where the pupil can fix it, else say plainly what to do."""
    if exc.code in SERVICE_MESSAGES:
        # A new start token: an expired or forged one would refuse every resend.
        form = _fresh_form(presentation, request.POST)
        form.is_valid()
        form.add_error(None, str(SERVICE_MESSAGES[exc.code]))
        return _form_page(request, presentation, form, status=exc.status)
    if exc.field in FIELD_MESSAGES:
        form = SelfIdentifyForm(request.POST)
        form.is_valid()
        form.add_error(exc.field, str(FIELD_MESSAGES[exc.field]))
        return _form_page(request, presentation, form, status=exc.status)
    return _closed(request, exc.code, exc.status)


@never_cache
@require_http_methods(["GET", "POST"])
def self_identify(request: HttpRequest, token: str) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        response = _answer(request, token)
    response.headers["Content-Language"] = language
    return response


def _answer(request: HttpRequest, token: str) -> HttpResponse:
    if _throttled(request, token):
        return _closed(request, "throttled", 429)
    try:
        presentation = presentation_services.open_presentation(token)
    except ServiceError as exc:
        return _closed(request, exc.code, exc.status)
    if request.method == "POST":
        return _submit(request, presentation)
    return _form_page(request, presentation, _fresh_form(presentation), status=200)
