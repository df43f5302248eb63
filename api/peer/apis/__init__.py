"""HTTP for peer groups, sessions, the register, events, bookings, parents' consent links and calendar feeds."""

from api.peer.apis.calendar import CalendarFeedView, CalendarRotateView, CalendarView
from api.peer.apis.events import BookingViewSet, ConsentLinkView, EventViewSet
from api.peer.apis.groups import AttendanceViewSet, GroupViewSet, SessionViewSet

__all__ = [
    "AttendanceViewSet",
    "BookingViewSet",
    "CalendarFeedView",
    "CalendarRotateView",
    "CalendarView",
    "ConsentLinkView",
    "EventViewSet",
    "GroupViewSet",
    "SessionViewSet",
]
