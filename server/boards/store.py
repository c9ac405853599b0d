"""Reading a board: columns and cards as the templates show them, in a fixed number of queries
whatever the board's size (no query per card); the board page's context, its labels, and the board's
weekly sprints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count, Sum

from server.kernel.db import is_sqlite, is_unique_violation
from server.rules.policy import Actor
from server.rules.priority import LEVELS as PRIORITY_LEVELS
from server.rules.priority import Priority, priority_of
from server.rules.sprints import SprintState, sprint_name, weeks_needed
from server.rules.visibility import EVERYTHING, Seen, client_sees
from server.tables import (
    Attachment,
    BoardColumn,
    ChecklistItem,
    Client,
    Comment,
    Label,
    Project,
    Sprint,
    Task,
    TaskAssignee,
    TaskLabel,
    TimeEntry,
)

LABEL_COLORS = ("slate", "red", "orange", "amber", "green", "teal", "blue", "indigo", "violet", "pink")


@dataclass
class Person:
    id: int
    name: str

    @property
    def initials(self) -> str:
        parts = self.name.split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"


@dataclass
class CardView:
    id: int
    number: int
    key: str
    title: str
    column_id: int
    rank: str
    version: int
    due_on: date | None
    estimate_minutes: int | None
    billable: bool
    archived: bool
    sprint_id: int | None = None  # None: in the backlog
    done: bool = False  # in a done column: never shown as overdue
    assignees: list[Person] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    checklist_done: int = 0
    checklist_total: int = 0
    comments: int = 0  # the comments this card's audience may read (the client's people: those shared with them)
    client_comments: int = 0  # read beside `comments` when one query serves both audiences (live_store)
    logged_minutes: int = 0
    timers: list[Person] = field(default_factory=list)  # who is logging time on it right now
    internal: bool = False  # the agency's alone: never drawn for the client's people
    priority: Priority = Priority.NONE
    important: bool = False  # important for the client: a mark on the card
    # The board's client and whether the board is shared with them: what the card tells the agency
    # of who sees it ("Acme can see this card").
    client_name: str = ""
    project_shared: bool = False
    # The card's cover image (an attachment id) and whether the client may see that file: their
    # audience draws no cover otherwise (for_audience, cards_where).
    cover_id: int | None = None
    cover_shared: bool = False

    @property
    def ref(self) -> str:
        return f"{self.key}-{self.number}"

    # What the board's filters read (board.js): ids with spaces around, lower-case text.
    @property
    def assignee_ids(self) -> str:
        return " ".join(str(p.id) for p in self.assignees)

    @property
    def label_ids(self) -> str:
        return " ".join(str(label["id"]) for label in self.labels)

    @property
    def search_text(self) -> str:
        return f"{self.ref} {self.title}".lower()

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything the card's HTML depends on: equal fingerprints render equal HTML."""
        return (
            self.id,
            self.number,
            self.key,
            self.title,
            self.column_id,
            self.version,
            self.due_on,
            self.estimate_minutes,
            self.billable,
            self.archived,
            self.sprint_id,
            self.done,
            self.checklist_done,
            self.checklist_total,
            self.comments,
            self.logged_minutes,
            tuple((p.id, p.name) for p in self.assignees),
            tuple((label["id"], label["name"], label["color"]) for label in self.labels),
            tuple((p.id, p.name) for p in self.timers),
            self.internal,
            self.client_name,
            self.project_shared,
            self.cover_id,
            int(self.priority),
            self.important,
        )

    def for_audience(self, client_view: bool, seen: Seen = EVERYTHING) -> CardView:
        """The card as one audience sees it, from a read that served both (live_store.cards_now):
        the client's people see their comments, and hours and people only where `seen` says."""
        if not client_view:
            return self
        cover = self.cover_id if self.cover_shared else None
        return replace(
            self, comments=self.client_comments, client_name="", project_shared=False, cover_id=cover
        ).seen_as(seen)

    def seen_as(self, seen: Seen) -> CardView:
        """The card without what its viewer may not see: logged hours, who works on it."""
        if seen.hours and seen.people:
            return self
        hours: dict[str, Any] = {} if seen.hours else {"logged_minutes": 0}
        people: dict[str, Any] = {} if seen.people else {"assignees": [], "timers": []}
        return replace(self, **hours, **people)

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and not self.done

    @property
    def progress(self) -> int | None:
        """Logged time as a percentage of the estimate (can pass 100)."""
        if not self.estimate_minutes:
            return None
        return round(100 * self.logged_minutes / self.estimate_minutes)


