"""Sprint writes: a card into or out of a sprint, a sprint's goal, starting and closing.

Each runs inside one `board_change`: one transaction, one numbered board event and its Activity row,
so every open board and planning page hears of it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum

from server.boards.changes import Announcer, Change, board_change
from server.boards.writes import BoardError, StaleVersion
from server.kernel.i18n import _
from server.rules import sprints as rules
from server.rules import weeks
from server.rules.policy import Actor
from server.sprints.store import next_open_sprint
from server.tables import Activity, BoardColumn, Sprint, Task, TimeEntry

DONE_VERBS = ("moved", "created")


class _Unchanged(Exception):
    """The card is already where it was asked to go: the transaction (and its number) is dropped."""


class SprintConflict(BoardError):
    """The sprint is not in a state that allows this (already active, already closed)."""

    status = 409


async def move_to_sprint(
    task: dict[str, Any], actor: Actor, sprint_id: int | None, announcer: Announcer, *, version: int | None = None
) -> Change | None:
    """Put the card in sprint `sprint_id` (None: the backlog); None when it is already there."""
    if sprint_id is not None:
        target = await Sprint.select(Sprint.project, Sprint.state).where(Sprint.id == sprint_id).first()
        if target is None or target["project"] != task["project"]:
            raise BoardError(_("Choose a sprint of this project."))
        if target["state"] == rules.SprintState.CLOSED:
            raise BoardError(_("That sprint is closed. Plan the card into an open sprint."))
    try:
        async with board_change(task["project"], actor, announcer) as change:
            current = await Task.select(Task.sprint, Task.version).where(Task.id == task["id"]).first()
            assert current is not None
            if version is not None and current["version"] != version:
                raise StaleVersion(_("Someone moved or edited this card first. It is shown where it is now."))
            if current["sprint"] == sprint_id:
                raise _Unchanged
            await Task.update(
                {Task.sprint: sprint_id, Task.version: Task.version + 1, Task.updated_at: datetime.now(UTC)}
            ).where(Task.id == task["id"])
            change.cards.add(task["id"])
            change.log("sprint_changed", task=task["id"], from_sprint=current["sprint"], to_sprint=sprint_id)
    except _Unchanged:
        return None
    return change


async def set_goal(sprint: dict[str, Any], actor: Actor, goal: str, announcer: Announcer) -> None:
    async with board_change(sprint["project"], actor, announcer) as change:
        await Sprint.update({Sprint.goal: goal, Sprint.version: Sprint.version + 1}).where(Sprint.id == sprint["id"])
        change.log("sprint_goal", sprint=sprint["id"], goal=goal[:80])


async def start(sprint: dict[str, Any], actor: Actor, announcer: Announcer) -> None:
    """Planned to active; refused (409) while another sprint of the project runs, or if not planned."""
    async with board_change(sprint["project"], actor, announcer) as change:
        running = (
            await Sprint.select(Sprint.name)
            .where((Sprint.project == sprint["project"]) & (Sprint.state == "active") & (Sprint.id != sprint["id"]))
            .first()
        )
        if running is not None:
            raise SprintConflict(
                _("%(name)s is still running. Close it before starting another.", name=running["name"])
            )
        started = (
            await Sprint.update(
                {Sprint.state: "active", Sprint.started_at: datetime.now(UTC), Sprint.version: Sprint.version + 1}
            )
            .where((Sprint.id == sprint["id"]) & (Sprint.state == "planned"))
            .returning(Sprint.id)
        )
        if not started:
            raise SprintConflict(_("Only a planned sprint can be started."))
        change.log("sprint_started", sprint=sprint["id"])


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
    return {row["task"]: weeks.local_day(row["at"], tz) for row in rows}  # the last one wins


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
    cards = [rules.CardAtClose(t["id"], t["estimate_minutes"] or 0, t["column"] in done_columns) for t in tasks]
    outcome = rules.close(cards, carry_to_next=True)
    done_days = await _done_days(sprint["project"], [c.task_id for c in cards if c.done], done_columns, tz)
    completed_on = [(rules.day_in_week(monday, done_days.get(c.task_id)), c.estimate_minutes) for c in cards if c.done]
    start, end = weeks.week_bounds(monday, tz)
    logged = 0
    if cards:
        row = (
            await TimeEntry.select(Sum(TimeEntry.minutes, alias="minutes"))
            .where(
                TimeEntry.task.is_in([c.task_id for c in cards])
                & TimeEntry.ended_at.is_not_null()
                & (TimeEntry.started_at >= start)
                & (TimeEntry.started_at < end)
            )
            .first()
        )
        logged = int((row or {}).get("minutes") or 0)
    return {
        "planned_minutes": outcome.planned_minutes,
        "completed_minutes": outcome.completed_minutes,
        "logged_minutes": logged,
        "cards": len(cards),
        "unfinished": list(outcome.carried),
        "burndown": [[d.isoformat(), r] for d, r in rules.burndown(monday, outcome.planned_minutes, completed_on)],
    }


async def close(sprint: dict[str, Any], actor: Actor, *, carry_to_next: bool, tz: str, announcer: Announcer) -> Change:
    """Record what was done and move unfinished cards to the next open sprint or the backlog, all in
    one transaction; closing a closed sprint is refused (409)."""
    async with board_change(sprint["project"], actor, announcer) as change:
        current = await Sprint.select(Sprint.state).where(Sprint.id == sprint["id"]).first()
        if current is None or current["state"] == rules.SprintState.CLOSED:
            raise SprintConflict(_("This sprint is already closed."))
        numbers = await sprint_numbers(sprint, tz)
        carried: list[int] = numbers.pop("unfinished")
        target = await next_open_sprint(sprint["project"], sprint["starts_on"]) if carry_to_next else None
        now = datetime.now(UTC)
        if carried:
            await Task.update(
                {
                    Task.sprint: target["id"] if target else None,
                    Task.version: Task.version + 1,
                    Task.updated_at: now,
                }
            ).where(Task.id.is_in(carried))
        result = {
            **numbers,
            "carried": len(carried),
            "carried_ids": carried,
            "carried_to": "next" if target else "backlog",
            "carried_to_sprint": target["id"] if target else None,
            "carried_to_name": target["name"] if target else "",
            "closed_by": actor.id,
            "closed_by_name": actor.name,
            "closed_at": now.isoformat(),
        }
        await Sprint.update(
            {
                Sprint.state: "closed",
                Sprint.closed_at: now,
                Sprint.closed_by: actor.id,
                Sprint.result: result,
                Sprint.version: Sprint.version + 1,
            }
        ).where(Sprint.id == sprint["id"])
        change.cards |= set(carried)
        change.log("sprint_closed", sprint=sprint["id"], carried=len(carried), to=result["carried_to"])
    return change
