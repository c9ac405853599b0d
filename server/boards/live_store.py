"""What live browsers need read: who has a board open (the hub's presence, by name), the board's
latest event number and the events a browser missed, cards and column counters as they are now
(each in one query, whatever the board's size), and where a card goes (its neighbours, read under
the board's lock)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from server.boards.store import CardView, ColumnCount, Person
from server.kernel.db import is_sqlite
from server.realtime.hub import BoardHub
from server.rules.priority import priority_of
from server.tables import Activity, Membership, Project, Task, TaskAssignee, User


async def viewers(hub: BoardHub, project_id: int) -> list[Person]:
    """Who has the board open now (the hub's presence), by name."""
    ids = await hub.viewer_ids(project_id)
    rows = await User.select(User.id, User.name).where(User.id.is_in(ids or [0])).order_by(User.name)
    return [Person(r["id"], r["name"]) for r in rows]


# ---- the board's number, and what a browser that last applied event `after` has missed


async def event_seq(project_id: int) -> int:
    """The number of the board's latest event (0 before any)."""
    current = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    return int(current["event_seq"]) if current else 0


@dataclass(frozen=True)
class Event:
    """One logged board event, as catch-up replays it."""

    seq: int
    verb: str
    task: int | None
    column: int | None
    data: dict[str, Any]


async def events_since(project_id: int, after: int, limit: int) -> list[Event]:
    """The board's events after `after`, in order; at most `limit` + 1 (one more says "too many")."""
    rows = (
        await Activity.select(Activity.seq, Activity.verb, Activity.task, Activity.column, Activity.data)
        .where((Activity.project == project_id) & (Activity.seq > after))
        .order_by(Activity.seq)
        .limit(limit + 1)
    )
    return [Event(row["seq"], row["verb"], row["task"], row["column"], _json(row["data"]) or {}) for row in rows]


# ---- cards and counters as they are now, one query each


def _sqlite() -> bool:
    return is_sqlite(Task._meta.db)


def _json_rows(values: list[str], source: str, order: str, *, sqlite: bool) -> str:
    """SQL for a JSON array of `values` rows from `source` ("table ... WHERE ..."), in `order`."""
    if sqlite:
        named = ", ".join(f"{value} AS v{i}" for i, value in enumerate(values))
        names = ", ".join(f"v{i}" for i in range(len(values)))
        return f"(SELECT json_group_array(json_array({names})) FROM (SELECT {named} FROM {source} ORDER BY {order}))"
    return f"(SELECT json_agg(json_build_array({', '.join(values)}) ORDER BY {order}) FROM {source})"


_ASSIGNEES = "task_assignee a JOIN users u ON u.id = a.person WHERE a.task = t.id"
_LABELS = 'task_label tl JOIN "label" l ON l.id = tl.label WHERE tl.task = t.id'
_TIMERS = "time_entry r JOIN users u ON u.id = r.person WHERE r.task = t.id AND r.ended_at IS NULL"


@cache
def _card_sql(engine_is_sqlite: bool) -> str:
    """What a card shows, for task `t` in its column `c`: the columns CardView needs, its people,
    labels and timers as JSON arrays, and its comments counted both ways (everyone's, the client's).
    People and labels in the order the whole board's read gives them (by name, then id)."""
    people = ["u.id", "u.name"]
    return f"""t.id, t.number, t.title, t."column" AS column_id, t.rank, t.version, t.due_on,
        t.estimate_minutes, t.billable, t.archived, t.sprint, c.is_done, t.internal, t.priority, t.important,
        (SELECT cl.name FROM project p JOIN client cl ON cl.id = p.client WHERE p.id = t.project) AS client_name,
        (SELECT p.shared_with_client FROM project p WHERE p.id = t.project) AS project_shared,
        t.cover_attachment AS cover_id,
        (SELECT a.visibility = 'client' FROM attachment a WHERE a.id = t.cover_attachment) AS cover_shared,
        (SELECT COUNT(*) FROM checklist_item i WHERE i.task = t.id) AS checklist_total,
        (SELECT COUNT(*) FROM checklist_item i WHERE i.task = t.id AND i.done) AS checklist_done,
        (SELECT COUNT(*) FROM "comment" m WHERE m.task = t.id) AS comments,
        (SELECT COUNT(*) FROM "comment" m WHERE m.task = t.id AND m.visibility = 'client') AS client_comments,
        (SELECT COALESCE(SUM(e.minutes), 0) FROM time_entry e
          WHERE e.task = t.id AND e.ended_at IS NOT NULL) AS logged_minutes,
        {_json_rows(people, _ASSIGNEES, "u.name, u.id", sqlite=engine_is_sqlite)} AS assignees,
        {_json_rows(["l.id", "l.name", "l.color"], _LABELS, "l.name, l.id", sqlite=engine_is_sqlite)} AS labels,
        {_json_rows(people, _TIMERS, "u.name, u.id", sqlite=engine_is_sqlite)} AS timers"""


def card_sql() -> str:
    return _card_sql(_sqlite())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def card_of(row: dict[str, Any], key: str) -> CardView:
    """A card from a row selected with `card_sql()`; its comment count is everyone's (see
    CardView.for_audience)."""
    return CardView(
        id=row["id"],
        number=row["number"],
        key=key,
        title=row["title"],
        column_id=row["column_id"],
        rank=row["rank"],
        version=row["version"],
        due_on=_day(row["due_on"]),
        estimate_minutes=row["estimate_minutes"],
        billable=bool(row["billable"]),
        archived=bool(row["archived"]),
        sprint_id=row["sprint"],
        done=bool(row["is_done"]),
        assignees=[Person(pid, name) for pid, name in _json(row["assignees"]) or []],
        labels=[{"id": lid, "name": name, "color": color} for lid, name, color in _json(row["labels"]) or []],
        checklist_done=int(row["checklist_done"]),
        checklist_total=int(row["checklist_total"]),
        comments=int(row["comments"]),
        client_comments=int(row["client_comments"]),
        logged_minutes=int(row["logged_minutes"] or 0),
        timers=[Person(pid, name) for pid, name in _json(row["timers"]) or []],
        internal=bool(row["internal"]),
        priority=priority_of(row["priority"]),
        important=bool(row["important"]),
        client_name=row["client_name"] or "",
        project_shared=bool(row["project_shared"]),
        cover_id=row["cover_id"],
        cover_shared=bool(row["cover_shared"]),
    )


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("{}" for _ in values)


async def cards_now(project: dict[str, Any], ids: Iterable[int]) -> dict[int, CardView]:
    """These cards of the board as they are now (archived ones too), in one query."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await Task.raw(
        f'SELECT {card_sql()} FROM task t JOIN board_column c ON c.id = t."column"'
        f" WHERE t.project = {{}} AND t.id IN ({_marks(wanted)})",
        project["id"],
        *wanted,
    )
    return {row["id"]: card_of(row, project["key"]) for row in rows}


async def counters(column_ids: Iterable[int]) -> dict[int, ColumnCount]:
    """The header counters of these columns as they are now, in one query: the agency's count (every
    live card) and the client's (the live cards shared with them)."""
    wanted = sorted({column_id for column_id in column_ids if column_id})
    if not wanted:
        return {}
    rows = await Task.raw(
        "SELECT c.id, c.wip_limit, c.wip_strict,"
        ' (SELECT COUNT(*) FROM task t WHERE t."column" = c.id AND NOT t.archived) AS n,'
        ' (SELECT COUNT(*) FROM task t WHERE t."column" = c.id AND NOT t.archived AND NOT t.internal) AS shared'
        f" FROM board_column c WHERE c.id IN ({_marks(wanted)})",
        *wanted,
    )
    return {
        r["id"]: ColumnCount(r["id"], int(r["n"]), r["wip_limit"], bool(r["wip_strict"]), int(r["shared"]))
        for r in rows
    }


