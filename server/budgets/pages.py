"""The budgets overview (/budgets, the agency's admins): every active project with a budget, one line
each, worst first or by name, with a small burn bar. The page draws the first lines (the worst, on
the default order: what Monday's question is about) and the next ones as they are scrolled to."""

from __future__ import annotations

from collections import Counter
from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.budgets.alert_store import burns_of
from server.budgets.store import ProjectBurn, budget_lines
from server.budgets.views import Words, views_of, words
from server.kernel.access import admin_only, project_for
from server.kernel.templating import render_fragment
from server.kernel.web import fragment_response, me_of, render, today_of

SORTS = ("risk", "name")
PAGE = 25  # lines drawn at a time: two or three screens of them


@get("/budgets", name="budgets", guards=[admin_only])
async def overview(
    request: Request[Any, Any, Any], sort: FromQuery[str] = "risk", all: FromQuery[bool] = False
) -> Template:
    sort = sort if sort in SORTS else "risk"
    today, w = today_of(request), words()
    lines = await budget_lines(today, sort=sort)
    shown, after, left = _window(lines, 0, every=all)
    return render(
        request,
        "budgets/index.html",
        lines=await views_of(shown, today, w),
        sort=sort,
        t=w,
        counts=_counts(lines, w),
        after=after,
        left=left,
    )


def _window(lines: list[ProjectBurn], after: int, *, every: bool = False) -> tuple[list[ProjectBurn], int, int]:
    """The lines drawn after the first `after` (the next PAGE, or all of them), where the next ones
    start, and how many are left after them."""
    after = max(after, 0)
    shown = lines[after:] if every else lines[after : after + PAGE]
    return shown, after + len(shown), max(len(lines) - after - len(shown), 0)


def _counts(lines: list[ProjectBurn], w: Words) -> list[tuple[str, str, int]]:
    """(risk, its label, how many lines) for each risk some line is at, worst first."""
    risks = Counter(line.worst.risk for line in lines)
    return [(risk.value, w.statuses[risk], risks[risk]) for risk in w.statuses if risks[risk]]


@get("/budgets/counts", guards=[admin_only], media_type=MediaType.HTML)
async def overview_counts(request: Request[Any, Any, Any]) -> Response[str]:
    """The overview's counts as they are now, for an open overview told that some hours changed."""
    w = words()
    lines = await budget_lines(today_of(request))
    return fragment_response(render_fragment("budgets/_counts.html", counts=_counts(lines, w)))


@get("/budgets/more", guards=[admin_only], media_type=MediaType.HTML)
async def more_lines(
    request: Request[Any, Any, Any], sort: FromQuery[str] = "risk", after: FromQuery[int] = 0
) -> Response[str]:
    """The overview's next lines, when the last one drawn is scrolled to."""
    sort = sort if sort in SORTS else "risk"
    today, w = today_of(request), words()
    shown, after, left = _window(await budget_lines(today, sort=sort), after)
    views = await views_of(shown, today, w)
    html = render_fragment("budgets/_lines.html", lines=views, t=w, sort=sort, after=after, left=left)
    return fragment_response(html)


@get("/budgets/lines/{project_id:int}", guards=[admin_only], media_type=MediaType.HTML)
async def overview_line(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    """One project's line as it is now, for an open overview told that its hours changed
    (budgets.sockets); empty when the project no longer has a budget (the line goes)."""
    await project_for(me_of(request), project_id)
    today, w = today_of(request), words()
    found = await burns_of([project_id], today)
    views = await views_of([line for _project, line in found], today, w)
    html = render_fragment("budgets/_line.html", v=views[0], t=w) if views else ""
    return fragment_response(html)


ROUTES = [overview, overview_counts, more_lines, overview_line]
