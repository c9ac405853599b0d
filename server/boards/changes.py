"""One place that changes a board: every write runs inside `board_change`, which numbers the event
(the board's contiguous sequence), logs it in Activity in the same transaction, and after commit
announces it: the hub asks the change to draw itself (boards' fragments) for the audiences
listening, and carries the bytes to every open browser."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from piccolo.querystring import QueryString

from server.boards import fragments, live_store
from server.kernel.db import is_sqlite, write_transaction
from server.realtime.hub import Pair
from server.rules.policy import Actor
from server.tables import Activity, Project, Task

if TYPE_CHECKING:
    from server.boards.store import CardView, ColumnCount


@dataclass
class Change:
    """What one transaction did to a board. What browsers must redo follows from the event logged
    (fragments.Ops): a card placed after another, removed, or redrawn where it is; a column's counter;
    the layout. A write that read the card or counters anyway leaves them here, so drawing the event
    costs no query."""

    project_id: int
    seq: int
    actor: Actor
    project: dict[str, Any] = field(default_factory=dict)  # the board's row, as the number's bump returned it
    entry: dict[str, Any] | None = None
    # Cards besides the logged one whose look changed (a timer switched off, a sprint's carried cards):
    # logged with the event (data["cards"]) so that catch-up redraws them too.
    cards: set[int] = field(default_factory=set)
    views: dict[int, CardView] = field(default_factory=dict)  # cards as this change left them
    counters: dict[int, ColumnCount] = field(default_factory=dict)  # column counters as it left them
    # Filled when drawn for the hub after commit: what each audience got (without the sequence
    # number), so the writer's own HTTP answer reuses the agency's rendering instead of drawing it again.
    rendered: dict[Pair, str] = field(default_factory=dict)

    logged: bool = False  # the Activity row is written (with the change's last write: `write_and_log`)
    # Besides the touched cards' assignees, who must hear of it on their own pages (My work): someone
    # this change unassigned.
    people: set[int] = field(default_factory=set)

    def log(self, verb: str, *, task: int | None = None, column: int | None = None, **data: Any) -> None:
        """Record what happened: one Activity row, carrying this change's sequence number."""
        if self.entry is not None:
            raise RuntimeError("one board change logs one event")
        self.entry = {"verb": verb, "task": task, "column": column, "data": data}

    async def write_and_log(
        self, update: Any, verb: str, *, task: int | None = None, column: int | None = None, **data: Any
    ) -> bool:
        """The change's last write (a Piccolo update of one row) and its Activity row, in one
        statement where the engine allows it (PostgreSQL: a data-modifying WITH; on SQLite
        board_change writes the row after). False, and nothing logged, if no row was updated."""
        self.log(verb, task=task, column=column, **data)
        engine = Activity._meta.db
        if is_sqlite(engine):
            written = bool(await update.returning(Task.id))
        else:
            project, seq, actor_id, verb, task, column, values, at = _activity_values(self)
            statement = QueryString(
                'WITH written AS ({}) INSERT INTO activity (project, seq, actor, verb, task, "column", data, at)'
                " SELECT {}::integer, {}::integer, {}::integer, {}::text, {}::integer, {}::integer, {}::json,"
                " {}::timestamptz FROM written RETURNING id",
                update.returning(Task.id).querystrings[0],
                *(project, seq, actor_id, verb, task, column, json.dumps(values), at),
            )
            written = self.logged = bool(await engine.run_querystring(statement))
        if not written:
            self.entry = None
        return written

    @property
    def columns(self) -> set[int]:
        """The columns this change put a card in or took one from (their counters change)."""
        if self.entry is None:
            return set()
        ops = fragments.Ops()
        ops.add(self.entry["verb"], self.entry["task"], self.entry["column"], self.entry["data"])
        return ops.counts

    async def draw(self, pairs: Sequence[Pair]) -> dict[Pair, str]:
        """This event's HTML for each (audience, language) that may see it (what the hub publishes)."""
        return await fragments.draw_change(self, pairs)

    async def personal_news(self) -> dict[int, str]:
        """My work's nudge, on their own channel, to each person whose list this change may alter."""
        return dict.fromkeys(await _people_to_tell(self), fragments.MY_WORK_CHANGED)


