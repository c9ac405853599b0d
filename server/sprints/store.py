"""Reading sprints: a project's sprints, a sprint's plan and the backlog in board order, the planning
totals (capacity, budget, last week, velocity) and the project's velocity over its closed weeks.

Shared by the planning pages, the sprint report, the client review and portal, and share links:
each shows the same plan, so each reads it here. (The board's weeks, `ensure_sprints`,
`sprint_of_week` and `active_sprint`, are read in boards.store; one sprint for a user in
kernel.access.sprint_for.)"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from server.boards.store import CardView, cards_where
from server.rules.burn import BudgetPeriod, Burn, burn, month_of
from server.rules.sprints import SprintState, capacity_minutes, load_percent, velocity
from server.rules.weeks import day_bounds, iso_week_label, monday_of, week_bounds
from server.sprints.charts import VelocityBar
from server.sprints.hours_store import logged_minutes
from server.tables import BoardColumn, Membership, Project, Sprint, Task

VELOCITY_WINDOW = 8


def as_json(value: Any) -> dict[str, Any]:
    """A JSON column's value: SQLite hands back the text, PostgreSQL may too."""
    return json.loads(value or "{}") if isinstance(value, str) else dict(value or {})


def result_of(sprint: dict[str, Any]) -> dict[str, Any]:
    """What closing the sprint recorded (empty while it is open)."""
    return as_json(sprint.get("result"))


@dataclass
class Plan:
    """A sprint's cards as everyone sees them, with the totals planning and review show."""

    sprint: dict[str, Any]
    cards: list[CardView] = field(default_factory=list)

    @property
    def estimate_minutes(self) -> int:
        return sum(c.estimate_minutes or 0 for c in self.cards)

    @property
    def done_minutes(self) -> int:
        return sum(c.estimate_minutes or 0 for c in self.cards if c.done)

    @property
    def unestimated(self) -> int:
        return sum(1 for c in self.cards if not c.estimate_minutes)


async def _in_board_order(project: dict[str, Any], *conditions: Any, client_view: bool = False) -> list[CardView]:
    """The project's live cards matching `conditions` in board order (column, then rank), each
    knowing if it is done."""
    columns = {c["id"]: c for c in await BoardColumn.select().where(BoardColumn.project == project["id"])}
    found = await cards_where(project["key"], *conditions, Task.archived.eq(False), client_view=client_view)
    order = {cid: (c["archived"], c["rank"], cid) for cid, c in columns.items()}
    for card in found:
        card.done = bool(columns.get(card.column_id, {}).get("is_done"))
    found.sort(key=lambda c: (order.get(c.column_id, (True, "", 0)), c.rank, c.id))
    return found


async def plan_of(project: dict[str, Any], sprint: dict[str, Any], *, client_view: bool = False) -> Plan:
    """The sprint's live cards in board order."""
    cards = await _in_board_order(project, Task.sprint == sprint["id"], client_view=client_view)
    return Plan(sprint=sprint, cards=cards)


async def backlog_of(project: dict[str, Any]) -> list[CardView]:
    """The project's live cards in no sprint, in board order."""
    return await _in_board_order(project, Task.project == project["id"], Task.sprint.is_null())


async def project_row(project_id: int) -> dict[str, Any] | None:
    return await Project.select().where(Project.id == project_id).first()


async def sprint_row(sprint_id: int) -> dict[str, Any] | None:
    return await Sprint.select().where(Sprint.id == sprint_id).first()


async def sprints_of(project_id: int) -> list[dict[str, Any]]:
    """Every sprint of the project, newest week first."""
    return await Sprint.select().where(Sprint.project == project_id).order_by(Sprint.starts_on, ascending=False)


async def sprints_by_id(sprint_ids: set[int]) -> list[dict[str, Any]]:
    return await Sprint.select().where(Sprint.id.is_in(list(sprint_ids) or [0]))


async def running_besides(sprint: dict[str, Any]) -> dict[str, Any] | None:
    """Another sprint of the project that is running (its name), if one is: only one runs at a time."""
    return (
        await Sprint.select(Sprint.name)
        .where(
            (Sprint.project == sprint["project"]) & (Sprint.state == SprintState.ACTIVE) & (Sprint.id != sprint["id"])
        )
        .first()
    )


async def column_names(project_id: int) -> dict[int, str]:
    return {c["id"]: c["name"] for c in await BoardColumn.select().where(BoardColumn.project == project_id)}


async def velocity_of(project_id: int, *, up_to: date | None = None) -> tuple[list[VelocityBar], int]:
    """The last closed sprints (oldest first) and the average completed estimate over them."""
    query = Sprint.select(Sprint.name, Sprint.starts_on, Sprint.result).where(
        (Sprint.project == project_id) & (Sprint.state == SprintState.CLOSED)
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
    return bars, velocity([b.completed_minutes for b in bars], VELOCITY_WINDOW)


async def budget_burn(project: dict[str, Any], tz: str, today: date) -> Burn | None:
    """The hours budget's burn in its current period: this month for a retainer, else the project so
    far (to its budget's end date when it has one). None without an hours budget."""
    if project.get("budget_hours") is None:
        return None
    if BudgetPeriod.of(project.get("budget_period")) is BudgetPeriod.MONTHLY:
        start, end = month_of(today)
        used = await logged_minutes(project["id"], day_bounds(start, tz)[0], day_bounds(end, tz)[1])
    else:
        created = project.get("created_at")
        start = min(created.date() if created is not None else today, today)
        ends_on = project.get("budget_ends_on")
        end = max(ends_on, start) if ends_on is not None else today
        used = await logged_minutes(project["id"])
    return burn(used, int(project["budget_hours"]) * 60, start, end, today)


async def totals_of(project: dict[str, Any], plan: Plan, tz: str, today: date) -> dict[str, Any]:
    """The plan against the team's capacity and the project's budget, with last week's hours beside."""
    members = await Membership.count().where(Membership.project == project["id"])
    capacity = capacity_minutes(members, project["weekly_capacity_hours"])
    budget = await budget_burn(project, tz, today)
    budget_left = None if budget is None or budget.left is None else budget.left
    last_monday = monday_of(today) - timedelta(days=7)
    _bars, average = await velocity_of(project["id"])
    return {
        "planned": plan.estimate_minutes,
        "done": plan.done_minutes,
        "cards": len(plan.cards),
        "unestimated": plan.unestimated,
        "members": members,
        "capacity": capacity,
        "load": load_percent(plan.estimate_minutes, capacity),
        "budget_left": budget_left,
        "budget": budget,
        "budget_load": load_percent(plan.estimate_minutes, budget_left) if budget_left else None,
        "last_week": await logged_minutes(project["id"], *week_bounds(last_monday, tz)),
        "velocity": average,
    }
