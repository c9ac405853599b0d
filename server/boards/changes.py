"""One place that changes a board: every write runs inside `board_change`, which numbers the event
(the board's contiguous sequence), logs it in Activity in the same transaction, and after commit
announces it: the hub asks the change to draw itself (boards' fragments) for the audiences
listening, and carries the bytes to every open browser."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from server.boards import fragments
from server.kernel.db import write_transaction
from server.realtime.hub import Pair
from server.rules.policy import Actor
from server.tables import Activity, Project


@dataclass
class Change:
    """What one transaction did to a board, and so what browsers must redraw."""

    project_id: int
    seq: int
    actor: Actor
    entry: dict[str, Any] | None = None
    columns: set[int] = field(default_factory=set)
    cards: set[int] = field(default_factory=set)
    layout: bool = False  # columns added, removed or reordered: redraw them all
    # Filled when drawn for the hub after commit: what each audience got (without the sequence
    # number), so the writer's own HTTP answer reuses the agency's rendering instead of drawing it again.
    rendered: dict[Pair, str] = field(default_factory=dict)

    def log(self, verb: str, *, task: int | None = None, column: int | None = None, **data: Any) -> None:
        """Record what happened: one Activity row, carrying this change's sequence number."""
        if self.entry is not None:
            raise RuntimeError("one board change logs one event")
        self.entry = {"verb": verb, "task": task, "column": column, "data": data}

    async def draw(self, pairs: Sequence[Pair]) -> dict[Pair, str]:
        """This event's HTML for each (audience, language) that may see it (what the hub publishes)."""
        return await fragments.draw_change(self, pairs)


class Announcer(Protocol):
    """Who is told of a committed change: the hub (`hub_of(request)`), or `Silent`."""

    async def announce(self, change: Change) -> None: ...


class Silent:
    """For scripts and jobs without browsers to tell (seeding, benchmarks)."""

    async def announce(self, change: Change) -> None:
        return None


async def next_seq(project_id: int) -> int:
    """Bump the board's counter. On PostgreSQL this also locks the board's row until commit, which
    serialises writes to one board: ranks and sequence numbers are computed on settled state."""
    rows = (
        await Project.update({Project.event_seq: Project.event_seq + 1})
        .where(Project.id == project_id)
        .returning(Project.event_seq)
    )
    return int(rows[0]["event_seq"])


@asynccontextmanager
async def board_change(project_id: int, actor: Actor, announcer: Announcer) -> AsyncIterator[Change]:
    async with write_transaction(Project._meta.db):
        change = Change(project_id=project_id, seq=await next_seq(project_id), actor=actor)
        yield change
        if change.entry is None:
            raise RuntimeError("a board change must log what it did")
        await Activity.insert(Activity(project=project_id, seq=change.seq, actor=actor.id, **change.entry))
    await announcer.announce(change)
