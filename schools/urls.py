from rest_framework.routers import SimpleRouter

from schools.apis import (
    PresentationViewSet,
    ReferralViewSet,
    SchoolViewSet,
    SelfIdentificationViewSet,
    ToolkitProgressViewSet,
    ToolkitResourceViewSet,
)

router = SimpleRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("presentations", PresentationViewSet, basename="presentation")
router.register("self-identifications", SelfIdentificationViewSet, basename="self-identification")
router.register("toolkit/resources", ToolkitResourceViewSet, basename="toolkit-resource")
router.register("toolkit/progress", ToolkitProgressViewSet, basename="toolkit-progress")
urlpatterns = router.urls
