"""The authorization matrix's lines for the billing routes, and values for their path parameters
(merged into tests/test_authorization_matrix.py; a route without a line fails there).

`summary_id` is a summary of Acme, computed, finalised and shared with Acme's users (amounts shown):
so the admin's actions on it answer as on a finalised summary, and cleo may read it in her portal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.authz import LOGIN, Expect, Row, admin_only, api
from tests.conftest import Agency

BACK = Expect(303, "/billing/summaries/")
ADMIN_API_ONLY = {"ada": 200, "max": 404, "mia": 404, "cleo": 404, "cole": 404}

ROWS: dict[str, Row] = {
    "GET /billing": admin_only(200),
    "GET /billing/jobs": admin_only(200),
    "GET /billing/unbilled": admin_only(200),
    "POST /billing/summaries": admin_only(422),  # an empty form names no period
    "GET /billing/summaries/{summary_id:int}": admin_only(200),
    "POST /billing/summaries/{summary_id:int}/finalise": admin_only(BACK),  # already finalised: a notice
    "POST /billing/summaries/{summary_id:int}/unlock": admin_only(422),  # the reason is required
    "POST /billing/summaries/{summary_id:int}/share": admin_only(BACK),  # an empty form stops sharing
    "POST /billing/summaries/{summary_id:int}/retry": admin_only(BACK),  # not failed: a notice
    "POST /billing/summaries/{summary_id:int}/recompute": admin_only(BACK),  # finalised: a notice
    "GET /billing/summaries/{summary_id:int}/entries.csv": admin_only(200),
    "GET /billing/summaries/{summary_id:int}/totals.csv": admin_only(200),
    "GET /billing/summaries/{summary_id:int}/summary.json": admin_only(200),
    "GET /api/billing/summaries": api(ADMIN_API_ONLY),
    "POST /api/billing/summaries": api({**ADMIN_API_ONLY, "ada": 400}),  # an empty body is not JSON
    "GET /api/billing/summaries/{summary_id:int}": api(ADMIN_API_ONLY),
    "GET /api/billing/summaries/{summary_id:int}/entries.csv": api(ADMIN_API_ONLY),
    "GET /api/billing/summaries/{summary_id:int}/totals.csv": api(ADMIN_API_ONLY),
    # The client's portal: their own client's shared summaries; the agency has the admin pages instead
    "GET /portal/summaries": {
        "ada": Expect(404),
        "max": Expect(404),
        "mia": Expect(404),
        "cleo": Expect(200),
        "cole": Expect(200),  # Globex has none shared: an empty list
        "anonymous": LOGIN,
    },
    "GET /portal/summaries/{summary_id:int}": {
        "ada": Expect(404),
        "max": Expect(404),
        "mia": Expect(404),
        "cleo": Expect(200),
        "cole": Expect(404),
        "anonymous": LOGIN,
    },
}


async def shared_summary(
    agency: Agency, *, show_amounts: bool = True, start: date | None = None, end: date | None = None
) -> int:
    """A summary of Acme (by default a month over a year ago, which bills none of the matrix's
    entries: they must stay unlocked for the time routes' lines): computed, finalised and shared
    with Acme's users."""
    from server.billing import writes as ledger
    from server.rules.policy import Actor, Role
    from server.tables import BillingSummary

    today = datetime.now(UTC).date()
    rows = await BillingSummary.insert(
        BillingSummary(
            client=agency.acme,
            period_start=start or today - timedelta(days=400),
            period_end=end or today - timedelta(days=370),
            requested_by=agency.ada,
        )
    ).returning(BillingSummary.id)
    summary_id: int = rows[0]["id"]
    ada = Actor(id=agency.ada, email="ada@agency.test", name="Ada Admin", role=Role.ADMIN)
    await ledger.compute_summary(summary_id, timezone="UTC")
    await ledger.finalise(summary_id, ada)
    await ledger.share(summary_id, ada, shared=True, show_amounts=show_amounts)
    return summary_id


async def values(agency: Agency, board: dict[str, Any]) -> dict[str, Any]:
    """Path values for this feature's routes; `board` holds the board's (task_id, column_id, ...)."""
    return {"summary_id": await shared_summary(agency)}
