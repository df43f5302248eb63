"""Rate limits for the anonymous self-identification form.

A whole class may answer from one school network address at the end of an assembly,
so the limit is per address *and* presentation, and generous; the per-presentation cap
in the service bounds a flood whatever address it comes from.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from core.throttling import SimpleRateThrottle


class SelfIdentificationThrottle(SimpleRateThrottle):
    scope = "self_identification"
    rate = "60/hour"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = view.kwargs.get("token")  # in the URL: the form's page; read first, so no body is parsed for it
        if not token:
            data = request.data if isinstance(request.data, dict) else {}
            token = data.get("token", "")
        token = str(token)[:64]
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{token}"}


class SelfIdentificationBurstThrottle(SimpleRateThrottle):
    """Per address, across presentations: stops one machine walking through many tokens."""

    scope = "self_identification_burst"
    rate = "120/hour"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
