"""What the matrix harness needs besides the table: the operations, the rows' shape, requests and row counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.conftest import session_token_for

from .personas import SIGNED_OUT

Operation = tuple[str, str]  # (method, path template), e.g. ("GET", "/api/v1/young-carers/{id}/")
World = dict[str, Any]
Body = Mapping[str, Any] | Callable[[World], Mapping[str, Any]] | None

METHODS = ("get", "post", "put", "patch", "delete")
MISSING_ID = "999999999"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
MISSING_TOKEN = "missing-token-000000000000"
NOT_A_PROJECTION = "not-a-young-person-projection"
COUNTED_APPS = ("cases", "schools", "peer", "wellbeing", "transitions", "accounts", "notifications")

# Routes outside /api/v1/ and its schema: allauth headless (its own schema) and the parent's consent page.
NON_SCHEMA_OPERATIONS: tuple[Operation, ...] = (
    ("POST", "/_allauth/app/v1/auth/signup"),
    ("POST", "/_allauth/app/v1/auth/login"),
    ("POST", "/_allauth/app/v1/auth/password/request"),
    ("GET", "/_allauth/app/v1/auth/session"),
    ("GET", "/consent/{token}/"),
    ("POST", "/consent/{token}/"),
    ("GET", "/api/schema/"),
    ("GET", "/health/"),
)


@cache
def schema_operations() -> frozenset[Operation]:
    """Every operation the OpenAPI schema publishes."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return frozenset(
        (method.upper(), path) for path, item in schema["paths"].items() for method in item if method in METHODS
    )


def all_operations() -> frozenset[Operation]:
    return schema_operations() | frozenset(NON_SCHEMA_OPERATIONS)


@dataclass(frozen=True)
class Row:
    """One operation's expectations for every persona.

    ``allowed`` succeed (``status``, or any 2xx); every other persona is refused: signed-out people with 401
    (``anonymous``), signed-in ones with ``refusal`` (404 unless the API refuses a whole role with 403), with
    per-persona exceptions in ``refusals``. ``params`` names the world object for each path parameter; ``query``
    and ``body`` may name world objects too (a string starting with ``@``). ``allowed_check="refusal-only"``
    marks a write whose allowed path needs more setup than the matrix gives it: only its refusals are checked.
    ``audited`` means a staff read writes an audit "access" entry. ``audience`` names the young person's
    serializer that answers them (see ``core.audiences``); ``NOT_A_PROJECTION`` marks a response that is not one
    of ours (allauth's, or the parent's or pupil's public form). ``leaks`` maps a persona to the leak that
    makes the API answer it wrongly today: those cases are strict xfails.
    """

    allowed: frozenset[str]
    params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    body: Body = None
    refusal: int = 404
    refusals: Mapping[str, int] = field(default_factory=dict)
    anonymous: int = 401
    status: int | None = None
    allowed_check: str = "full"
    audited: bool = False
    leaks: Mapping[str, str] = field(default_factory=dict)
    audience: str | None = None
    format: str = "json"

    def expected(self, persona: str) -> int | None:
        """The status a refused persona gets, or None when the persona is allowed."""
        if persona in self.allowed:
            return None
        if persona in self.refusals:
            return self.refusals[persona]
        return self.anonymous if persona in SIGNED_OUT else self.refusal


def resolve(value: Any, world: World) -> Any:
    """``"@sam_case"`` -> the world's object's id; other values as they are (recursively for lists and dicts)."""
    if isinstance(value, str) and value.startswith("@"):
        found = world[value[1:]]
        return getattr(found, "pk", found)
    if isinstance(value, list):
        return [resolve(item, world) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, world) for key, item in value.items()}
    return value


def _missing(value: Any) -> str:
    text = str(value)
    if text.isdigit():
        return MISSING_ID
    if re.fullmatch(r"[0-9a-fA-F-]{36}", text):
        return MISSING_UUID
    return MISSING_TOKEN


def fill(template: str, values: Mapping[str, Any], *, missing: bool = False) -> str:
    def sub(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        return _missing(value) if missing else str(value)

    return re.sub(r"\{(\w+)\}", sub, template)


def client_for_persona(persona: str, world: World) -> APIClient:
    client = APIClient()
    user = world["people"][persona]
    if user is not None:
        client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
    return client


def send(client: APIClient, method: str, url: str, row: Row, world: World) -> Any:
    body = row.body(world) if callable(row.body) else row.body
    query = resolve(dict(row.query), world)
    if query:
        url = f"{url}?" + "&".join(f"{key}={value}" for key, value in query.items())
    handler = getattr(client, method.lower())
    if method in ("GET", "DELETE"):
        return handler(url)
    return handler(url, resolve(dict(body or {}), world), format=row.format)


@cache
def _counted_tables() -> tuple[str, ...]:
    models = (model for label in COUNTED_APPS for model in apps.get_app_config(label).get_models())
    return tuple(sorted(model._meta.db_table for model in models if not model._meta.proxy))


@cache
def _count_sql() -> str:
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in _counted_tables())  # noqa: S608
    return f"SELECT {counts}"  # noqa: S608 - table names come from the models, not from input


def row_counts() -> dict[str, int]:
    """Rows per table of the apps that hold case data, in one query (audit entries are not counted)."""
    with connection.cursor() as cursor:
        cursor.execute(_count_sql())
        counts = cursor.fetchone()
    return dict(zip(_counted_tables(), counts, strict=True))


def body_of(response: Any) -> Any:
    content_type = response.headers.get("Content-Type", "")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    if "json" in content_type:
        return response.json()
    return response.content
