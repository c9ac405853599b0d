"""Shared summaries in the client's portal: a client's users see the finalised summaries the agency
shared with them: hours by project, person and week; amounts only if the admin chose to show them;
never rates. Everyone else is told they do not exist (404): billing.store's visibility rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from server.billing.store import as_money, decimalised, result_of, shared_summaries, summary_for
from server.billing.summary_store import MINUTES, client_copy_of
from server.kernel.web import me_of, render


def by_week(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The result's day rows summed per ISO week (Monday first), in order."""
    weeks: dict[date, dict[str, Any]] = {}
    for row in days:
        day = date.fromisoformat(str(row["day"]))
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"monday": monday, **dict.fromkeys(MINUTES, 0)})
        for key in MINUTES:
            week[key] += int(row.get(key, 0))
    return [weeks[k] for k in sorted(weeks)]


async def as_client_reads_it(summary: dict[str, Any]) -> dict[str, Any]:
    """A shared summary's row with the totals of the client's copy (only the projects shared with
    them), not the agency's."""
    totals = (await client_copy_of(summary, await result_of(summary))).get("totals", {})
    return {
        **summary,
        "total_minutes": int(totals.get("total_minutes", 0)),
        "rounded_minutes": int(totals.get("rounded_minutes", 0)),
        "money": as_money(totals.get("amounts")),
    }


@get("/portal/summaries", name="portal-summaries")
async def portal_summaries(request: Request[Any, Any, Any]) -> Template:
    summaries = [await as_client_reads_it(s) for s in await shared_summaries(me_of(request))]
    return render(request, "portal/summaries.html", nav="portal", summaries=summaries)


@get("/portal/summaries/{summary_id:int}")
async def portal_summary(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template:
    summary = await summary_for(me_of(request), summary_id, shared=True)
    result = decimalised(await client_copy_of(summary, await result_of(summary)))
    show_amounts = bool(summary["share_amounts"])
    return render(
        request,
        "portal/summary.html",
        nav="portal",
        s=summary,
        result=result,
        weeks=by_week(result.get("days", [])),
        show_amounts=show_amounts,
        amounts=as_money(result.get("totals", {}).get("amounts")) if show_amounts else [],
    )


ROUTES = [portal_summaries, portal_summary]