@dataclass(frozen=True)
class ColumnCount:
    """A column's header counter: how many live cards it holds against its WIP limit."""

    id: int
    count: int
    wip_limit: int | None
    wip_strict: bool
    client_count: int | None = None  # the live cards shared with the client (None: not read)

    def for_audience(self, client_view: bool) -> ColumnCount:
        """The counter as one audience sees it: the client's people count only the cards they see."""
        if not client_view or self.client_count is None:
            return self
        return replace(self, count=self.client_count)

    @property
    def over_limit(self) -> bool:
        return self.wip_limit is not None and self.count > self.wip_limit

    @property
    def at_limit(self) -> bool:
        return self.wip_limit is not None and self.count >= self.wip_limit


@dataclass
class ColumnView:
    id: int
    name: str
    rank: str
    wip_limit: int | None
    wip_strict: bool
    is_done: bool
    cards: list[CardView] = field(default_factory=list)

    @property
    def counter(self) -> ColumnCount:
        return ColumnCount(self.id, len(self.cards), self.wip_limit, self.wip_strict)

    @property
    def over_limit(self) -> bool:
        return self.counter.over_limit

    @property
    def at_limit(self) -> bool:
        return self.counter.at_limit


TASK_FIELDS = (
    Task.id,
    Task.number,
    Task.title,
    Task.column,
    Task.rank,
    Task.version,
    Task.due_on,
    Task.estimate_minutes,
    Task.billable,
    Task.archived,
    Task.sprint,
    Task.internal,
    Task.cover_attachment,
    Task.priority,
    Task.important,
)


async def cards_where(
    key: str, *conditions: Any, client_view: bool = False, project_id: int | None = None
) -> list[CardView]:
    """Cards matching `conditions`, with their people, labels, checklist and comment counts; for the
    client's people (`client_view`) never an internal card."""
    query = Task.select(*TASK_FIELDS)
    if client_view:
        query = query.where(Task.internal.eq(False))
    for condition in conditions:
        query = query.where(condition)
    rows = await query.order_by(Task.rank).order_by(Task.id)
    cards = [
        CardView(
            id=r["id"],
            number=r["number"],
            key=key,
            title=r["title"],
            column_id=r["column"],
            rank=r["rank"],
            version=r["version"],
            due_on=r["due_on"],
            estimate_minutes=r["estimate_minutes"],
            billable=r["billable"],
            archived=r["archived"],
            sprint_id=r["sprint"],
            internal=r["internal"],
            cover_id=r["cover_attachment"],
            priority=priority_of(r["priority"]),
            important=bool(r["important"]),
        )
        for r in rows
    ]
    if cards:
        await _decorate({c.id: c for c in cards}, client_view=client_view, project_id=project_id)
        await _covers(cards, client_view=client_view)
    return cards


async def _covers(cards: list[CardView], *, client_view: bool) -> None:
    """Whether each cover image is shared with the client (one query, for the cards that have one);
    the client's people get no cover that is an internal file."""
    covered = {card.cover_id: card for card in cards if card.cover_id}
    if not covered:
        return
    for row in await Attachment.select(Attachment.id, Attachment.visibility).where(Attachment.id.is_in(list(covered))):
        covered[row["id"]].cover_shared = row["visibility"] == "client"
    for card in covered.values():
        if client_view and not card.cover_shared:
            card.cover_id = None


