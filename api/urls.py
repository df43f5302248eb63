"""Everything under /api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("cases.urls")),
    path("", include("audit.urls")),
    path("", include("notifications.urls")),
    path("", include("api.peer.urls")),
    path("", include("api.wellbeing.urls")),
    path("", include("schools.urls")),
    path("", include("transitions.urls")),
]
