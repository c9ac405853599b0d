"""A summary's progress as htmx fragments: the header's job chip (`#jobs`) and the summary page's
status block (`#summary-<id>-status`). The web renders them on page load; the worker renders the
same templates and publishes them on the requester's personal channel as the job moves."""

from __future__ import annotations

from typing import Any

from server.billing.store import active_summaries, summary_row
from server.kernel.templating import render_fragment
from server.realtime.hub import user_channel


def job_chip(active: list[dict[str, Any]], *, oob: bool = False) -> str:
    """The header's `#jobs` slot: a chip per summary still queued or running (`active`)."""
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
    html = job_chip(active, oob=True) + status_block(summary, oob=True, progress=progress)
    return summary["requested_by"], html


async def publish(redis: Any, namespace: str, summary_id: int, *, progress: int | None = None) -> None:
    """Push the summary's state to the person who asked for it (their personal socket swaps it in)."""
    user_id, html = await fragments(summary_id, progress=progress)
    if user_id is not None:
        await redis.publish(user_channel(namespace, user_id), html)
