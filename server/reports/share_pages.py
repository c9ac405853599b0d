"""A monthly report's read-only link, for people without a login: the client's copy on one printable
page (no money, no internal card), counted at each view. A wrong, expired or revoked link is a plain
404 that does not say which."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from server.kernel.access import not_found
from server.kernel.web import render, today_of, tz_of
from server.reports import writes
from server.reports.share_store import live_link
from server.reports.store import client_row, report_of
from server.reports.views import sheet

PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


@get("/reports/shared/{report_token:str}", exclude_from_auth=True, name="report-share")
async def shared_report(request: Request[Any, Any, Any], report_token: FromPath[str]) -> Template:
    today = today_of(request)
    link = await live_link(report_token, today)
    client = await client_row(int(link["client"])) if link else None
    if link is None or client is None:
        raise not_found()
    month = link["month"] if isinstance(link["month"], date) else date.fromisoformat(str(link["month"])[:10])
    report = await report_of(client, month, today, tz_of(request), for_client=True)
    await writes.count_view(int(link["id"]))
    page = render(
        request, "reports/print.html", sheet=sheet(report, request.app.state.settings.agency_name, tz_of(request))
    )
    page.headers.update(PRIVATE)
    return page


ROUTES = [shared_report]
