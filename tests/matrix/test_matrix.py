"""The permission matrix: every operation of the API against every persona, from one table (``rows.py``).

The rows are checked by one test module per area (``test_rows_*.py``, so test workers share them out); this
module fails when an operation has no row, and holds the probes, filter and list checks of ``rows_probes.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import resolve as resolve_url

from .checks import run
from .harness import (
    MISSING_ID,
    NON_SCHEMA_OPERATIONS,
    World,
    all_operations,
    body_of,
    client_for_persona,
    fill,
    schema_operations,
)
from .personas import PERSONAS, SIGNED_OUT
from .rows import ROWS
from .rows_probes import FILTERS, LISTS, PROBES

pytestmark = pytest.mark.django_db


def test_every_operation_has_a_row() -> None:
    missing = sorted(all_operations() - ROWS.keys())
    assert not missing, f"operations with no row in tests/matrix/rows_*.py: {missing}"


def test_every_row_is_an_operation_that_exists() -> None:
    stale = sorted(ROWS.keys() - schema_operations() - set(NON_SCHEMA_OPERATIONS))
    assert not stale, f"rows for operations that no longer exist: {stale}"
    for _, path in NON_SCHEMA_OPERATIONS:
        resolve_url(fill(path, {"token": "t"}))


def _probe_cases() -> Iterator[Any]:
    for label, (_operation, row) in PROBES.items():
        for persona in PERSONAS:
            reason = row.leaks.get(persona)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(label, persona, id=f"{label} as {persona}", marks=marks)


@pytest.mark.parametrize(("label", "persona"), list(_probe_cases()))
def test_probe(label: str, persona: str, matrix_world: World) -> None:
    (method, path), row = PROBES[label]
    run(method, path, row, persona, matrix_world)


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
