"""The agency's monthly client reports (issue 16), for its admins: a client's report of a month
(`/clients/<id>/reports/<yyyy-mm>`, with a month picker), as the agency reads it (hours, billable
amounts, budgets in money) or as the client will (`?view=client`); the printable sheet; sharing it
with the client's users on their portal, and read-only links for people without a login."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.kernel.access import admin_only, client_for, not_found
from server.kernel.forms import Form
from server.kernel.i18n import _
from server.kernel.web import me_of, notice, render, see_other, today_of, tz_of
from server.reports import writes
from server.reports.schemas import checked_month, read_report_link
from server.reports.share_store import link_row, links_of, report_row
from server.reports.store import first_day, report_of
from server.reports.views import month_name, sheet
from server.rules.reports import add_months, default_month, month_key, months_between

Row = dict[str, Any]
VIEWS = ("agency", "client")


def _path(client_id: int, month: date) -> str:
    return f"/clients/{client_id}/reports/{month_key(month)}"


async def _client_and_month(request: Request[Any, Any, Any], client_id: int, month: str) -> tuple[Row, date, date]:
    """The client (404 for anyone but the agency's admins), the month (422 malformed, 404 with no
    report) and the client's first day."""
    client = await client_for(me_of(request), client_id)
    first = await first_day(client)
    return client, checked_month(month, first, today_of(request)), first


async def report_page(
    request: Request[Any, Any, Any],
    client: Row,
    month: date,
    first: date,
    *,
    view: str = "agency",
    status: int = 200,
    **extra: Any,
) -> Template:
    today = today_of(request)
    report = await report_of(client, month, today, tz_of(request), for_client=view == "client")
    shared = await report_row(int(client["id"]), month)
    context = {"form": {}, "errors": {}, "new_url": None, **extra}
    previous, following = add_months(month, -1), add_months(month, 1)
    return render(
        request,
        "reports/page.html",
        status_code=status,
        nav="clients",
        client=client,
        month_key=month_key(month),
        view=view,
        sheet=sheet(report, request.app.state.settings.agency_name, tz_of(request)),
        months=[(month_key(m), month_name(m)) for m in months_between(first, today)],
        previous=_path(int(client["id"]), previous) if previous >= first.replace(day=1) else None,
        following=_path(int(client["id"]), following) if following <= today else None,
        shared=shared,
        links=await links_of(shared["id"] if shared else None, today),
        **context,
    )


@get("/clients/{client_id:int}/reports", guards=[admin_only], name="client-reports")
async def pick_month(request: Request[Any, Any, Any], client_id: FromPath[int], month: FromQuery[str] = "") -> Redirect:
    """The month picker's answer (or last month's report): the report's own address."""
    client = await client_for(me_of(request), client_id)
    first, today = await first_day(client), today_of(request)
    chosen = checked_month(month, first, today) if month else default_month(first, today)
    return see_other(_path(client_id, chosen))


@get("/clients/{client_id:int}/reports/{month:str}", guards=[admin_only], name="client-report")
async def report(
    request: Request[Any, Any, Any], client_id: FromPath[int], month: FromPath[str], view: FromQuery[str] = "agency"
) -> Template:
    client, chosen, first = await _client_and_month(request, client_id, month)
    return await report_page(request, client, chosen, first, view=view if view in VIEWS else "agency")


@get("/clients/{client_id:int}/reports/{month:str}/print", guards=[admin_only])
async def print_report(
    request: Request[Any, Any, Any], client_id: FromPath[int], month: FromPath[str], view: FromQuery[str] = "client"
) -> Template:
    """One printable page, saved as PDF from the browser: the client's copy unless asked for the
    agency's (which says it is internal)."""
    client, chosen, _first = await _client_and_month(request, client_id, month)
    for_client = view != "agency"
    report = await report_of(client, chosen, today_of(request), tz_of(request), for_client=for_client)
    return render(
        request,
        "reports/print.html",
        sheet=sheet(report, request.app.state.settings.agency_name, tz_of(request)),
        back=_path(client_id, chosen) + ("?view=client" if for_client else ""),
    )


@post("/clients/{client_id:int}/reports/{month:str}/share", guards=[admin_only])
async def share(request: Request[Any, Any, Any], client_id: FromPath[int], month: FromPath[str]) -> Redirect:
    """Show the report to the client's users on their portal (or stop showing it)."""
    client, chosen, _first = await _client_and_month(request, client_id, month)
    shared = Form(await request.form()).boolean("shared")
    await writes.share(client_id, chosen, me_of(request), shared=shared)
    name = client["name"]
    notice(
        request,
        _("Shared with %(client)s.", client=name) if shared else _("No longer shared with %(client)s.", client=name),
    )
    return see_other(_path(client_id, chosen))


@post("/clients/{client_id:int}/reports/{month:str}/links", guards=[admin_only], status_code=200)
async def create_link(request: Request[Any, Any, Any], client_id: FromPath[int], month: FromPath[str]) -> Template:
    client, chosen, first = await _client_and_month(request, client_id, month)
    today = today_of(request)
    form = Form(await request.form())
    data = read_report_link(form, today)
    if not form.ok:
        return await report_page(request, client, chosen, first, status=422, form=dict(form.raw), errors=form.errors)
    token = await writes.create_link(client_id, chosen, data, me_of(request))
    url = f"{request.base_url}".rstrip("/") + f"/reports/shared/{token}"
    return await report_page(request, client, chosen, first, new_url=url)


@post("/report-links/{report_link_id:int}/revoke", guards=[admin_only])
async def revoke_link(request: Request[Any, Any, Any], report_link_id: FromPath[int]) -> Redirect:
    link = await link_row(report_link_id)
    if link is None:
        raise not_found()
    await client_for(me_of(request), int(link["client"]))
    await writes.revoke(report_link_id, link["revoked_at"])
    notice(request, _("Link revoked."))
    month = link["month"] if isinstance(link["month"], date) else date.fromisoformat(str(link["month"])[:10])
    return see_other(_path(int(link["client"]), month))


ROUTES = [pick_month, report, print_report, share, create_link, revoke_link]
