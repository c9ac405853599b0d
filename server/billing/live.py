"""A summary's progress as htmx fragments: the header's job chip (`#jobs`) and the summary page's
status block (`#summary-<id>-status`). The web renders them on page load; the worker renders the
same templates and publishes them on the requester's personal channel as the job moves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.kernel.templating import render_fragment
from server.realtime.hub import user_channel
from server.tables import BillingSummary

ACTIVE = ("queued", "running")
COLUMNS = (
    BillingSummary.id,
    BillingSummary.client,
    BillingSummary.client.name.as_alias("client_name"),
    BillingSummary.client.currency.as_alias("currency"),
    BillingSummary.period_start,
    BillingSummary.period_end,
    BillingSummary.status,
    BillingSummary.progress,
    BillingSummary.attempts,
    BillingSummary.requested_by,
    BillingSummary.requested_by.name.as_alias("requested_by_name"),
    BillingSummary.source,
    BillingSummary.total_minutes,
    BillingSummary.billable_minutes,
    BillingSummary.rounded_minutes,
    BillingSummary.amounts,
    BillingSummary.error,
    BillingSummary.created_at,
    BillingSummary.started_at,
    BillingSummary.finished_at,
    BillingSummary.finalised_at,
    BillingSummary.finalised_by.name.as_alias("finalised_by_name"),
    BillingSummary.shared_with_client,
    BillingSummary.share_amounts,
)


def as_money(amounts: dict[str, str] | None) -> list[tuple[Decimal, str]]:
    """{currency: "123.45"} as (Decimal, currency) pairs for `money()`, by currency."""
    return [(Decimal(str(value)), currency) for currency, value in sorted((amounts or {}).items())]


def with_money(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "money": as_money(row["amounts"])} for row in rows]


async def summaries(where: Any = None, *, limit: int = 200) -> list[dict[str, Any]]:
    """Summaries as pages list them (without their result), newest first."""
    query = BillingSummary.select(*COLUMNS).output(load_json=True)
    if where is not None:
        query = query.where(where)
    return with_money(await query.order_by(BillingSummary.id, ascending=False).limit(limit))


async def summary_row(summary_id: int) -> dict[str, Any] | None:
    """The summary's row as pages show it (without its result), or None."""
    rows = await summaries(BillingSummary.id == summary_id, limit=1)
    return rows[0] if rows else None


async def active_summaries(user_id: int) -> list[dict[str, Any]]:
    """The summaries this person asked for that are still queued or running, oldest first."""
    rows = await summaries((BillingSummary.requested_by == user_id) & BillingSummary.status.is_in(list(ACTIVE)))
    return rows[::-1]


def jobs_slot(active: list[dict[str, Any]], *, oob: bool = False) -> str:
    return render_fragment("billing/_jobs.html", active=active, oob=oob)


def status_block(summary: dict[str, Any], *, oob: bool = False, progress: int | None = None) -> str:
    """The status block; pushed (oob) once done, it makes the page fetch the result in place."""
    pct = summary["progress"] if progress is None else progress
    return render_fragment("billing/_status.html", s=summary, progress=pct, oob=oob, live=oob)


async def fragments(summary_id: int, *, progress: int | None = None) -> tuple[int | None, str]:
    """(the requester's id, the fragments to push them) for a summary's current state."""
    summary = await summary_row(summary_id)
    if summary is None or summary["requested_by"] is None:
        return None, ""
    active = await active_summaries(summary["requested_by"])
    if progress is not None:
        active = [{**s, "progress": progress} if s["id"] == summary_id else s for s in active]
    html = jobs_slot(active, oob=True) + status_block(summary, oob=True, progress=progress)
    return summary["requested_by"], html


async def publish(redis: Any, namespace: str, summary_id: int, *, progress: int | None = None) -> None:
    """Push the summary's state to the person who asked for it (their personal socket swaps it in)."""
    user_id, html = await fragments(summary_id, progress=progress)
    if user_id is not None:
        await redis.publish(user_channel(namespace, user_id), html)
