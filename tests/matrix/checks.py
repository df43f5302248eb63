"""How the matrix checks one operation for one persona; the test modules parametrise it over the rows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from audit.models import AuditEntry

from .defaults import default_params
from .harness import (
    NOT_A_PROJECTION,
    Operation,
    Row,
    World,
    body_of,
    client_for_persona,
    fill,
    resolve,
    row_counts,
    send,
)
from .personas import PERSONAS, STAFF, YOUNG_PEOPLE


def cases(rows: Mapping[Operation, Row]) -> list[Any]:
    """One case per row and persona, with a readable id; a persona named in ``leaks`` is a strict xfail."""
    return list(_cases(rows))


def _cases(rows: Mapping[Operation, Row]) -> Iterator[Any]:
    for (method, path), row in sorted(rows.items(), key=lambda item: (item[0][1], item[0][0])):
        for persona in PERSONAS:
            if persona in row.allowed and row.allowed_check == "refusal-only":
                continue
            reason = row.leaks.get(persona)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(method, path, persona, id=f"{method} {path} as {persona}", marks=marks)


def values_for(path: str, row: Row, world: World) -> dict[str, Any]:
    names = {**default_params(path), **row.params}
    return {name: key[1:] if key.startswith("=") else resolve(f"@{key}", world) for name, key in names.items()}


def run(method: str, path: str, row: Row, persona: str, matrix_world: World) -> None:
    values = values_for(path, row, matrix_world)
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
    from core import audiences  # imported late: it loads the apps' serializers, which need Django set up

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
