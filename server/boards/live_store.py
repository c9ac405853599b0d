"""What live browsers need read: who has a board open (the hub's presence, by name), the board's
latest event number, and what the events a browser missed touched."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from server.boards.store import Person
from server.realtime.hub import BoardHub
from server.tables import Activity, Project, User


async def viewers(hub: BoardHub, project_id: int) -> list[Person]:
    """Who has the board open now (the hub's presence), by name."""
    ids = await hub.viewer_ids(project_id)
    rows = await User.select(User.id, User.name).where(User.id.is_in(ids or [0])).order_by(User.name)
    return [Person(r["id"], r["name"]) for r in rows]


# ---- catching up: what a browser that last applied event `after` has missed


async def event_seq(project_id: int) -> int:
    """The number of the board's latest event (0 before any)."""
    current = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    return int(current["event_seq"]) if current else 0


@dataclass
class Missed:
    """What the events after a browser's last one touched; `many` when there were over `limit`."""

    verbs: set[str] = field(default_factory=set)
    columns: set[int] = field(default_factory=set)
    cards: set[int] = field(default_factory=set)
    many: bool = False


async def missed_since(project_id: int, after: int, limit: int) -> Missed:
    rows = (
        await Activity.select(Activity.verb, Activity.task, Activity.column, Activity.data)
        .where((Activity.project == project_id) & (Activity.seq > after))
        .limit(limit + 1)
    )
    missed = Missed(many=len(rows) > limit)
    for row in rows:
        missed.verbs.add(row["verb"])
        missed.cards |= {row["task"]} if row["task"] else set()
        missed.columns |= {row["column"]} if row["column"] else set()
        data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        missed.columns |= {data["from_column"]} if data.get("from_column") else set()
    return missed
