"""Monthly reports in the client's portal: a client's users read the reports the agency shared with
them, by month, in the client's copy (no money, no internal card, only their shared projects), and
print them. To everyone else these pages do not exist (404): the agency has its own."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath
from litestar.response import Template

from server.kernel.access import not_found
from server.kernel.web import me_of, render, today_of, tz_of
from server.reports.schemas import checked_month
from server.reports.share_store import is_shared, shared_months
from server.reports.store import client_row, first_day, report_of
from server.reports.views import month_name, sheet
from server.rules.policy import Actor
from server.rules.reports import month_key

Row = dict[str, Any]


def clients_only(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if not isinstance(user, Actor) or not user.is_client or user.client_id is None:
        raise not_found()


async def _my_client(request: Request[Any, Any, Any]) -> Row:
    me = me_of(request)
    assert me.client_id is not None
    client = await client_row(me.client_id)
    if client is None or client["archived"]:
        raise not_found()
    return client


async def _shared_report(request: Request[Any, Any, Any], month: str) -> dict[str, Any]:
    """The client's copy of a month the agency shared with them (422 for a malformed month, 404 for
    one not shared)."""
    client = await _my_client(request)
    today = today_of(request)
    chosen = checked_month(month, await first_day(client), today)
    if not await is_shared(int(client["id"]), chosen):
        raise not_found()
    report = await report_of(client, chosen, today, tz_of(request), for_client=True)
    return {
        "sheet": sheet(report, request.app.state.settings.agency_name, tz_of(request)),
        "month_key": month_key(chosen),
    }


@get("/portal/reports", guards=[clients_only], name="portal-reports")
async def portal_reports(request: Request[Any, Any, Any]) -> Template:
    client = await _my_client(request)
    months = []
    for row in await shared_months(int(client["id"])):
        month = row["month"] if isinstance(row["month"], date) else date.fromisoformat(str(row["month"])[:10])
        months.append({"key": month_key(month), "name": month_name(month), "shared_at": row["shared_at"]})
    return render(request, "reports/portal_list.html", nav="portal", client=client, months=months)


@get("/portal/reports/{month:str}", guards=[clients_only])
async def portal_report(request: Request[Any, Any, Any], month: FromPath[str]) -> Template:
    return render(request, "reports/portal_report.html", nav="portal", **await _shared_report(request, month))


@get("/portal/reports/{month:str}/print", guards=[clients_only])
async def portal_print(request: Request[Any, Any, Any], month: FromPath[str]) -> Template:
    found = await _shared_report(request, month)
    return render(request, "reports/print.html", sheet=found["sheet"], back=f"/portal/reports/{found['month_key']}")


ROUTES = [portal_reports, portal_report, portal_print]
