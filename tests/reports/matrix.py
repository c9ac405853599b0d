"""The authorization matrix's lines for the monthly client reports, and values for their path
parameters (assembled in tests/test_authorization_matrix.py; a route without a line fails there).

The agency's report pages are its admins' (like the client pages they open from): to members and
clients they do not exist. A client's users read their own client's shared reports on the portal:
`month` is last month, shared with Acme (cleo) and not with Globex (cole: 404). The read-only link
works for anyone who has it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server.reports.writes import new_token
from server.rules.reports import add_months, month_key
from server.sprints.share_store import token_hash
from server.tables import ClientReport, ReportLink
from tests.authz import LOGIN, Expect, Row, admin_only, public
from tests.conftest import Agency
from tests.factories import today


def own_client(status: int, *, other: int = 404) -> Row:
    """The portal's report pages: Acme's users see Acme's; the agency has its own pages (404)."""
    return {
        **dict.fromkeys(("ada", "max", "mia"), Expect(404)),
        "cleo": Expect(status),
        "cole": Expect(other),
        "anonymous": LOGIN,
    }


REPORT = Expect(303, "/clients/")

ROWS: dict[str, Row] = {
    "GET /clients/{client_id:int}/reports": admin_only(REPORT),
    "GET /clients/{client_id:int}/reports/{month:str}": admin_only(200),
    "GET /clients/{client_id:int}/reports/{month:str}/print": admin_only(200),
    "POST /clients/{client_id:int}/reports/{month:str}/share": admin_only(REPORT),  # an empty form stops sharing
    "POST /clients/{client_id:int}/reports/{month:str}/links": admin_only(422),  # who it is for is required
    "POST /report-links/{report_link_id:int}/revoke": admin_only(REPORT),
    "GET /portal/reports": own_client(200, other=200),  # Globex has none shared: an empty list
    "GET /portal/reports/{month:str}": own_client(200),
    "GET /portal/reports/{month:str}/print": own_client(200),
    "GET /reports/shared/{report_token:str}": public(200),
}


async def values(agency: Agency, earlier: dict[str, Any]) -> dict[str, Any]:
    """Last month's report of Acme, shared with its users, and a link to it."""
    month = add_months(today().replace(day=1), -1)
    reports = await ClientReport.insert(
        ClientReport(
            client=agency.acme, month=month, shared_with_client=True, shared_at=datetime.now(UTC), shared_by=agency.ada
        )
    ).returning(ClientReport.id)
    token = new_token()
    links = await ReportLink.insert(
        ReportLink(report=reports[0]["id"], label="Acme board", token_hash=token_hash(token), created_by=agency.ada)
    ).returning(ReportLink.id)
    return {"month": month_key(month), "report_link_id": links[0]["id"], "report_token": token}
