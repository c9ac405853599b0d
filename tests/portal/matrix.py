"""The authorization matrix's lines for the portal routes, and values for their path parameters
(merged into tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from tests.authz import Row
from tests.conftest import Agency

ROWS: dict[str, Row] = {}


async def values(agency: Agency, board: dict[str, Any]) -> dict[str, Any]:
    """Path values for this feature's routes; `board` holds the board's (task_id, column_id, ...)."""
    return {}
