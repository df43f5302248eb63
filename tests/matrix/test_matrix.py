"""The permission matrix: every operation of the API against every persona, from one table (``rows.py``).

For each row and persona: a refused request gets its status, and for a 404 exactly the body a missing id gets,
and changes no row; an allowed one succeeds; a staff read of case data leaves an audit "access" entry; a young
person's response holds only fields declared for young people. An operation with no row fails the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import resolve as resolve_url

from audit.models import AuditEntry

from .defaults import default_params
from .harness import (
    MISSING_ID,
    NON_SCHEMA_OPERATIONS,
    NOT_A_PROJECTION,
    Row,
    World,
    all_operations,
    body_of,
    client_for_persona,
    fill,
    resolve,
    row_counts,
    schema_operations,
    send,
)
from .personas import PERSONAS, SIGNED_OUT, STAFF, YOUNG_PEOPLE
from .rows import ROWS
from .rows_probes import FILTERS, LISTS, PROBES

pytestmark = pytest.mark.django_db


def _cases() -> Iterator[Any]:
    for (method, path), row in sorted(ROWS.items(), key=lambda item: (item[0][1], item[0][0])):
        for persona in PERSONAS:
            if persona in row.allowed and row.allowed_check == "refusal-only":
                continue
            reason = row.leaks.get(persona)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(method, path, persona, id=f"{method} {path} as {persona}", marks=marks)


def test_every_operation_has_a_row() -> None:
    missing = sorted(all_operations() - ROWS.keys())
    assert not missing, f"operations with no row in tests/matrix/rows_*.py: {missing}"


def test_every_row_is_an_operation_that_exists() -> None:
    stale = sorted(ROWS.keys() - schema_operations() - set(NON_SCHEMA_OPERATIONS))
    assert not stale, f"rows for operations that no longer exist: {stale}"
    for _, path in NON_SCHEMA_OPERATIONS:
        resolve_url(fill(path, {"token": "t"}))


def _values(path: str, row: Row, world: World) -> dict[str, Any]:
    names = {**default_params(path), **row.params}
    return {name: key[1:] if key.startswith("=") else resolve(f"@{key}", world) for name, key in names.items()}


@pytest.mark.parametrize(("method", "path", "persona"), list(_cases()))
def test_operation(method: str, path: str, persona: str, matrix_world: World) -> None:
    _run(method, path, ROWS[(method, path)], persona, matrix_world)


def _probe_cases() -> Iterator[Any]:
    for label, (_operation, row) in PROBES.items():
        for persona in PERSONAS:
            reason = row.leaks.get(persona)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(label, persona, id=f"{label} as {persona}", marks=marks)


@pytest.mark.parametrize(("label", "persona"), list(_probe_cases()))
def test_probe(label: str, persona: str, matrix_world: World) -> None:
    (method, path), row = PROBES[label]
    _run(method, path, row, persona, matrix_world)


@pytest.mark.parametrize(("path", "name", "foreign"), FILTERS, ids=[f"{p}?{n}=" for p, n, _ in FILTERS])
def test_a_filter_answers_a_foreign_id_as_a_missing_one(
    path: str, name: str, foreign: str, matrix_world: World
) -> None:
    client = client_for_persona("key_worker", matrix_world)
    answers = [client.get(f"{path}?{name}={value}") for value in (matrix_world[foreign].pk, MISSING_ID)]
    assert [(r.status_code, body_of(r)) for r in answers][0] == (answers[1].status_code, body_of(answers[1]))


def _list_cases() -> Iterator[Any]:
    for path, key in LISTS:
        detail = ROWS[("GET", f"{path}{{id}}/")]
        for persona in PERSONAS:
            if persona not in SIGNED_OUT and detail.expected(persona) == 404:
                yield pytest.param(path, key, persona, id=f"GET {path} as {persona} hides {key}")


@pytest.mark.parametrize(("path", "key", "persona"), list(_list_cases()))
def test_a_list_hides_what_its_detail_refuses(path: str, key: str, persona: str, matrix_world: World) -> None:
    response = client_for_persona(persona, matrix_world).get(path)
    assert response.status_code in (200, 403, 404), body_of(response)
    if response.status_code == 200:
        assert matrix_world[key].pk not in _ids(response.json())


def _ids(body: Any) -> set[Any]:
    rows = body.get("results", body) if isinstance(body, dict) else body
    return {row.get("id") for row in rows if isinstance(row, dict)}


def _run(method: str, path: str, row: Row, persona: str, matrix_world: World) -> None:
    values = _values(path, row, matrix_world)
    client = client_for_persona(persona, matrix_world)
    expected = row.expected(persona)
    if expected is None:
        _check_allowed(client, method, path, values, row, persona, matrix_world)
    else:
        _check_refused(client, method, path, values, row, expected, matrix_world)


def _access_entries() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count()


def _check_allowed(
    client: Any, method: str, path: str, values: dict[str, Any], row: Row, persona: str, world: World
) -> None:
    audited = row.audited and persona in STAFF
    before = _access_entries() if audited else 0
    response = send(client, method, fill(path, values), row, world)
    body = body_of(response)
    if row.status is not None:
        assert response.status_code == row.status, body
    else:
        assert 200 <= response.status_code < 300, body
    if audited:
        assert _access_entries() > before, "a staff read of case data left no audit entry"
    if persona in YOUNG_PEOPLE and row.audience != NOT_A_PROJECTION and isinstance(body, dict | list):
        extra = young_person_extra_fields(body, row.audience)
        assert not extra, f"fields not declared for young people: {extra}"


def _check_refused(
    client: Any, method: str, path: str, values: dict[str, Any], row: Row, expected: int, world: World
) -> None:
    before = row_counts()
    response = send(client, method, fill(path, values), row, world)
    missing = send(client, method, fill(path, values, missing=True), row, world) if values else None
    changed = {
        table: (count, after)
        for (table, count), after in zip(before.items(), row_counts().values(), strict=True)
        if count != after
    }
    assert not changed, f"a refused request changed rows (table: before, after): {changed}"
    assert response.status_code == expected, body_of(response)
    if missing is not None and expected == 404:
        assert (missing.status_code, body_of(missing)) == (response.status_code, body_of(response))


def young_person_extra_fields(body: Any, audience: str | None) -> list[str]:
    """Keys in a young person's response that no serializer written for young people declares."""
    from core import audiences

    if audience in audiences.YOUNG_PERSON:
        return audiences.undeclared(body, audiences.serializer("young_person", audience))
    allowed = audiences.allowed_keys("young_person")
    return sorted({key for key in _keys(body) if key not in allowed})


def _keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        if "results" in data and set(data) <= {"count", "next", "previous", "results"}:
            yield from _keys(data["results"])
            return
        for key, value in data.items():
            yield key
            yield from _keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from _keys(item)
