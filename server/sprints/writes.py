"""Sprint writes: a card into or out of a sprint, a sprint's goal, starting and closing (and the next
open week closing carries unfinished cards to, created if there is none).

Each runs inside one `board_change`: one transaction, one numbered board event and its Activity row,
so every open board and planning page hears of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.boards.changes import Announcer, Change, board_change
from server.boards.writes import BoardError, StaleVersion
from server.kernel.i18n import _
from server.rules.policy import Actor
from server.rules.sprints import SprintState, sprint_name
from server.sprints.report_store import sprint_numbers
from server.sprints.store import running_besides, sprint_row
from server.tables import Sprint, Task


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
        if target["state"] == SprintState.CLOSED:
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
        running = await running_besides(sprint)
        if running is not None:
            raise SprintConflict(
                _("%(name)s is still running. Close it before starting another.", name=running["name"])
            )
        started = (
            await Sprint.update(
                {
                    Sprint.state: SprintState.ACTIVE.value,
                    Sprint.started_at: datetime.now(UTC),
                    Sprint.version: Sprint.version + 1,
                }
            )
            .where((Sprint.id == sprint["id"]) & (Sprint.state == SprintState.PLANNED))
            .returning(Sprint.id)
        )
        if not started:
            raise SprintConflict(_("Only a planned sprint can be started."))
        change.log("sprint_started", sprint=sprint["id"])


async def next_open_sprint(project_id: int, after: date) -> dict[str, Any]:
    """The first sprint after the week starting `after` that is not closed, created (next week's)
    if there is none: where closing carries unfinished cards."""
    found = (
        await Sprint.select()
        .where((Sprint.project == project_id) & (Sprint.starts_on > after) & (Sprint.state != SprintState.CLOSED))
        .order_by(Sprint.starts_on)
        .first()
    )
    if found is not None:
        return found
    latest = (
        await Sprint.select(Sprint.starts_on)
        .where(Sprint.project == project_id)
        .order_by(Sprint.starts_on, ascending=False)
        .first()
    )
    monday = max(after, latest["starts_on"] if latest else after) + timedelta(days=7)
    rows = await Sprint.insert(
        Sprint(project=project_id, name=sprint_name(monday), starts_on=monday, ends_on=monday + timedelta(days=6))
    ).returning(Sprint.id)
    created = await sprint_row(rows[0]["id"])
    assert created is not None
    return created


async def close(sprint: dict[str, Any], actor: Actor, *, carry_to_next: bool, tz: str, announcer: Announcer) -> Change:
    """Record what was done and move unfinished cards to the next open sprint or the backlog, all in
    one transaction; closing a closed sprint is refused (409)."""
    async with board_change(sprint["project"], actor, announcer) as change:
        current = await Sprint.select(Sprint.state).where(Sprint.id == sprint["id"]).first()
        if current is None or current["state"] == SprintState.CLOSED:
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
                Sprint.state: SprintState.CLOSED.value,
                Sprint.closed_at: now,
                Sprint.closed_by: actor.id,
                Sprint.result: result,
                Sprint.version: Sprint.version + 1,
            }
        ).where(Sprint.id == sprint["id"])
        change.cards |= set(carried)
        change.log("sprint_closed", sprint=sprint["id"], carried=len(carried), to=result["carried_to"])
    return change
