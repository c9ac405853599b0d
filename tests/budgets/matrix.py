"""The authorization matrix's lines for the budgets overview (assembled in
tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from tests.authz import Row, admin_only
from tests.conftest import Agency

ROWS: dict[str, Row] = {
    "GET /budgets": admin_only(200),
}


async def values(agency: Agency, known: dict[str, Any]) -> dict[str, Any]:
    return {}
