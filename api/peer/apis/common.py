"""Helpers shared by the peer API views."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from api.peer.schedule import LONDON


def local_day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, LONDON)
