from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.apis import DeviceViewSet, NotificationViewSet, PreferencesView

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("devices", DeviceViewSet, basename="device")

urlpatterns = [
    path("notification-preferences/", PreferencesView.as_view(), name="notification-preferences"),
    *router.urls,
]
