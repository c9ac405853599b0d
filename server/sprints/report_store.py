"""What a sprint report shows: the figures of a sprint as they stand (planned and completed estimate,
hours logged in its week, unfinished cards, the burndown), which closing records; the recorded result
of a closed sprint; its burndown and the project's velocity as charts."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.query.functions.aggregate import Sum

from server.rules.sprints import CardAtClose, SprintState, burndown, close, day_in_week
from server.rules.weeks import local_day, week_bounds
from server.sprints.charts import burndown_svg, velocity_svg
from server.sprints.store import result_of, velocity_of
from server.tables import Activity, BoardColumn, Task, TimeEntry

DONE_VERBS = ("moved", "created")


async def _done_days(project_id: int, done_cards: list[int], done_columns: list[int], tz: str) -> dict[int, date]:
    """When each done card last entered a done column (its Activity rows), as a local day."""
    if not done_cards or not done_columns:
        return {}
    rows = (
        await Activity.select(Activity.task, Activity.at)
        .where(
            (Activity.project == project_id)
            & Activity.verb.is_in(list(DONE_VERBS))
            & Activity.task.is_in(done_cards)
            & Activity.column.is_in(done_columns)
        )
        .order_by(Activity.at)
    )
    return {row["task"]: local_day(row["at"], tz) for row in rows}  # the last one wins


async def _logged_on(task_ids: list[int], monday: date, tz: str) -> int:
    """Minutes logged on these cards in the week starting `monday`."""
    if not task_ids:
        return 0
    start, end = week_bounds(monday, tz)
    row = (
        await TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes"))
        .where(
            TimeEntry.task.is_in(task_ids)
            & TimeEntry.ended_at.is_not_null()
            & (TimeEntry.started_at >= start)
            & (TimeEntry.started_at < end)
        )
        .first()
    )
    return int((row or {}).get("minutes") or 0)


async def sprint_numbers(sprint: dict[str, Any], tz: str) -> dict[str, Any]:
    """The sprint's figures as they stand: planned and completed estimate, hours logged in its week,
    unfinished cards, and the burndown. Closing records these; the report shows them live before."""
    monday = sprint["starts_on"]
    columns = await BoardColumn.select(BoardColumn.id, BoardColumn.is_done).where(
        BoardColumn.project == sprint["project"]
    )
    done_columns = [c["id"] for c in columns if c["is_done"]]
    tasks = await Task.select(Task.id, Task.estimate_minutes, Task.column).where(
        (Task.sprint == sprint["id"]) & Task.archived.eq(False)
    )
    cards = [CardAtClose(t["id"], t["estimate_minutes"] or 0, t["column"] in done_columns) for t in tasks]
    outcome = close(cards, carry_to_next=True)
    done_days = await _done_days(sprint["project"], [c.task_id for c in cards if c.done], done_columns, tz)
    completed_on = [(day_in_week(monday, done_days.get(c.task_id)), c.estimate_minutes) for c in cards if c.done]
    return {
        "planned_minutes": outcome.planned_minutes,
        "completed_minutes": outcome.completed_minutes,
        "logged_minutes": await _logged_on([c.task_id for c in cards], monday, tz),
        "cards": len(cards),
        "unfinished": list(outcome.carried),
        "burndown": [[d.isoformat(), r] for d, r in burndown(monday, outcome.planned_minutes, completed_on)],
    }


async def report_context(sprint: dict[str, Any], tz: str, today: date) -> dict[str, Any]:
    closed = sprint["state"] == SprintState.CLOSED
    figures = result_of(sprint) if closed else await sprint_numbers(sprint, tz)
    points = [(date.fromisoformat(d), int(r)) for d, r in figures.get("burndown", [])]
    planned = int(figures.get("planned_minutes", 0))
    bars, average = await velocity_of(sprint["project"])
    return {
        "closed": closed,
        "figures": figures,
        "points": points,
        "until": None if closed else today,
        "burndown_chart": burndown_svg(planned, points, until=None if closed else today) if points else None,
        "velocity_chart": velocity_svg(bars, average) if bars else None,
        "velocity_minutes": average,
        "velocity_count": len(bars),
    }
