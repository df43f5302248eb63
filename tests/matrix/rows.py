"""The permission matrix's table: every operation, one row, merged from one module per area."""

from __future__ import annotations

from . import rows_accounts, rows_cases, rows_notifications, rows_peer, rows_schools, rows_transitions, rows_wellbeing
from .harness import Operation, Row


def _merge(*parts: dict[Operation, Row]) -> dict[Operation, Row]:
    merged: dict[Operation, Row] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        assert not clash, f"operations with two rows: {sorted(clash)}"
        merged.update(part)
    return merged


ROWS = _merge(
    rows_accounts.ROWS,
    rows_cases.ROWS,
    rows_notifications.ROWS,
    rows_peer.ROWS,
    rows_schools.ROWS,
    rows_transitions.ROWS,
    rows_wellbeing.ROWS,
)
