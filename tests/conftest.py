"""Shared fixtures: the demo cast as personas, and API clients signed in with real allauth tokens."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from rest_framework.test import APIClient

from backend.demo import Cast, build_cast

STAFF = ("priya", "tom", "dev", "khan", "ade", "grace", "cleo")


@pytest.fixture
def cast(db: Any) -> Cast:
    """The demo cast. Staff have TOTP set up, so the MFA rule is passed the honest way."""
    built = build_cast()
    for name in STAFF:
        user = getattr(built, name)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    return built


@pytest.fixture
def personas(cast: Cast) -> dict[str, Any]:
    """The personas every app's permission tests walk through. Sam is 'the young carer'."""
    return {
        "young_carer": cast.sam,
        "other_young_carer": cast.jo,
        "key_worker": cast.priya,
        "manager": cast.tom,
        "other_project_worker": cast.dev,
        "school_staff": cast.khan,  # Sam's school
        "other_school_staff": cast.ade,
        "adult_services": cast.grace,
        "commissioner": cast.cleo,
    }


def session_token_for(user: Any) -> str:
    """A real allauth app session token (what /_allauth/app/v1/auth/login returns)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], APIClient]:
    """``client_for(user)``: an API client authenticated by an app session token; ``client_for(None)``: anonymous."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
        return client

    return make


@pytest.fixture
def run_tasks(db: Any) -> Callable[[], int]:
    """Run the background tasks that are due, as the worker would."""
    from core.tasks import run_ready_tasks

    return run_ready_tasks


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked ``postgres`` need PostgreSQL (DATABASE_URL); ``redis`` ones need REDIS_URL."""
    from django.db import connection

    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI runs these)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL (CI runs these)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)