async def card_before(task_id: int, column_id: int, rank: str, *, shared_only: bool = False) -> int | None:
    """The live card just above a card (ranked `rank` in `column_id`), or None at the top;
    `shared_only`: the one the client's people have on their page (internal cards are not there)."""
    query = Task.select(Task.id).where(
        (Task.column == column_id)
        & Task.archived.eq(False)
        & (Task.id != task_id)
        & ((Task.rank < rank) | ((Task.rank == rank) & (Task.id < task_id)))
    )
    if shared_only:
        query = query.where(Task.internal.eq(False))
    row = await query.order_by(Task.rank, ascending=False).order_by(Task.id, ascending=False).first()
    return int(row["id"]) if row else None


# ---- where a card goes: read under the board's lock, so the neighbours are settled


@dataclass(frozen=True)
class Spot:
    """A place in a live column: the column, how many live cards it holds besides the card being
    placed, and the live cards the place sits between (None: the column's top, or its bottom)."""

    column: dict[str, Any]  # id, name, wip_limit, wip_strict, is_done
    count: int
    after: int | None
    after_rank: str | None
    before: int | None
    before_rank: str | None
    card: CardView | None = None  # the card being moved, as it was before the move
    left: ColumnCount | None = None  # the column the card leaves, without it


# The target column `d`, its live cards besides task `t` counted, card `b` (the one to go above,
# if it is a live card of `d`) and the live card `p` just above that place (the bottom's last card
# when there is no `b`).
_SPOT = """d.id AS d_id, d.name AS d_name, d.wip_limit AS d_wip_limit, d.wip_strict AS d_wip_strict,
    d.is_done AS d_is_done,
    (SELECT COUNT(*) FROM task x WHERE x."column" = d.id AND NOT x.archived AND x.id <> {moving}) AS d_count,
    b.id AS b_id, b.rank AS b_rank, p.id AS p_id, p.rank AS p_rank"""
