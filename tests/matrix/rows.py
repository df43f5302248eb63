"""The permission matrix's table: every operation, one row, merged from one module per area."""

from __future__ import annotations

from . import rows_accounts, rows_cases, rows_notifications, rows_peer, rows_schools, rows_transitions, rows_wellbeing
from .harness import Operation, Row
from .personas import EVERYONE

PARENT_PAGE: dict[Operation, Row] = {
    # The parent's consent page: the emailed link is the credential, answered by a plain HTML form.
    ("GET", "/consent/{token}/"): Row(EVERYONE),
    ("POST", "/consent/{token}/"): Row(EVERYONE, body={}, allowed_check="refusal-only"),
}


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
    PARENT_PAGE,
)
