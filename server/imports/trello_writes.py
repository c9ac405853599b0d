"""Applying a Trello plan to a project, in ONE transaction (a failure leaves the board as it was): new
columns, labels, cards, checklist items and comments are created; cards an earlier import made are
updated when the export changed them and nobody has edited them in Boardroom since; everything is
remembered by its Trello id (ImportedObject), so importing the same file again creates nothing."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fractional_indexing import generate_n_keys_between
from piccolo.columns import JSON
from piccolo.columns.defaults.base import Default

from server.boards.changes import Silent, board_change
from server.imports.trello import BoardPlan, PlannedCard
from server.kernel.i18n import _
from server.rules import rank
from server.rules.imports import Outcome
from server.rules.policy import Actor, Role
from server.tables import (
    Activity,
    BoardColumn,
    ChecklistItem,
    Comment,
    ImportedObject,
    Label,
    Membership,
    Project,
    Task,
    TaskAssignee,
    TaskLabel,
    User,
)

SOURCE = "trello"
# The board event an import logs: a layout change, so every open board redraws whole (an import may
# add columns and many cards at once).
REDRAW = "column_added"
BATCH = 500
Progress = Callable[[int], Awaitable[None]]


@dataclass
class Report:
    """What an import did: a line per object created, updated or skipped (with why), and the counts."""

    lines: list[list[str]] = field(default_factory=list)  # [kind, source id, name, outcome, reason]

    def add(self, kind: str, source_id: str, name: str, outcome: Outcome, reason: str = "") -> None:
        self.lines.append([kind, source_id, name, outcome.value, reason])

    def counts(self) -> dict[str, int]:
        counts = {o.value: 0 for o in Outcome}
        for line in self.lines:
            counts[line[3]] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {"counts": self.counts(), "lines": self.lines}


def _after(last: str | None, count: int) -> list[str]:
    """`count` rank keys in order after `last` (None: an empty list)."""
    return generate_n_keys_between(last, None, count) if count else []


async def _nothing(_pct: int) -> None:
    return None


def _chunks(rows: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def _insert(table: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows (column name -> value; the table's defaults for the rest) in batches of one
    statement each; their ids, in order. Plain SQL: building a Piccolo row object per row cost most
    of a big import's time."""
    if not rows:
        return []
    columns = table._meta.non_default_columns
    names = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    row_slots = "(" + ", ".join("{}" for _ in columns) + ")"
    # Defaults once per call ("now" is the same instant for every row of an import).
    defaults = []
    for column in columns:
        value = column.get_default_value()
        defaults.append(value.python() if isinstance(value, Default) else value)
    keys = [c._meta.name for c in columns]
    as_json = [isinstance(c, JSON) for c in columns]
    ids: list[int] = []
    for chunk in _chunks(rows, max(1, min(BATCH, 30_000 // len(columns)))):
        values = []
        for row in chunk:
            for key, default, json_column in zip(keys, defaults, as_json, strict=True):
                value = row.get(key, default)
                values.append(json.dumps(value) if json_column and not isinstance(value, str) else value)
        slots = ", ".join([row_slots] * len(chunk))
        statement = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES {slots} RETURNING "id"'
        ids += [int(r["id"]) for r in await table.raw(statement, *values)]
    return ids


@dataclass
class Apply:
    """One import's state while it runs: the project, who asked, the people chosen for Trello members."""

    project: dict[str, Any]
    actor: Actor
    people: dict[str, int | None]  # Trello member id -> Boardroom user id
    names: dict[str, str]  # Trello member id -> name
    known: dict[tuple[str, str], dict[str, Any]]
    report: Report = field(default_factory=Report)
    remembered: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)  # Trello card id -> task id
    imported_cards: list[tuple[int, PlannedCard, str]] = field(default_factory=list)  # (task, card, verb)

    @property
    def project_id(self) -> int:
        return int(self.project["id"])

    def remember(self, kind: str, source_id: str, object_id: int, fingerprint: str = "", version: int = 0) -> None:
        self.remembered.append(
            dict(
                project=self.project_id,
                source=SOURCE,
                kind=kind,
                source_id=source_id[:100],
                object_id=object_id,
                fingerprint=fingerprint,
                version=version,
            )
        )


async def _columns(state: Apply, plan: BoardPlan) -> None:
    existing = await BoardColumn.select(BoardColumn.rank).where(BoardColumn.project == state.project_id)
    last = max((r["rank"] for r in existing), default=None)
    new = [c for c in plan.columns if ("column", c.source_id) not in state.known]
    keys = _after(last, len(new))
    ids = await _insert(
        BoardColumn,
        [
            dict(project=state.project_id, name=c.name, rank=k, archived=c.archived)
            for c, k in zip(new, keys, strict=True)
        ],
    )
    for column, column_id in zip(new, ids, strict=True):
        state.remember("column", column.source_id, column_id)
        state.report.add("column", column.source_id, column.name, Outcome.CREATED)
    for column in plan.columns:
        if (found := state.known.get(("column", column.source_id))) is not None:
            state.report.add("column", column.source_id, column.name, Outcome.SKIPPED, _("imported before"))
            state.columns[column.source_id] = int(found["object_id"])
    state.columns.update({c.source_id: i for c, i in zip(new, ids, strict=True)})


async def _labels(state: Apply, plan: BoardPlan) -> None:
    new = [label for label in plan.labels if ("label", label.source_id) not in state.known]
    ids = await _insert(Label, [dict(project=state.project_id, name=x.name, color=x.color) for x in new])
    for label, label_id in zip(new, ids, strict=True):
        state.remember("label", label.source_id, label_id)
        state.labels[label.source_id] = label_id
        state.report.add("label", label.source_id, label.name, Outcome.CREATED)
    for label in plan.labels:
        if (found := state.known.get(("label", label.source_id))) is not None:
            state.labels[label.source_id] = int(found["object_id"])


def _task_values(state: Apply, card: PlannedCard) -> dict[str, Any]:
    return {
        "title": card.title,
        "description": card.description,
        "column": state.columns[card.column_id],
        "archived": card.archived,
        "due_on": card.due_on,
    }


async def _new_cards(state: Apply, cards: list[PlannedCard]) -> list[int]:
    """Numbered in Trello's order (the plan's), placed in each column after what is there, in Trello's pos."""
    if not cards:
        return []
    numbers = (
        await Project.update({Project.last_task_number: Project.last_task_number + len(cards)})
        .where(Project.id == state.project_id)
        .returning(Project.last_task_number)
    )
    first = int(numbers[0]["last_task_number"]) - len(cards) + 1
    ranks: dict[int, str] = {}
    by_column: dict[str, list[int]] = {}
    for index, card in enumerate(cards):
        by_column.setdefault(card.column_id, []).append(index)
    for source_column, indexes in by_column.items():
        column_id = state.columns[source_column]
        last = await Task.select(Task.rank).where(Task.column == column_id).order_by(Task.rank, ascending=False).first()
        ordered = sorted(indexes, key=lambda i: cards[i].position)
        for index, key in zip(ordered, _after(last["rank"] if last else None, len(ordered)), strict=True):
            ranks[index] = key
    rows = [
        dict(
            project=state.project_id,
            number=first + i,
            rank=ranks[i],
            created_by=state.actor.id,
            internal=bool(state.project["new_cards_internal"]),
            **_task_values(state, card),
        )
        for i, card in enumerate(cards)
    ]
    return await _insert(Task, rows)


async def _update_card(state: Apply, card: PlannedCard, found: dict[str, Any], task: dict[str, Any] | None) -> bool:
    """Update a card an earlier import made, unless someone edited it in Boardroom since."""
    if task is None:
        state.report.add("card", card.source_id, card.title, Outcome.SKIPPED, _("deleted in Boardroom"))
        return False
    if found["fingerprint"] == card.fingerprint():
        state.report.add("card", card.source_id, card.title, Outcome.SKIPPED, _("unchanged"))
        return False
    if task["version"] != found["version"]:
        state.report.add(
            "card", card.source_id, card.title, Outcome.SKIPPED, _("edited in Boardroom since the last import")
        )
        return False
    values: dict[Any, Any] = _task_values(state, card)
    if values["column"] != task["column"]:
        last = (
            await Task.select(Task.rank)
            .where(Task.column == values["column"])
            .order_by(Task.rank, ascending=False)
            .first()
        )
        values["rank"] = rank.between(last["rank"] if last else None, None)
    values |= {"version": task["version"] + 1, "updated_at": datetime.now(UTC)}
    await Task.update(values).where(Task.id == task["id"])
    await TaskLabel.delete().where(TaskLabel.task == task["id"])
    await TaskAssignee.delete().where(TaskAssignee.task == task["id"])
    await ImportedObject.update(
        {ImportedObject.fingerprint: card.fingerprint(), ImportedObject.version: task["version"] + 1}
    ).where(ImportedObject.id == found["id"])
    state.report.add("card", card.source_id, card.title, Outcome.UPDATED)
    return True


async def _cards(state: Apply, plan: BoardPlan, progress: Progress) -> None:
    new = [c for c in plan.cards if ("card", c.source_id) not in state.known]
    new_ids = await _new_cards(state, new)
    for card in plan.cards:
        if (found := state.known.get(("card", card.source_id))) is not None:
            state.tasks[card.source_id] = int(found["object_id"])
    for card, task_id in zip(new, new_ids, strict=True):
        state.tasks[card.source_id] = task_id
        state.remember("card", card.source_id, task_id, card.fingerprint(), 1)
        if card.short_link:
            state.remember("card_link", card.short_link, task_id)
        state.report.add("card", card.source_id, card.title, Outcome.CREATED)
        state.imported_cards.append((task_id, card, "imported"))
    await progress(40)
    again = [(c, found) for c in plan.cards if (found := state.known.get(("card", c.source_id))) is not None]
    ids = [int(found["object_id"]) for _card, found in again]
    tasks = {
        r["id"]: r
        for chunk in _chunks(ids, 5000)
        for r in await Task.select(Task.id, Task.version, Task.column).where(Task.id.is_in(list(chunk)))
    }
    for card, found in again:
        if await _update_card(state, card, found, tasks.get(int(found["object_id"]))):
            state.imported_cards.append((int(found["object_id"]), card, "reimported"))
    await progress(55)
    labels, assignees = [], []
    for task_id, card, _verb in state.imported_cards:
        labels += [dict(task=task_id, label=state.labels[i]) for i in dict.fromkeys(card.label_ids)]
        people = dict.fromkeys(p for m in card.member_ids if (p := state.people.get(m)) is not None)
        assignees += [dict(task=task_id, person=p) for p in people]
    await _insert(TaskLabel, labels)
    await _insert(TaskAssignee, assignees)


async def _items(state: Apply, plan: BoardPlan) -> None:
    """Checklist items the board does not have yet, after the card's own items."""
    rows, planned = [], []
    for card in plan.cards:
        task_id = state.tasks.get(card.source_id)
        new = [i for i in card.items if ("item", i.source_id) not in state.known]
        if task_id is None or not new:
            continue
        last = None
        if ("card", card.source_id) in state.known:
            row = await (
                ChecklistItem.select(ChecklistItem.rank)
                .where(ChecklistItem.task == task_id)
                .order_by(ChecklistItem.rank, ascending=False)
                .first()
            )
            last = row["rank"] if row else None
        for item, key in zip(new, _after(last, len(new)), strict=True):
            rows.append(dict(task=task_id, text=item.text, done=item.done, rank=key))
            planned.append(item)
    ids = await _insert(ChecklistItem, rows)
    for item, item_id in zip(planned, ids, strict=True):
        state.remember("item", item.source_id, item_id)
        state.report.add("checklist item", item.source_id, item.text, Outcome.CREATED)


def _comment_body(state: Apply, author_id: str, author_name: str, body: str) -> tuple[int | None, str]:
    """The comment's author, or nobody with the Trello name kept in its first line."""
    person = state.people.get(author_id)
    if person is not None:
        return person, body
    if not author_id and not author_name:  # nobody's (Boardroom's export of a comment whose author left)
        return None, body
    name = author_name or state.names.get(author_id) or _("someone")
    return None, _("*%(name)s on Trello:*", name=name) + "\n\n" + body


async def _comments(state: Apply, plan: BoardPlan) -> None:
    rows, planned = [], []
    for card in plan.cards:
        task_id = state.tasks.get(card.source_id)
        for comment in card.comments:
            if task_id is None or ("comment", comment.source_id) in state.known:
                continue
            author, body = _comment_body(state, comment.author_id, comment.author_name, comment.body)
            at = {"created_at": comment.at} if comment.at else {}
            rows.append(dict(task=task_id, author=author, body=body, **at))
            planned.append(comment)
    ids = await _insert(Comment, rows)
    for comment, comment_id in zip(planned, ids, strict=True):
        state.remember("comment", comment.source_id, comment_id)
        state.report.add("comment", comment.source_id, comment.body[:60], Outcome.CREATED)


async def _memberships(state: Apply) -> None:
    """Members chosen for Trello people join the project, so the cards they are on are theirs to work on."""
    chosen = {p for p in state.people.values() if p is not None}
    if not chosen:
        return
    members = await User.select(User.id).where(User.id.is_in(list(chosen)) & (User.role == Role.MEMBER.value))
    already = {
        r["member"] for r in await Membership.select(Membership.member).where(Membership.project == state.project_id)
    }
    await _insert(
        Membership, [dict(project=state.project_id, member=r["id"]) for r in members if r["id"] not in already]
    )


def _history(state: Apply, first_seq: int, at: datetime) -> list[dict[str, Any]]:
    """Each card's line in its history, with its Trello short link and the members nobody was chosen for."""
    rows = []
    for offset, (task_id, card, verb) in enumerate(state.imported_cards):
        unmatched = [state.names.get(m, m) for m in card.member_ids if state.people.get(m) is None]
        data: dict[str, Any] = {"source": SOURCE, "short_link": card.short_link, "trello_id": card.source_id}
        if unmatched:
            data["unmatched_members"] = unmatched
        if card.due_complete:
            data["due_complete"] = True
        rows.append(
            dict(
                project=state.project_id,
                seq=first_seq + offset,
                actor=state.actor.id,
                verb=verb,
                task=task_id,
                column=state.columns[card.column_id],
                data=data,
                at=at,
            )
        )
    return rows


async def apply_plan(
    project: dict[str, Any],
    actor: Actor,
    plan: BoardPlan,
    people: dict[str, int | None],
    *,
    run_id: int,
    progress: Progress = _nothing,
    known: dict[tuple[str, str], dict[str, Any]],
) -> Report:
    """Import the plan into the project, in one transaction: one board event (the board redrawn)
    after a history line per card created or updated."""
    names = {m.source_id: m.name for m in plan.members}
    state = Apply(project=project, actor=actor, people=people, names=names, known=known)
    async with board_change(project["id"], actor, Silent()) as change:
        await _columns(state, plan)
        await _labels(state, plan)
        await progress(20)
        await _cards(state, plan, progress)
        await _items(state, plan)
        await progress(70)
        await _comments(state, plan)
        await progress(85)
        await _memberships(state)
        await _insert(ImportedObject, state.remembered)
        # Every card's history line takes a number of the board's sequence, before the event itself.
        if state.imported_cards:
            bumped = (
                await Project.update({Project.event_seq: Project.event_seq + len(state.imported_cards)})
                .where(Project.id == project["id"])
                .returning(Project.event_seq)
            )
            await _insert(Activity, _history(state, change.seq, datetime.now(UTC)))
            change.seq = int(bumped[0]["event_seq"])
        await progress(95)
        # A layout event: every open board redraws whole (it may have new columns and many cards).
        change.log(REDRAW, import_run=run_id, source=SOURCE)
    return state.report
