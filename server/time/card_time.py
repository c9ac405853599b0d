"""Time on one card: what the card dialog shows, and logging time from it."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Sum

from server.tables import TimeEntry

RECENT = 8


async def time_on_card(task_id: int) -> dict[str, Any]:
    """Total logged (stopped entries), who is running a timer, and the latest entries."""
    total = (
        await TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes"))
        .where((TimeEntry.task == task_id) & TimeEntry.ended_at.is_not_null())
        .first()
    )
    recent = (
        await TimeEntry.select(
            TimeEntry.id,
            TimeEntry.started_at,
            TimeEntry.ended_at,
            TimeEntry.minutes,
            TimeEntry.note,
            TimeEntry.billable,
            TimeEntry.person.name.as_alias("person_name"),
        )
        .where(TimeEntry.task == task_id)
        .order_by(TimeEntry.started_at, ascending=False)
        .limit(RECENT)
    )
    return {"logged": int((total or {}).get("minutes") or 0), "recent": recent}