async def _decorate(by_id: dict[int, CardView], *, client_view: bool, project_id: int | None) -> None:
    """People, labels, checklist, comments and time of the cards. For a whole board the queries
    select by project (a join) rather than by a list of hundreds of ids."""
    ids = list(by_id)

    def of_cards(task: Any) -> Any:
        return task.project == project_id if project_id is not None else task.is_in(ids)

    for row in (
        await TaskAssignee.select(
            TaskAssignee.task, TaskAssignee.person.id.as_alias("pid"), TaskAssignee.person.name.as_alias("pname")
        )
        .where(of_cards(TaskAssignee.task))
        .order_by(TaskAssignee.person.name)
        .order_by(TaskAssignee.person.id)
    ):
        if card := by_id.get(row["task"]):
            card.assignees.append(Person(row["pid"], row["pname"]))
    for row in (
        await TaskLabel.select(
            TaskLabel.task,
            TaskLabel.label.id.as_alias("lid"),
            TaskLabel.label.name.as_alias("name"),
            TaskLabel.label.color.as_alias("color"),
        )
        .where(of_cards(TaskLabel.task))
        .order_by(TaskLabel.label.name)
        .order_by(TaskLabel.label.id)
    ):
        if card := by_id.get(row["task"]):
            card.labels.append({"id": row["lid"], "name": row["name"], "color": row["color"]})
    for row in (
        await ChecklistItem.select(ChecklistItem.task, ChecklistItem.done, Count(alias="n"))
        .where(of_cards(ChecklistItem.task))
        .group_by(ChecklistItem.task, ChecklistItem.done)
    ):
        if not (card := by_id.get(row["task"])):
            continue
        card.checklist_total += row["n"]
        card.checklist_done += row["n"] if row["done"] else 0
    comments = Comment.select(Comment.task, Count(alias="n")).where(of_cards(Comment.task))
    if client_view:
        comments = comments.where(Comment.visibility == "client")
    for row in await comments.group_by(Comment.task):
        if card := by_id.get(row["task"]):
            card.comments = row["n"]
    for row in (
        await TimeEntry.select(TimeEntry.task, Sum(TimeEntry.minutes, alias="minutes"))
        .where(of_cards(TimeEntry.task) & TimeEntry.ended_at.is_not_null())
        .group_by(TimeEntry.task)
    ):
        if card := by_id.get(row["task"]):
            card.logged_minutes = int(row["minutes"] or 0)
    for row in (
        await TimeEntry.select(
            TimeEntry.task, TimeEntry.person.id.as_alias("pid"), TimeEntry.person.name.as_alias("pname")
        )
        .where(of_cards(TimeEntry.task) & TimeEntry.ended_at.is_null())
        .order_by(TimeEntry.person.name)
        .order_by(TimeEntry.person.id)
    ):
        if card := by_id.get(row["task"]):
            card.timers.append(Person(row["pid"], row["pname"]))


async def columns_of(project_id: int, column_ids: Iterable[int] | None = None) -> list[ColumnView]:
    query = BoardColumn.select().where((BoardColumn.project == project_id) & BoardColumn.archived.eq(False))
    if column_ids is not None:
        query = query.where(BoardColumn.id.is_in(list(column_ids) or [0]))
    return [
        ColumnView(
            id=r["id"],
            name=r["name"],
            rank=r["rank"],
            wip_limit=r["wip_limit"],
            wip_strict=r["wip_strict"],
            is_done=r["is_done"],
        )
        for r in await query.order_by(BoardColumn.rank).order_by(BoardColumn.id)
    ]


async def board(
    project: dict[str, Any], column_ids: Iterable[int] | None = None, *, client_view: bool = False
) -> list[ColumnView]:
    """The board's live columns, each with its live cards in order: for the client's people only
    the cards shared with them, without the hours or people the project keeps from them."""
    columns = await columns_of(project["id"], column_ids)
    by_column = {c.id: c for c in columns}
    cards = await cards_where(
        project["key"],
        Task.project == project["id"],
        Task.archived.eq(False),
        Task.column.is_in(list(by_column) or [0]),
        client_view=client_view,
        project_id=project["id"] if column_ids is None else None,
    )
    cards = await _as_seen(project, cards, client_view)
    for card in cards:
        card.done = by_column[card.column_id].is_done
        by_column[card.column_id].cards.append(card)
    return columns


async def card(project: dict[str, Any], task_id: int, *, client_view: bool = False) -> CardView | None:
    found = await cards_where(project["key"], Task.id == task_id, client_view=client_view)
    if not found:
        return None
    column = await BoardColumn.select(BoardColumn.is_done).where(BoardColumn.id == found[0].column_id).first()
    found[0].done = bool(column and column["is_done"])
    return (await _as_seen(project, found, client_view))[0]


