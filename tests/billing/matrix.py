"""The authorization matrix's lines for the billing routes, and values for their path parameters
(assembled in tests/test_authorization_matrix.py; a route without a line fails there).

`summary_id` is a summary of Acme, computed, finalised and shared with Acme's users (amounts shown):
so the admin's actions on it answer as on a finalised summary, and cleo may read it in her portal."""

from __future__ import annotations

from typing import Any

from tests.authz import LOGIN, Expect, Row, admin_only, api
from tests.billing.helpers import shared_summary
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
    "GET /api/billing/summaries/{summary_id:int}/summary.json": api(ADMIN_API_ONLY),
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


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    return {"summary_id": await shared_summary(agency)}
