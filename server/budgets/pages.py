"""The budgets overview (/budgets, the agency's admins): every active project with a budget, one line
each, worst first or by name, with a small burn bar."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.budgets.alert_store import burns_of
from server.budgets.store import budget_lines
from server.budgets.views import labels, views_of
from server.kernel.access import admin_only, project_for
from server.kernel.templating import render_fragment
from server.kernel.web import fragment_response, me_of, render, today_of

SORTS = ("risk", "name")


@get("/budgets", name="budgets", guards=[admin_only])
async def overview(request: Request[Any, Any, Any], sort: FromQuery[str] = "risk") -> Template:
    sort = sort if sort in SORTS else "risk"
    today = today_of(request)
    lines = await budget_lines(today, sort=sort)
    return render(request, "budgets/index.html", lines=await views_of(lines, today), sort=sort, t=labels())


@get("/budgets/lines/{project_id:int}", guards=[admin_only], media_type=MediaType.HTML)
async def overview_line(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    """One project's line as it is now, for an open overview told that its hours changed
    (budgets.sockets); empty when the project no longer has a budget (the line goes)."""
    await project_for(me_of(request), project_id)
    today = today_of(request)
    found = await burns_of([project_id], today)
    views = await views_of([line for _project, line in found], today)
    html = render_fragment("budgets/_line.html", v=views[0], t=labels()) if views else ""
    return fragment_response(html)


ROUTES = [overview, overview_line]
