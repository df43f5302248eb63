from rest_framework.routers import SimpleRouter

from cases.apis import YoungCarerViewSet

router = SimpleRouter()
router.register("young-carers", YoungCarerViewSet, basename="young-carer")
urlpatterns = router.urls
