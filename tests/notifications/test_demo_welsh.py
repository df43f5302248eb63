"""The demo has a young person who uses Welsh: Jo, whose inbox reads in Welsh."""

from __future__ import annotations

import pytest

from notifications import demo as notifications_demo
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_jo_uses_the_app_in_welsh(cast, client_for):
    notifications_demo.load(cast)
    notifications_demo.load(cast)
    cast.jo.refresh_from_db()
    cast.jo_case.refresh_from_db()
    assert (cast.jo.locale, cast.jo_case.language) == ("cy", "cy")
    item = Notification.objects.get(recipient=cast.jo)
    assert item.title == "Neges gan Priya"
