from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.apis import InvitationViewSet, MeView, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("invitations", InvitationViewSet, basename="invitation")
urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
