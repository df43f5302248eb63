"""HTTP for calendar feeds: turn on (rotate), off, and the secret iCalendar URL itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.peer import calendar
from api.peer.serializers import (
    CalendarStatusSerializer,
    CalendarUrlSerializer,
)
from core.throttling import SimpleRateThrottle
from core.views import ApiView, actor

# --- Calendar feeds ----------------------------------------------------------------------


class CalendarView(ApiView):
    """The caller's calendar feed: whether it is on; DELETE turns it off (the URL stops working)."""

    @extend_schema(responses=CalendarStatusSerializer)
    def get(self, request: Request) -> Response:
        from api.peer.models import CalendarFeed

        feed = CalendarFeed.objects.filter(user=actor(request)).first()
        return Response(
            {
                "active": feed is not None,
                "created_at": feed and feed.created_at,
                "last_used_at": feed and feed.last_used_at,
            }
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        calendar.feed_revoke(actor=actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarRotateView(ApiView):
    """A new subscribe URL (shown once); any earlier URL stops working."""

    @extend_schema(request=None, responses={201: CalendarUrlSerializer})
    def post(self, request: Request) -> Response:
        token = calendar.feed_rotate(actor=actor(request))
        return Response({"url": calendar.feed_url(token)}, status=status.HTTP_201_CREATED)


class FeedThrottle(SimpleRateThrottle):
    """Per feed, not per address: calendar services fetch many people's feeds from the same few addresses."""

    scope = "peer_calendar_feed"
    rate = "120/hour"

    def get_cache_key(self, request: Request, view: Any) -> str:
        token = str(view.kwargs.get("token", ""))[:100]
        return self.cache_format % {"scope": self.scope, "ident": calendar.token_hash(token)}


@extend_schema(
    responses={(200, "text/calendar"): OpenApiTypes.BINARY},
    parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)],
)
class CalendarFeedView(ApiView):
    """The iCalendar feed at the secret URL; calendar apps poll it without signing in."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [FeedThrottle]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = calendar.feed_owner(token)
        response = HttpResponse(calendar.feed_calendar(user), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        return response
