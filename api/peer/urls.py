from django.urls import path
from rest_framework.routers import SimpleRouter

from api.peer.apis import (
    AttendanceViewSet,
    BookingViewSet,
    CalendarFeedView,
    CalendarRotateView,
    CalendarView,
    ConsentLinkView,
    EventViewSet,
    GroupViewSet,
    SessionViewSet,
)

router = SimpleRouter()
router.register("groups", GroupViewSet, basename="peer-group")
router.register("sessions", SessionViewSet, basename="peer-session")
router.register("attendance", AttendanceViewSet, basename="peer-attendance")
router.register("events", EventViewSet, basename="peer-event")
router.register("bookings", BookingViewSet, basename="peer-booking")

urlpatterns = [
    path("calendar/", CalendarView.as_view(), name="peer-calendar"),
    path("calendar/rotate/", CalendarRotateView.as_view(), name="peer-calendar-rotate"),
    path("calendar/feed/<str:token>.ics", CalendarFeedView.as_view(), name="peer-calendar-feed"),
    path("booking-consent/<str:token>/", ConsentLinkView.as_view(), name="peer-booking-consent"),
    *router.urls,
]
