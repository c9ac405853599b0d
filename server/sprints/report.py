"""What a sprint report shows: the recorded result of a closed sprint (or the live figures of an open
one), its burndown and the project's velocity over the last closed sprints."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from server.rules import sprints as rules
from server.rules.weeks import iso_week_label
from server.sprints.charts import VelocityBar, burndown_svg, velocity_svg
from server.sprints.writes import sprint_numbers
from server.tables import Sprint

VELOCITY_WINDOW = 8


def result_of(sprint: dict[str, Any]) -> dict[str, Any]:
    raw = sprint.get("result") or {}
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


async def velocity_of(project_id: int, *, up_to: date | None = None) -> tuple[list[VelocityBar], int]:
    """The last closed sprints (oldest first) and the average completed estimate over them."""
    query = Sprint.select(Sprint.name, Sprint.starts_on, Sprint.result).where(
        (Sprint.project == project_id) & (Sprint.state == "closed")
    )
    if up_to is not None:
        query = query.where(Sprint.starts_on <= up_to)
    rows = await query.order_by(Sprint.starts_on, ascending=False).limit(VELOCITY_WINDOW)
    bars = []
    for row in reversed(rows):
        result = result_of(row)
        bars.append(
            VelocityBar(
                label=f"W{iso_week_label(row['starts_on'])[1]}",
                planned_minutes=int(result.get("planned_minutes", 0)),
                completed_minutes=int(result.get("completed_minutes", 0)),
            )
        )
    return bars, rules.velocity([b.completed_minutes for b in bars], VELOCITY_WINDOW)


async def report_context(sprint: dict[str, Any], tz: str, today: date) -> dict[str, Any]:
    closed = sprint["state"] == rules.SprintState.CLOSED
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