_NEIGHBOURS = """LEFT JOIN task b ON b.id = {{}} AND b."column" = d.id AND NOT b.archived AND b.id <> {moving}
    LEFT JOIN task p ON p.id = (
        SELECT y.id FROM task y WHERE y."column" = d.id AND NOT y.archived AND y.id <> {moving}
        AND (b.id IS NULL OR y.rank < b.rank OR (y.rank = b.rank AND y.id < b.id))
        ORDER BY y.rank DESC, y.id DESC LIMIT 1)"""


def _spot_of(row: dict[str, Any]) -> Spot:
    column = {
        "id": row["d_id"],
        "name": row["d_name"],
        "wip_limit": row["d_wip_limit"],
        "wip_strict": bool(row["d_wip_strict"]),
        "is_done": bool(row["d_is_done"]),
    }
    return Spot(column, int(row["d_count"]), row["p_id"], row["p_rank"], row["b_id"], row["b_rank"])


async def spot_for_new(project_id: int, column_id: int) -> Spot | None:
    """The bottom of a live column of this board, for a new card; None if there is no such column."""
    rows = await Task.raw(
        f"SELECT {_SPOT.format(moving='0')} FROM board_column d {_NEIGHBOURS.format(moving='0')}"
        " WHERE d.id = {} AND d.project = {} AND NOT d.archived",
        None,
        column_id,
        project_id,
    )
    return _spot_of(rows[0]) if rows else None


async def spot_for_move(task_id: int, column_id: int, before_id: int | None, key: str) -> Spot | None:
    """Where card `task_id` goes in column `column_id` (a live column of its board): just above card
    `before_id` if that is a live card there, else at the bottom. With it, in the same query, the
    card as it is and the counter of the column it leaves, so the move's event needs no more reads.
    None if the column is not a live column of the card's board."""
    rows = await Task.raw(
        f"SELECT {card_sql()}, {_SPOT.format(moving='t.id')},"
        " c.wip_limit AS c_wip_limit, c.wip_strict AS c_wip_strict,"
        ' (SELECT COUNT(*) FROM task x WHERE x."column" = c.id AND NOT x.archived AND x.id <> t.id) AS c_count'
        ' FROM task t JOIN board_column c ON c.id = t."column"'
        " JOIN board_column d ON d.id = {} AND d.project = t.project AND NOT d.archived"
        f" {_NEIGHBOURS.format(moving='t.id')} WHERE t.id = {{}}",
        column_id,
        before_id,
        task_id,
    )
    if not rows:
        return None
    row = rows[0]
    left = ColumnCount(row["column_id"], int(row["c_count"]), row["c_wip_limit"], bool(row["c_wip_strict"]))
    return replace(_spot_of(row), card=card_of(row, key), left=left)


# ---- whose own pages a change touches (My work)


async def assignees_of(task_ids: Iterable[int]) -> set[int]:
    """The people assigned to any of these cards."""
    ids = list(task_ids)
    if not ids:
        return set()
    rows = await TaskAssignee.select(TaskAssignee.person).where(TaskAssignee.task.is_in(ids))
    return {r["person"] for r in rows}


async def board_people(project_id: int) -> set[int]:
    """The board's members and everyone with a card of it assigned."""
    members = await Membership.select(Membership.member).where(Membership.project == project_id)
    on_cards = await TaskAssignee.select(TaskAssignee.person).where(
        TaskAssignee.task.is_in(Task.select(Task.id).where(Task.project == project_id))
    )
    return {r["member"] for r in members} | {r["person"] for r in on_cards}
