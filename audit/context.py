"""Who is acting, from where: set per request (middleware, then the API authentication) or per task."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_context: ContextVar[dict[str, Any] | None] = ContextVar("audit_context", default=None)


def current() -> dict[str, Any]:
    return _context.get() or {}


def update(**values: Any) -> None:
    """Add to the current context (for example the actor, once the API has authenticated the request)."""
    merged = {**current(), **{k: v for k, v in values.items() if v is not None}}
    _context.set(merged)


@contextlib.contextmanager
def audit_context(**values: Any) -> Iterator[None]:
    token = _context.set({**current(), **{k: v for k, v in values.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)
