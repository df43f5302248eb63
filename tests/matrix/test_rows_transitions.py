"""The matrix rows of transitions (``rows_transitions.py``), each against every persona."""

from __future__ import annotations

import pytest

from .checks import cases, run
from .harness import World
from .rows_transitions import ROWS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("method", "path", "persona"), cases(ROWS))
def test_operation(method: str, path: str, persona: str, matrix_world: World) -> None:
    run(method, path, ROWS[(method, path)], persona, matrix_world)
