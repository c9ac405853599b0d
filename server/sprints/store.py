"""Loading sprints: the weeks that must exist, one sprint for a user (or 404), a sprint's plan.

Shared by the planning pages (sprints.routes), the client review and portal (sprints.review,
portal) and share links: each shows the same plan, so each reads it here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from server.boards import store as cards
from server.boards.store import CardView
from server.rules.sprints import sprint_name
from server.tables import BoardColumn, Project, Sprint, Task


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


async def plan_of(project: dict[str, Any], sprint: dict[str, Any], *, client_view: bool = False) -> Plan:
    """The sprint's live cards in board order (column, then rank), each knowing if it is done."""
    columns = {c["id"]: c for c in await BoardColumn.select().where(BoardColumn.project == project["id"])}
    found = await cards.cards_where(
        project["key"],
        Task.sprint == sprint["id"],
        Task.archived.eq(False),
        client_view=client_view,
    )
    order = {cid: (c["archived"], c["rank"], cid) for cid, c in columns.items()}
    for card in found:
        card.done = bool(columns.get(card.column_id, {}).get("is_done"))
    found.sort(key=lambda c: (order.get(c.column_id, (True, "", 0)), c.rank, c.id))
    return Plan(sprint=sprint, cards=found)


async def project_row(project_id: int) -> dict[str, Any] | None:
    return await Project.select().where(Project.id == project_id).first()


async def sprints_of(project_id: int) -> list[dict[str, Any]]:
    """Every sprint of the project, newest week first."""
    return await Sprint.select().where(Sprint.project == project_id).order_by(Sprint.starts_on, ascending=False)


async def next_open_sprint(project_id: int, after: date) -> dict[str, Any]:
    """The first sprint after the week starting `after` that is not closed, created (next week's)
    if there is none: where closing carries unfinished cards."""
    found = (
        await Sprint.select()
        .where((Sprint.project == project_id) & (Sprint.starts_on > after) & (Sprint.state != "closed"))
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
    created = await Sprint.select().where(Sprint.id == rows[0]["id"]).first()
    assert created is not None
    return created


async def backlog_of(project: dict[str, Any]) -> list[CardView]:
    """The project's live cards in no sprint, in board order (column, then rank)."""
    columns = {c["id"]: c for c in await BoardColumn.select().where(BoardColumn.project == project["id"])}
    found = await cards.cards_where(
        project["key"], Task.project == project["id"], Task.sprint.is_null(), Task.archived.eq(False)
    )
    order = {cid: (c["archived"], c["rank"], cid) for cid, c in columns.items()}
    for card in found:
        card.done = bool(columns.get(card.column_id, {}).get("is_done"))
    found.sort(key=lambda c: (order.get(c.column_id, (True, "", 0)), c.rank, c.id))
    return found
