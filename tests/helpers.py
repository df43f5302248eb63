from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: ``{"error": {"code", "message", "fields"?}}``, with the expected status."""
    assert response.status_code == status, (response.status_code, getattr(response, "content", b"")[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"], body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
