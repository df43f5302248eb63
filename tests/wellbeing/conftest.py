from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from api.wellbeing.models import MoodTag


@pytest.fixture
def tags(cast: Any) -> list[MoodTag]:
    return [
        MoodTag.objects.create(organisation=cast.riverside, code=code, label=code.title())
        for code in ("school", "tired", "home", "friends")
    ]


@pytest.fixture
def checkin_body() -> Any:
    def make(mood: int = 4, *, minutes_ago: int = 1, **extra: Any) -> dict[str, Any]:
        body = {
            "id": str(uuid.uuid4()),
            "mood": mood,
            "tags": [],
            "words": "",
            "recorded_at": (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(),
        }
        body.update(extra)
        return body

    return make
