"""The matrix's world is built once per test worker, inside a transaction rolled back after the package's last
test; each matrix test runs in a savepoint inside it, so a write an allowed request makes is undone before the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

World = dict[str, Any]


@pytest.fixture(scope="package")
def matrix_world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Built once per worker in an outer transaction; each test's own transaction is a savepoint inside it."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), _private_media(str(media)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from .world import build_world

            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _private_media(location: str) -> Any:
    from django.conf import settings
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "matrix-tests"}}
    return override_settings(STORAGES=storages, CACHES=caches)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters start empty for each request pair, so a throttle never stands in for a refusal."""
    cache.clear()
    yield
