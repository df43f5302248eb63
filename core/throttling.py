"""DRF throttles keyed on the real client address (core.clientip), never on a header anyone can set.

Every throttle in the project subclasses one of these; a test walks the URLconf to keep it so.
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from core.clientip import client_ip


class ClientAddressMixin:
    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or "unknown"


class SimpleRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    pass


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
