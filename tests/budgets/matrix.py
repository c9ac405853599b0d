"""The authorization matrix's lines for the budgets overview (assembled in
tests/test_authorization_matrix.py; a route without a line fails there)."""

from __future__ import annotations

from typing import Any

from tests.authz import Row, admin_only
from tests.conftest import Agency

ROWS: dict[str, Row] = {
    "GET /budgets": admin_only(200),
    "GET /budgets/more": admin_only(200),
    "GET /budgets/counts": admin_only(
        200
    ),  # how many lines at each risk, fetched again live  # the overview's next lines, as they are scrolled to
    "GET /budgets/{project_id:int}": admin_only(200),  # margin per task and person: admins only (issue 16)
    # One overview line fetched again live, and a project's budget banner: empty answers for ACME,
    # which has no budget here (tests/budgets/test_alert_pages.py has them with one).
    "GET /budgets/lines/{project_id:int}": admin_only(200),
    "GET /projects/{project_id:int}/budget-banner": admin_only(200),
}


async def values(agency: Agency, known: dict[str, Any]) -> dict[str, Any]:
    return {}
