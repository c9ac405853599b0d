"""Shared summaries in the client's portal: a client's users see the finalised summaries the agency
shared with them: hours by project, person and week; amounts only if the admin chose to show them;
never rates. Everyone else is told they do not exist (404)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from server.billing import live
from server.billing.pages import decimalised, stored_result
from server.kernel.access import not_found
from server.kernel.web import me_of, render
from server.rules.policy import Actor
from server.tables import BillingSummary

MINUTES = ("total_minutes", "billable_minutes", "rounded_minutes", "non_billable_minutes")


def shared_with(me: Actor) -> Any:
    """The summaries this client user may see: their client's, finalised and shared."""
    return (
        (BillingSummary.client == me.client_id)
        & BillingSummary.shared_with_client.eq(True)
        & BillingSummary.finalised_at.is_not_null()
    )


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


async def shared_summary_for(me: Actor, summary_id: int) -> dict[str, Any]:
    if not me.is_client or me.client_id is None:
        raise not_found()
    rows = await live.summaries((BillingSummary.id == summary_id) & shared_with(me), limit=1)
    if not rows:
        raise not_found()
    return rows[0]


@get("/portal/summaries", name="portal-summaries")
async def portal_summaries(request: Request[Any, Any, Any]) -> Template:
    me = me_of(request)
    if not me.is_client or me.client_id is None:
        raise not_found()
    return render(request, "portal/summaries.html", nav="portal", summaries=await live.summaries(shared_with(me)))


@get("/portal/summaries/{summary_id:int}")
async def portal_summary(request: Request[Any, Any, Any], summary_id: FromPath[int]) -> Template:
    me = me_of(request)
    summary = await shared_summary_for(me, summary_id)
    result = decimalised(await stored_result(summary))
    show_amounts = bool(summary["share_amounts"])
    return render(
        request,
        "portal/summary.html",
        nav="portal",
        s=summary,
        result=result,
        weeks=by_week(result.get("days", [])),
        show_amounts=show_amounts,
        amounts=live.as_money(result.get("totals", {}).get("amounts")) if show_amounts else [],
    )


ROUTES = [portal_summaries, portal_summary]
