"""Changing cards and columns. Each function runs one `board_change`: one transaction, one event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from server.boards import live_store
from server.boards.changes import Announcer, Change, board_change
from server.boards.schemas import ColumnInput
from server.boards.store import ColumnCount
from server.kernel.db import values_of
from server.kernel.i18n import _
from server.rules import rank
from server.rules.policy import Actor
from server.rules.visibility import new_card_internal
from server.tables import BoardColumn, ChecklistItem, Comment, Label, Project, Task, TaskAssignee, TaskLabel

DEFAULT_COLUMNS = (("Backlog", False), ("To do", False), ("In progress", False), ("Review", False), ("Done", True))


class BoardError(Exception):
    """A write the board refuses; `status` is the HTTP answer, the message is for people."""

    status = 422

    def __init__(self, message: str, *, columns: set[int] | None = None) -> None:
        super().__init__(message)
        self.columns = columns or set()


class StaleVersion(BoardError):
    """Someone changed the card first: the browser gets the current card back."""

    status = 409


class WipLimitReached(BoardError):
    status = 409


class ColumnNotEmpty(Exception):
    """A column is archived only once it has no live cards."""


async def create_default_columns(project_id: int) -> None:
    if await BoardColumn.exists().where(BoardColumn.project == project_id):
        return
    keys = rank.spread(len(DEFAULT_COLUMNS))
    await BoardColumn.insert(
        *(
            BoardColumn(project=project_id, name=name, rank=key, is_done=done)
            for (name, done), key in zip(DEFAULT_COLUMNS, keys, strict=True)
        )
    )


async def _ordered(table: Any, where: Any, without: int | None = None) -> list[dict[str, Any]]:
    """Ids and ranks of the rows `where` selects (cards of a column, columns of a board, items of a
    checklist) in order, leaving out row `without` (the one being moved)."""
    query = table.select(table.id, table.rank).where(where)
    if without is not None:
        query = query.where(table.id != without)
    return await query.order_by(table.rank).order_by(table.id)


async def _siblings(column_id: int, without: int | None = None) -> list[dict[str, Any]]:
    return await _ordered(Task, (Task.column == column_id) & Task.archived.eq(False), without)


async def place_among(table: Any, siblings: list[dict[str, Any]], slot: int) -> str:
    """The rank of a row put at `slot` among its ordered `siblings` (cards of a column, columns of a
    board, items of a checklist); on the rare insert whose key grew too long, the siblings are
    spread again in the same transaction."""
    placement = rank.place([s["rank"] for s in siblings], slot)
    if placement.respread:
        others = placement.respread[:slot] + placement.respread[slot + 1 :]
        for sibling, key in zip(siblings, others, strict=True):
            await table.update({table.rank: key}).where(table.id == sibling["id"])
    return placement.key


def _check_wip(column: dict[str, Any], live_cards: int) -> None:
    limit = column["wip_limit"]
    if column["wip_strict"] and limit is not None and live_cards >= limit:
        raise WipLimitReached(
            _("%(column)s is at its limit of %(n)s cards. Finish one there first.", column=column["name"], n=limit),
            columns={column["id"]},
        )


async def create_task(
    project: dict[str, Any],
    actor: Actor,
    column_id: int,
    title: str,
    announcer: Announcer,
    sprint_id: int | None = None,
) -> int:
    """A card at the bottom of a live column."""
    async with board_change(project["id"], actor, announcer) as change:
        spot = await live_store.spot_for_new(project["id"], column_id)
        if spot is None:
            raise BoardError(_("That column no longer exists on this board."))
        _check_wip(spot.column, spot.count)
        numbers = (
            await Project.update({Project.last_task_number: Project.last_task_number + 1})
            .where(Project.id == project["id"])
            .returning(Project.last_task_number)
        )
        rows = await Task.insert(
            Task(
                project=project["id"],
                number=numbers[0]["last_task_number"],
                column=column_id,
                title=title,
                rank=await _rank_at(spot, None),
                created_by=actor.id,
                sprint=sprint_id,
                internal=new_card_internal(project),
            )
        ).returning(Task.id)
        task_id = int(rows[0]["id"])
        change.log("created", task=task_id, column=column_id, title=title, after=spot.after)
        change.counters[column_id] = _counter(spot.column, spot.count + 1)
    return task_id


async def move_task(
    task: dict[str, Any], actor: Actor, *, column_id: int, before_id: int | None, version: int, announcer: Announcer
) -> Change:
    """Put the card in `column_id` just above card `before_id` (None, or not a live card there: at
    the bottom). Three statements whatever the board's size: the board's number, one read of the
    place (the neighbours, the card, both columns' counts), and the card's row written with the
    Activity row (two statements on SQLite). Its event is drawn from what they returned."""
    stale = _("Someone moved or edited this card first. It is shown where it is now.")
    if task["version"] != version:  # the loader's read is newer than the browser's: no need to lock
        raise StaleVersion(stale, columns={task["column"], column_id})
    async with board_change(task["project"], actor, announcer) as change:
        spot = await live_store.spot_for_move(task["id"], column_id, before_id, change.project["key"])
        if spot is None:
            raise BoardError(_("That column no longer exists on this board."))
        if column_id != task["column"]:
            _check_wip(spot.column, spot.count)
        key = await _rank_at(spot, task["id"])
        update = Task.update(
            {Task.column: column_id, Task.rank: key, Task.version: Task.version + 1, Task.updated_at: datetime.now(UTC)}
        ).where((Task.id == task["id"]) & (Task.version == version))
        logged = await change.write_and_log(
            update, "moved", task=task["id"], column=column_id, from_column=task["column"], after=spot.after
        )
        if not logged:  # changed since the loader read it: the place read above may be stale too
            raise StaleVersion(stale, columns={task["column"], column_id})
        assert spot.card is not None and spot.left is not None
        change.views[task["id"]] = replace(
            spot.card, column_id=column_id, rank=key, version=version + 1, done=spot.column["is_done"]
        )
        change.counters[column_id] = _counter(spot.column, spot.count + 1)
        if column_id != task["column"]:
            change.counters[task["column"]] = spot.left
    return change


async def _rank_at(spot: live_store.Spot, moving: int | None) -> str:
    """The rank of a card put at `spot`. Keys that grew too long (many cards dropped at one place),
    or neighbours that share a key, make the column's cards spread again in this transaction."""
    after, before = spot.after_rank, spot.before_rank
    if after is None or before is None or after < before:  # a restored card keeps its old key: a tie
        key = rank.between(after, before)
        if len(key) <= rank.MAX_LENGTH:
            return key
    siblings = await _siblings(spot.column["id"], without=moving)
    ids = [s["id"] for s in siblings]
    slot = ids.index(spot.before) if spot.before in ids else len(ids)
    keys = rank.spread(len(siblings) + 1)
    for sibling, sibling_key in zip(siblings, keys[:slot] + keys[slot + 1 :], strict=True):
        await Task.update({Task.rank: sibling_key}).where(Task.id == sibling["id"])
    return keys[slot]


def _counter(column: dict[str, Any], count: int) -> ColumnCount:
    return ColumnCount(column["id"], count, column["wip_limit"], column["wip_strict"])


async def update_task(
    task: dict[str, Any], actor: Actor, values: dict[Any, Any], *, version: int, verb: str, announcer: Announcer
) -> None:
    """Edit a card's fields; refused (409) when made from a version someone else already changed."""
    async with board_change(task["project"], actor, announcer) as change:
        updated = (
            await Task.update({**values, Task.version: Task.version + 1, Task.updated_at: datetime.now(UTC)})
            .where((Task.id == task["id"]) & (Task.version == version))
            .returning(Task.column, Task.rank)
        )
        if not updated:
            raise StaleVersion(_("Someone changed this card while you were editing it. Here is the current card."))
        fields = sorted(column._meta.name for column in values)
        column_id = updated[0]["column"]
        if verb == "archived":  # the card leaves its column
            change.log(verb, task=task["id"], column=column_id, fields=fields)
        elif verb == "restored":  # it rejoins its column where its rank puts it
            after = await live_store.card_before(task["id"], column_id, updated[0]["rank"])
            change.log(verb, task=task["id"], column=column_id, fields=fields, after=after)
        else:
            change.log(verb, task=task["id"], fields=fields, **_named_values(values))


def _named_values(values: dict[Any, Any]) -> dict[str, Any]:
    """Values the card's history names, not only the field: "set the priority to High"."""
    named = {column._meta.name: value for column, value in values.items()}
    logged: dict[str, Any] = {}
    if "priority" in named:
        logged["priority"] = int(named["priority"])
    if "important" in named:
        logged["important"] = bool(named["important"])
    return logged


async def archive_task(
    task: dict[str, Any], actor: Actor, archived: bool, *, version: int, announcer: Announcer
) -> None:
    """Archive the card (it leaves its column) or restore it; versioned like a field edit."""
    verb = "archived" if archived else "restored"
    await update_task(task, actor, {Task.archived: archived}, version=version, verb=verb, announcer=announcer)


async def set_visibility(task: dict[str, Any], actor: Actor, internal: bool, announcer: Announcer) -> bool:
    """Make the card internal (the client's people lose it) or shared with the client (it joins their
    board where it sits). False, and no event, when it already was."""
    if bool(task["internal"]) == internal:
        return False
    async with board_change(task["project"], actor, announcer) as change:
        updated = (
            await Task.update({Task.internal: internal, Task.updated_at: datetime.now(UTC)})
            .where(Task.id == task["id"])
            .returning(Task.column, Task.rank, Task.archived)
        )
        row = updated[0]
        # An archived card is off the board: nothing to place (logged without a column, it is redrawn
        # in place, which an archived card never is).
        column = None if row["archived"] else row["column"]
        after = await live_store.card_before(task["id"], row["column"], row["rank"]) if column else None
        change.log("visibility", task=task["id"], column=column, internal=internal, after=after)
    return True


# ---- Card details: people, labels, checklist and comments. None of these bump the card's version:
# they do not race with a move or a field edit, and a stale version must not refuse them.


def _clip(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


async def toggle_assignee(task: dict[str, Any], actor: Actor, person: dict[str, Any], announcer: Announcer) -> bool:
    """Assign `person` to the card, or unassign them if they already are; True when now assigned."""
    async with board_change(task["project"], actor, announcer) as change:
        where = (TaskAssignee.task == task["id"]) & (TaskAssignee.person == person["id"])
        assigned = not await TaskAssignee.exists().where(where)
        if assigned:
            await TaskAssignee.insert(TaskAssignee(task=task["id"], person=person["id"]))
        else:
            await TaskAssignee.delete().where(where)
        change.cards.add(task["id"])
        change.people.add(person["id"])  # unassigned, they are no longer among the card's assignees
        change.log("assigned" if assigned else "unassigned", task=task["id"], person=person["name"])
    return assigned


async def toggle_label(task: dict[str, Any], actor: Actor, label: dict[str, Any], announcer: Announcer) -> bool:
    """Put the project's `label` on the card, or take it off; True when now on."""
    async with board_change(task["project"], actor, announcer) as change:
        where = (TaskLabel.task == task["id"]) & (TaskLabel.label == label["id"])
        labelled = not await TaskLabel.exists().where(where)
        if labelled:
            await TaskLabel.insert(TaskLabel(task=task["id"], label=label["id"]))
        else:
            await TaskLabel.delete().where(where)
        change.cards.add(task["id"])
        change.log("labelled" if labelled else "unlabelled", task=task["id"], label=label["name"])
    return labelled


async def create_label(task: dict[str, Any], actor: Actor, name: str, color: str, announcer: Announcer) -> int:
    """A new label of the card's project, put on the card; a label of that name is reused."""
    async with board_change(task["project"], actor, announcer) as change:
        same_name = [
            row
            for row in await Label.select(Label.id, Label.name).where(Label.project == task["project"])
            if row["name"].casefold() == name.casefold()
        ]
        if same_name:
            label_id = int(same_name[0]["id"])
            name = same_name[0]["name"]
        else:
            rows = await Label.insert(Label(project=task["project"], name=name, color=color)).returning(Label.id)
            label_id = int(rows[0]["id"])
        where = (TaskLabel.task == task["id"]) & (TaskLabel.label == label_id)
        if not await TaskLabel.exists().where(where):
            await TaskLabel.insert(TaskLabel(task=task["id"], label=label_id))
        change.cards.add(task["id"])
        change.log("labelled", task=task["id"], label=name, created=not same_name)
    return label_id


async def _checklist(task_id: int, without: int | None = None) -> list[dict[str, Any]]:
    return await _ordered(ChecklistItem, ChecklistItem.task == task_id, without)


async def add_checklist_item(task: dict[str, Any], actor: Actor, text: str, announcer: Announcer) -> int:
    async with board_change(task["project"], actor, announcer) as change:
        siblings = await _checklist(task["id"])
        key = await place_among(ChecklistItem, siblings, len(siblings))
        rows = await ChecklistItem.insert(ChecklistItem(task=task["id"], text=text, rank=key)).returning(
            ChecklistItem.id
        )
        change.cards.add(task["id"])
        change.log("checklist_added", task=task["id"], item=_clip(text))
    return int(rows[0]["id"])


async def tick_checklist_item(item: dict[str, Any], actor: Actor, done: bool, announcer: Announcer) -> None:
    async with board_change(item["project"], actor, announcer) as change:
        await ChecklistItem.update({ChecklistItem.done: done}).where(ChecklistItem.id == item["id"])
        change.cards.add(item["task"])
        change.log("checklist_ticked" if done else "checklist_unticked", task=item["task"], item=_clip(item["text"]))


async def move_checklist_item(item: dict[str, Any], actor: Actor, slot: int, announcer: Announcer) -> None:
    """Put the item at position `slot` (0 = first) of its card's checklist; past the end: last."""
    async with board_change(item["project"], actor, announcer) as change:
        siblings = await _checklist(item["task"], without=item["id"])
        key = await place_among(ChecklistItem, siblings, max(0, min(slot, len(siblings))))
        await ChecklistItem.update({ChecklistItem.rank: key}).where(ChecklistItem.id == item["id"])
        change.cards.add(item["task"])
        change.log("checklist_moved", task=item["task"], item=_clip(item["text"]))


async def remove_checklist_item(item: dict[str, Any], actor: Actor, announcer: Announcer) -> None:
    async with board_change(item["project"], actor, announcer) as change:
        await ChecklistItem.delete().where(ChecklistItem.id == item["id"])
        change.cards.add(item["task"])
        change.log("checklist_removed", task=item["task"], item=_clip(item["text"]))


async def add_comment(task: dict[str, Any], actor: Actor, body: str, visibility: str, announcer: Announcer) -> int:
    async with board_change(task["project"], actor, announcer) as change:
        rows = await Comment.insert(
            Comment(task=task["id"], author=actor.id, body=body, visibility=visibility)
        ).returning(Comment.id)
        change.cards.add(task["id"])
        change.log("commented", task=task["id"], visibility=visibility)
    return int(rows[0]["id"])


# ---- Columns: add, edit, reorder and archive. Each redraws the board (fragments.LAYOUT_VERBS).


async def _ordered_columns(project_id: int, without: int | None = None) -> list[dict[str, Any]]:
    return await _ordered(BoardColumn, (BoardColumn.project == project_id) & BoardColumn.archived.eq(False), without)


async def add_column(project_id: int, actor: Actor, name: str, announcer: Announcer) -> int:
    async with board_change(project_id, actor, announcer) as change:
        columns = await _ordered_columns(project_id)
        key = rank.between(columns[-1]["rank"] if columns else None, None)
        rows = await BoardColumn.insert(BoardColumn(project=project_id, name=name, rank=key)).returning(BoardColumn.id)
        change.log("column_added", column=rows[0]["id"], name=name)
    return int(rows[0]["id"])


async def edit_column(column: dict[str, Any], actor: Actor, data: ColumnInput, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        await BoardColumn.update(values_of(data)).where(BoardColumn.id == column["id"])
        change.log("column_edited", column=column["id"], name=data.name)


async def move_column(column: dict[str, Any], actor: Actor, before_id: int | None, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        others = await _ordered_columns(column["project"], without=column["id"])
        ids = [c["id"] for c in others]
        slot = ids.index(before_id) if before_id in ids else len(ids)
        key = await place_among(BoardColumn, others, slot)
        await BoardColumn.update({BoardColumn.rank: key}).where(BoardColumn.id == column["id"])
        change.log("column_moved", column=column["id"])


async def archive_column(column: dict[str, Any], actor: Actor, announcer: Announcer) -> None:
    async with board_change(column["project"], actor, announcer) as change:
        if await Task.exists().where((Task.column == column["id"]) & Task.archived.eq(False)):
            raise ColumnNotEmpty
        await BoardColumn.update({BoardColumn.archived: True}).where(BoardColumn.id == column["id"])
        change.log("column_archived", column=column["id"], name=column["name"])
