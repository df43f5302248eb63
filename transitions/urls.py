from django.urls import path
from rest_framework.routers import SimpleRouter

from transitions.apis import HandoverPackPdfView, HandoverPackView, HandoverViewSet, TransitionViewSet

router = SimpleRouter()
router.register("transitions", TransitionViewSet, basename="transition")
router.register("handovers", HandoverViewSet, basename="handover")

urlpatterns = [
    path("handovers/<int:pk>/pack/", HandoverPackView.as_view(), name="handover-pack"),
    path("handovers/<int:pk>/pack.pdf", HandoverPackPdfView.as_view(), name="handover-pack-pdf"),
    *router.urls,
]
