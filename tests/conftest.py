"""Shared fixtures: the demo cast as personas, and API clients signed in with real allauth tokens."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import fields
from importlib import import_module
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Model
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from api.wellbeing.questionnaires import load_example_instrument
from backend.demo import Cast, build_cast

STAFF = ("priya", "tom", "dev", "khan", "ade", "grace", "cleo")


def _build_world() -> Cast:
    """The demo cast, with TOTP set up for staff so the MFA rule is passed the honest way."""
    built = build_cast()
    for name in STAFF:
        user = getattr(built, name)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    return built


_WORLD: dict[str, tuple[type[Model], int]] = {}


def _remember(built: Cast) -> None:
    _WORLD.clear()
    for item in fields(built):
        value = getattr(built, item.name)
        if isinstance(value, Model):
            _WORLD[item.name] = (type(value), value.pk)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Build the demo cast once per test worker; each test then runs in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        _remember(_build_world())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test flushes the database when it ends: build the cast again for the tests after it, with the
    rows the data migrations wrote (the shipped example questionnaire)."""
    result = yield
    marker = item.get_closest_marker("django_db")
    flushed = "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if flushed and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            load_example_instrument()  # a flush also empties what data migrations wrote
            _remember(_build_world())
    return result


@pytest.fixture
def cast(db: Any) -> Cast:
    """The demo cast built for this worker, read afresh for each test (a test may change it; the change rolls back)."""
    by_model: dict[type[Model], list[int]] = {}
    for model, pk in _WORLD.values():
        by_model.setdefault(model, []).append(pk)
    rows = {model: model._default_manager.in_bulk(pks) for model, pks in by_model.items()}
    loaded = {name: rows[model][pk] for name, (model, pk) in _WORLD.items()}
    return Cast(**loaded)


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


def session_token_for(user: Any, *, second_factor: bool = True) -> str:
    """A real allauth app session token (what /_allauth/app/v1/auth/login returns).

    allauth records each sign-in step in the session; a user with TOTP also gets the "mfa"
    step, as a real sign-in that passed the second factor does (``second_factor=False``: not).
    """
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    records: list[dict[str, Any]] = [{"method": "password", "at": now, "email": user.email}]
    totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if totp is not None and second_factor:
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    store[AUTHENTICATION_METHODS_SESSION_KEY] = records
    store[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    store.create()
    assert store.session_key is not None
    return store.session_key


def session_token_without_mfa_for(user: Any) -> str:
    """A session token signed in with the password only, even if the user has an authenticator."""
    return session_token_for(user, second_factor=False)


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