# Changes that alter nothing My work shows: a card's conversation and checklist.
UNSEEN_ON_MY_WORK = {
    "commented",
    "checklist_added",
    "checklist_ticked",
    "checklist_unticked",
    "checklist_moved",
    "checklist_removed",
}
# Changes to someone's time: their running timer and their hours.
TIME_VERBS = {"timer_started", "timer_stopped", "time_logged", "time_edited", "time_deleted"}


async def _people_to_tell(change: Change) -> set[int]:
    """Whose My work a committed change may alter: for time, whose time it is; for cards, the
    cards' assignees (read from the change's own views where it has them, as a move does) and anyone
    it unassigned; for a change of no card (a sprint started or reviewed, a column renamed), the
    board's people."""
    if change.entry is None or change.entry["verb"] in UNSEEN_ON_MY_WORK:
        return set()
    verb, task, data = change.entry["verb"], change.entry["task"], change.entry["data"]
    if verb in TIME_VERBS:
        person = data.get("person")
        return {change.actor.id} | ({person} if isinstance(person, int) else set())
    if verb == "moved" and data.get("from_column") == change.entry["column"]:
        return set()  # reordered within its column: My work shows no order of the board's
    if task is None:
        return await live_store.board_people(change.project_id)
    cards = change.cards | {task}
    people = {p.id for card_id in cards if (view := change.views.get(card_id)) for p in view.assignees}
    return people | change.people | await live_store.assignees_of(cards - set(change.views))


class Announcer(Protocol):
    """Who is told of a committed change: the hub (`hub_of(request)`), or `Silent`."""

    async def announce(self, change: Change) -> None: ...


class Silent:
    """For scripts and jobs without browsers to tell (seeding, benchmarks)."""

    async def announce(self, change: Change) -> None:
        return None


class Kept:
    """Tells `announcer` and keeps the change: a writer's own answer is drawn from it."""

    def __init__(self, announcer: Announcer) -> None:
        self.announcer = announcer
        self.change: Change | None = None

    async def announce(self, change: Change) -> None:
        self.change = change
        await self.announcer.announce(change)


async def next_seq(project_id: int) -> dict[str, Any]:
    """Bump the board's counter; the board's row as it now is. On PostgreSQL this also locks the
    board's row until commit, which serialises writes to one board: ranks, neighbours and sequence
    numbers are computed on settled state."""
    rows = (
        await Project.update({Project.event_seq: Project.event_seq + 1})
        .where(Project.id == project_id)
        .returning(*Project.all_columns())
    )
    return dict(rows[0])


@asynccontextmanager
async def board_change(project_id: int, actor: Actor, announcer: Announcer) -> AsyncIterator[Change]:
    async with write_transaction(Project._meta.db):
        project = await next_seq(project_id)
        change = Change(project_id=project_id, seq=int(project["event_seq"]), actor=actor, project=project)
        yield change
        if change.entry is None:
            raise RuntimeError("a board change must log what it did")
        if not change.logged:
            names = ("project", "seq", "actor", "verb", "task", "column", "data", "at")
            await Activity.insert(Activity(**dict(zip(names, _activity_values(change), strict=True))))
    await announcer.announce(change)


def _activity_values(change: Change) -> tuple[Any, ...]:
    """The change's Activity row, in the table's column order. Cards besides the logged one go in
    its data, so that catch-up redraws them too."""
    assert change.entry is not None
    entry = change.entry
    if others := sorted(change.cards - {entry["task"]}):
        entry["data"]["cards"] = others
    verb, task, column, data = entry["verb"], entry["task"], entry["column"], entry["data"]
    return (change.project_id, change.seq, change.actor.id, verb, task, column, data, datetime.now(UTC))