async def client_name_of(project: dict[str, Any]) -> str:
    row = await Client.select(Client.name).where(Client.id == project["client"]).first()
    return str(row["name"]) if row else ""


async def _as_seen(project: dict[str, Any], cards: list[CardView], client_view: bool) -> list[CardView]:
    """The cards as their viewer sees them: the client's people without what the project keeps from
    them; the agency told who sees each card."""
    if client_view:
        seen = client_sees(project)
        return [card.seen_as(seen) for card in cards]
    if cards:
        name, shared = await client_name_of(project), bool(project["shared_with_client"])
        for card in cards:
            card.client_name, card.project_shared = name, shared
    return cards


async def labels_of(project_id: int) -> list[dict[str, Any]]:
    return await Label.select().where(Label.project == project_id).order_by(Label.name)


async def label_of(project_id: int, label_id: int) -> dict[str, Any] | None:
    """One of the project's labels (None for another board's)."""
    return await Label.select().where((Label.id == label_id) & (Label.project == project_id)).first()


@asynccontextmanager
async def snapshot() -> AsyncIterator[None]:
    """Reads inside see the database as of one moment: a board drawn whole and the event number it
    is labelled with must agree, or the browser would replay events onto a board that has them."""
    engine = Project._meta.db
    async with engine.transaction():
        if not is_sqlite(engine):  # SQLite in WAL mode: a read transaction is a snapshot already
            await Project.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


async def board_context(me: Actor, project: dict[str, Any]) -> dict[str, Any]:
    """What the board page shows this viewer: its columns and cards, and whether they may edit; the
    board's event number read with them (the page's live updates start from it)."""
    client_view = me.is_client
    async with snapshot():
        seq = await Project.select(Project.event_seq).where(Project.id == project["id"]).first()
        columns = await board(project, client_view=client_view)
    return {
        "project": {**project, "event_seq": seq["event_seq"] if seq else project["event_seq"]},
        "columns": columns,
        "client_view": client_view,
        "can_edit": not client_view and not project["archived"],
        "today": datetime.now(UTC).date(),
        "labels": await labels_of(project["id"]),
        "priorities": PRIORITY_LEVELS,
    }


async def project_row(project_id: int) -> dict[str, Any] | None:
    return await Project.select().where(Project.id == project_id).first()


# ---- the board's weeks: each project has a sprint per ISO week; the board filters by them


async def ensure_sprints(project_id: int, today: date) -> None:
    """This week's and next week's sprints always exist; created on first need, race-safe (a
    unique index on project and week: a concurrent creator's row is as good as ours)."""
    existing = await Sprint.select(Sprint.starts_on).where(
        (Sprint.project == project_id) & (Sprint.starts_on >= today - timedelta(days=7))
    )
    for monday in weeks_needed(today, [row["starts_on"] for row in existing]):
        try:
            await Sprint.insert(
                Sprint(
                    project=project_id, name=sprint_name(monday), starts_on=monday, ends_on=monday + timedelta(days=6)
                )
            )
        except Exception as error:
            if not is_unique_violation(error):
                raise


async def sprint_of_week(project_id: int, monday: date) -> dict[str, Any] | None:
    return await Sprint.select().where((Sprint.project == project_id) & (Sprint.starts_on == monday)).first()


async def active_sprint(project_id: int) -> dict[str, Any] | None:
    """The project's running sprint, if one is (at most one: starting refuses a second)."""
    return await Sprint.select().where((Sprint.project == project_id) & (Sprint.state == SprintState.ACTIVE)).first()


async def open_sprint_of(project_id: int, sprint_id: int | None) -> int | None:
    """The sprint a quick-added card joins (the board's filtered sprint), if it is an open sprint of
    this project; anything else puts the card in the backlog."""
    if sprint_id is None:
        return None
    found = await Sprint.exists().where(
        (Sprint.id == sprint_id) & (Sprint.project == project_id) & (Sprint.state != SprintState.CLOSED)
    )
    return sprint_id if found else None
