from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.peer.pages import parent_consent
from core.errors import api_not_found
from core.views import health, ready
from schools.pages import self_identify

urlpatterns = [
    path("health/", health, name="health"),
    path("ready/", ready, name="ready"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # allauth serves phone routes whatever the settings; the product has no phone sign-in, so they do not exist here.
    re_path(r"^_allauth/(app|browser)/v1/(account/phone|auth/phone/verify(/resend)?)/?$", api_not_found),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api/v1/", include("api.urls")),
    path("consent/<str:token>/", parent_consent, name="parent-consent"),  # the parent's emailed link
    re_path(r"^self-identify/(?P<token>[\w-]{8,64})/?$", self_identify, name="self-identify"),  # the QR code's link
    re_path(r"^api/", api_not_found),  # after every API route: an unknown API path answers in the error shape
]
handler400 = "core.errors.api_bad_request"


def bare(request: HttpRequest) -> JsonResponse:
    """The floor that benchmarks compare against: a bare Django view, no database."""
    return JsonResponse({"ok": True})


if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare/", bare))
