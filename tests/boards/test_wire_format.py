"""What a board event looks like on the wire: applying an event's fragments (as htmx applies them) to
the page drawn before it gives the page drawn after it, for an agency viewer (ada) and a client
viewer (cleo), for every kind of event; so does replaying missed events (catch-up); and so does the
mover's own answer on top of the move the browser already made. Then hypothesis drives random runs
of the app's writes and checks the same after every step. A move's message is small and the same
size whatever the board's size."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.boards import fragments
from server.boards.changes import Change, Silent
from server.boards.schemas import ColumnInput
from server.boards.writes import (
    add_checklist_item,
    add_column,
    add_comment,
    archive_column,
    archive_task,
    create_label,
    create_task,
    edit_column,
    move_column,
    move_task,
    tick_checklist_item,
    toggle_assignee,
    update_task,
)
from server.realtime.hub import AGENCY, CLIENT
from server.rules import rank
from server.sprints.writes import move_to_sprint
from server.tables import BoardColumn, ChecklistItem, Project, Task, User
from server.time.writes import start_timer, stop_timer
from tests.boards.wire import Page, difference
from tests.conftest import Agency, Browser
from tests.factories import actor, add_cards, columns_of, weekly_sprint

VIEWERS = {"ada": AGENCY, "cleo": CLIENT}  # who looks, and the audience each belongs to
BOARD_NUMBERS = itertools.count(1)


class Recorder:
    """An announcer that draws each change as the hub would for an agency and a client viewer in
    English, and keeps what it drew."""

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.drawn: list[dict[str, str]] = []

    async def announce(self, change: Change) -> None:
        pairs = await change.draw([(AGENCY, "en"), (CLIENT, "en")])
        self.changes.append(change)
        self.drawn.append({audience: html for (audience, _locale), html in pairs.items()})

    def take(self) -> list[dict[str, str]]:
        drawn, self.drawn = self.drawn, []
        return drawn


@dataclass
class Board:
    """The ACME board, two people looking at it, and what its writes announce."""

    agency: Agency
    project_id: int
    cols: dict[str, int]
    browsers: dict[str, Browser]
    pages: dict[str, Page]
    told: Recorder

    async def fresh(self, who: str) -> Page:
        response = await self.browsers[who].get(f"/projects/{self.project_id}")
        assert response.status_code == 200
        return Page.of(response.text)

    async def open_pages(self) -> None:
        self.pages = {who: await self.fresh(who) for who in VIEWERS}

    async def deliver(self) -> None:
        """Every event announced since, to every page, in order."""
        for drawn in self.told.take():
            for who, audience in VIEWERS.items():
                self.pages[who].receive(drawn[audience])

    async def check(self, why: str = "") -> None:
        """Each page is now what a fresh load of the board shows."""
        for who in VIEWERS:
            fresh = await self.fresh(who)
            page = self.pages[who]
            assert page.cards() == fresh.cards(), f"{who}: {why}"
            assert page.board() == fresh.board(), f"{who}: {why}: {difference(page.board(), fresh.board())}"

    async def task(self, task_id: int) -> dict[str, Any]:
        row = await Task.select().where(Task.id == task_id).first()
        assert row is not None
        return row

    async def project(self) -> dict[str, Any]:
        row = await Project.select().where(Project.id == self.project_id).first()
        assert row is not None
        return row


async def seeded(project_id: int) -> None:
    await add_cards(project_id, "Hero copy", "Footer links", "Pricing table")
    await add_cards(project_id, "Logo", column="In progress")
    await add_cards(project_id, "Launch", column="Done")


async def board_on(agency: Agency, browsers: dict[str, Browser], project_id: int) -> Board:
    made = Board(agency, project_id, await columns_of(project_id), browsers, {}, Recorder())
    await made.open_pages()
    return made


@pytest.fixture
async def browsers(as_user: Any) -> dict[str, Browser]:
    return {who: await as_user(who) for who in VIEWERS}


@pytest.fixture
async def board(agency: Agency, browsers: dict[str, Browser]) -> Board:
    await columns_of(agency.acme_project)
    await seeded(agency.acme_project)
    return await board_on(agency, browsers, agency.acme_project)


async def ids_in(column_id: int) -> list[int]:
    rows = (
        await Task.select(Task.id)
        .where((Task.column == column_id) & Task.archived.eq(False))
        .order_by(Task.rank)
        .order_by(Task.id)
    )
    return [r["id"] for r in rows]


# ---- every kind of event, one at a time

Write = Callable[[Board], Awaitable[Any]]


async def _move(b: Board, card_index: int, column: str, before_index: int | None) -> None:
    """Move the column's n-th card (of all, in board order) above another card, or to the bottom."""
    everything = [c for name in b.cols for c in await ids_in(b.cols[name])]
    task = await b.task(everything[card_index])
    target = await ids_in(b.cols[column])
    before = target[before_index] if before_index is not None and before_index < len(target) else None
    await move_task(
        task,
        actor(b.agency, "max"),
        column_id=b.cols[column],
        before_id=before,
        version=task["version"],
        announcer=b.told,
    )


async def _first(b: Board, column: str = "To do") -> dict[str, Any]:
    return await b.task((await ids_in(b.cols[column]))[0])


async def _edit(b: Board, values: dict[Any, Any]) -> None:
    task = await _first(b)
    await update_task(task, actor(b.agency, "ada"), values, version=task["version"], verb="edited", announcer=b.told)


async def _archive_then_restore(b: Board) -> None:
    task = await b.task((await ids_in(b.cols["To do"]))[1])
    await archive_task(task, actor(b.agency, "ada"), True, version=task["version"], announcer=b.told)
    await b.deliver()
    await b.check("archived")
    task = await b.task(task["id"])
    await archive_task(task, actor(b.agency, "ada"), False, version=task["version"], announcer=b.told)


async def _assign(b: Board) -> None:
    person = await User.select(User.id, User.name).where(User.id == b.agency.max).first()
    await toggle_assignee(await _first(b), actor(b.agency, "ada"), person, b.told)


async def _comment(b: Board, visibility: str) -> None:
    await add_comment(await _first(b), actor(b.agency, "max"), "Looks good", visibility, b.told)


async def _checklist(b: Board) -> None:
    task = await _first(b)
    item_id = await add_checklist_item(task, actor(b.agency, "max"), "Proofread", b.told)
    item = await ChecklistItem.select().where(ChecklistItem.id == item_id).first()
    assert item is not None
    await tick_checklist_item({**item, "project": task["project"]}, actor(b.agency, "max"), True, b.told)


async def _timer(b: Board) -> None:
    now = datetime.now(UTC)
    first, second = await ids_in(b.cols["To do"]), await ids_in(b.cols["In progress"])
    await start_timer(actor(b.agency, "max"), await b.task(first[0]), now - timedelta(minutes=50), "UTC", b.told)
    await b.deliver()
    await b.check("a timer dot")
    # Switching to another card of the board stops the first: one event redraws both cards.
    await start_timer(actor(b.agency, "max"), await b.task(second[0]), now - timedelta(minutes=20), "UTC", b.told)
    await b.deliver()
    await b.check("the timer switched cards")
    await stop_timer(actor(b.agency, "max"), now, b.told)


async def _wip(b: Board) -> None:
    column = await BoardColumn.select().where(BoardColumn.id == b.cols["Review"]).first()
    assert column is not None
    await edit_column(column, actor(b.agency, "ada"), ColumnInput("Review", 1, False, False), b.told)
    await b.deliver()
    await b.check("a WIP limit")
    await _move(b, 0, "Review", None)  # at the limit
    await b.deliver()
    await b.check("a column at its limit")
    await _move(b, 0, "Review", 0)  # past it


async def _sprint(b: Board) -> None:
    sprint_id = await weekly_sprint(b.project_id)
    await move_to_sprint(await _first(b), actor(b.agency, "ada"), sprint_id, b.told)


async def _layout(b: Board) -> None:
    ada = actor(b.agency, "ada")
    new = await add_column(b.project_id, ada, "QA", b.told)
    await b.deliver()
    await b.check("a column added")
    column = await BoardColumn.select().where(BoardColumn.id == new).first()
    await move_column(column, ada, b.cols["To do"], b.told)
    await b.deliver()
    await b.check("a column moved")
    await archive_column(column, ada, b.told)


async def _label(b: Board) -> None:
    await create_label(await _first(b), actor(b.agency, "ada"), "Urgent", "red", b.told)


EVENTS: dict[str, Write] = {
    "a card created at a column's bottom": lambda b: create_task(
        {"id": b.project_id, "key": "ACME"}, actor(b.agency, "max"), b.cols["To do"], "Newsletter", b.told
    ),
    "a card created in an empty column": lambda b: create_task(
        {"id": b.project_id, "key": "ACME"}, actor(b.agency, "max"), b.cols["Review"], "First", b.told
    ),
    "a card moved down its column": lambda b: _move(b, 0, "To do", 2),
    "a card moved up its column to the top": lambda b: _move(b, 2, "To do", 0),
    "a card moved to another column's middle": lambda b: _move(b, 1, "In progress", 0),
    "a card moved to another column's bottom": lambda b: _move(b, 0, "Done", None),
    "a card moved to an empty column": lambda b: _move(b, 0, "Backlog", None),
    "the only card of a column moved out": lambda b: _move(b, 3, "To do", 1),
    "a card archived and restored": _archive_then_restore,
    "a title edited": lambda b: _edit(b, {Task.title: "Hero copy, second round"}),
    "a due date in the past": lambda b: _edit(b, {Task.due_on: date.today() - timedelta(days=3)}),
    "an estimate": lambda b: _edit(b, {Task.estimate_minutes: 90}),
    "a priority and the important mark": lambda b: _edit(b, {Task.priority: 4, Task.important: True}),
    "a label": _label,
    "a person assigned": _assign,
    "an internal comment (the client's count stays)": lambda b: _comment(b, "internal"),
    "a comment shared with the client": lambda b: _comment(b, "client"),
    "a checklist item added and ticked": _checklist,
    "timers started, switched and stopped": _timer,
    "a WIP limit reached and passed": _wip,
    "a card planned into a sprint": _sprint,
    "columns added, moved and archived": _layout,
}


@pytest.mark.parametrize("kind", list(EVENTS))
async def test_an_event_turns_the_page_before_it_into_the_page_after_it(board: Board, kind: str) -> None:
    await EVENTS[kind](board)
    await board.deliver()
    await board.check(kind)


async def test_catch_up_replays_missed_events_onto_the_page_they_missed(board: Board) -> None:
    before = {who: Page(board.pages[who].root) for who in VIEWERS}
    after = before["ada"].seq
    await _move(board, 0, "In progress", 0)
    await _move(board, 1, "Done", None)
    await _edit(board, {Task.title: "Renamed"})
    await create_task(await board.project(), actor(board.agency, "max"), board.cols["Review"], "New", board.told)
    await _move(board, 0, "Review", None)
    task = await board.task((await ids_in(board.cols["In progress"]))[0])
    await archive_task(task, actor(board.agency, "ada"), True, version=task["version"], announcer=board.told)
    board.told.take()  # these pages heard nothing live
    project = await board.project()
    for who, audience in VIEWERS.items():
        missed = await fragments.catch_up(project, after, audience)
        assert missed is not None
        before[who].receive("<!--board-catch-up-->" + missed)
    board.pages = before
    await board.check("caught up")


async def test_catch_up_past_a_layout_change_redraws_the_board(board: Board) -> None:
    after = board.pages["ada"].seq
    await _move(board, 0, "Review", None)
    await add_column(board.project_id, actor(board.agency, "ada"), "QA", board.told)
    board.told.take()
    project = await board.project()
    for who, audience in VIEWERS.items():
        missed = await fragments.catch_up(project, after, audience)
        assert missed is not None and 'id="board-columns"' in missed
        board.pages[who].receive("<!--board-catch-up-->" + missed)
    await board.check("caught up across a layout change")


async def test_the_movers_answer_and_event_leave_the_page_where_the_drop_put_the_card(board: Board) -> None:
    """The mover's browser moved the card before asking; its answer and then its own event (over
    the websocket) must leave the card there, not move it again."""
    todo = await ids_in(board.cols["To do"])
    doing = await ids_in(board.cols["In progress"])
    task = await board.task(todo[0])
    mover = board.pages["ada"]
    mover.move_card_on_screen(task["id"], board.cols["In progress"], doing[0])
    response = await board.browsers["ada"].post(
        f"/tasks/{task['id']}/move",
        {"column_id": board.cols["In progress"], "before_id": doing[0], "version": task["version"]},
        htmx=True,
    )
    assert response.status_code == 200
    assert int(response.headers["x-board-event"]) == mover.seq + 1
    mover.answer(response.text)
    assert mover.cards()[board.cols["In progress"]] == [task["id"], *doing]
    seq = mover.seq + 1
    project = await board.project()
    event = await fragments.catch_up(project, seq - 1, AGENCY)  # the event as the socket brings it
    assert event is not None
    mover.receive(event)
    board.pages["cleo"] = await board.fresh("cleo")
    await board.check("the mover's own move")


async def test_a_refused_move_puts_the_card_back_where_it_is(board: Board) -> None:
    todo = await ids_in(board.cols["To do"])
    task = await board.task(todo[1])
    mover = board.pages["ada"]
    mover.move_card_on_screen(task["id"], board.cols["Done"], None)
    stale = await board.browsers["ada"].post(
        f"/tasks/{task['id']}/move", {"column_id": board.cols["Done"], "version": task["version"] + 5}, htmx=True
    )
    assert stale.status_code == 409
    mover.answer(stale.text)
    assert mover.cards()[board.cols["To do"]] == todo
    await board.check("the card is back")


# ---- random runs of the app's writes


@st.composite
def runs(draw: Any) -> list[tuple[str, int, int, int]]:
    """Steps: (what, a card pick, a column pick, a position pick); picks are resolved against the
    board as it is when the step runs."""
    what = st.sampled_from(["move", "move", "move", "create", "archive", "restore", "edit", "comment"])
    picks = st.integers(min_value=0, max_value=50)
    return draw(st.lists(st.tuples(what, picks, picks, picks), min_size=1, max_size=8))


async def _step(b: Board, what: str, card_pick: int, column_pick: int, position_pick: int) -> None:
    names = list(b.cols)
    column = names[column_pick % len(names)]
    live = [c for name in names for c in await ids_in(b.cols[name])]
    maker = actor(b.agency, "max")
    if what == "create" or not live:
        await create_task(await b.project(), maker, b.cols[column], f"Card {card_pick}", b.told)
    elif what == "move":
        target = await ids_in(b.cols[column])
        position = position_pick % (len(target) + 1)
        task = await b.task(live[card_pick % len(live)])
        before = target[position] if position < len(target) else None
        await move_task(
            task, maker, column_id=b.cols[column], before_id=before, version=task["version"], announcer=b.told
        )
    elif what == "archive":
        task = await b.task(live[card_pick % len(live)])
        await archive_task(task, maker, True, version=task["version"], announcer=b.told)
    elif what == "restore":
        archived = [
            r["id"]
            for r in await Task.select(Task.id)
            .where((Task.project == b.project_id) & Task.archived.eq(True))
            .order_by(Task.id)
        ]
        if archived:
            task = await b.task(archived[card_pick % len(archived)])
            await archive_task(task, maker, False, version=task["version"], announcer=b.told)
    elif what == "edit":
        task = await b.task(live[card_pick % len(live)])
        values = {Task.title: f"Edited {position_pick}", Task.due_on: date.today() - timedelta(days=position_pick % 3)}
        await update_task(task, maker, values, version=task["version"], verb="edited", announcer=b.told)
    else:
        visibility = "client" if position_pick % 2 else "internal"
        await add_comment(await b.task(live[card_pick % len(live)]), maker, "Note", visibility, b.told)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=runs())
async def test_random_runs_of_writes_keep_both_pages_equal_to_a_fresh_load(
    agency: Agency, browsers: dict[str, Browser], steps: Any
) -> None:
    # A board of its own for each example (the suite empties the database per test, not per example).
    rows = await Project.insert(
        Project(client=agency.acme, name="Random", key=f"R{next(BOARD_NUMBERS)}", shared_with_client=True)
    ).returning(Project.id)
    project_id = rows[0]["id"]
    await columns_of(project_id)
    await seeded(project_id)
    board = await board_on(agency, browsers, project_id)
    for step in steps:
        await _step(board, *step)
        await board.deliver()
        await board.check(f"after {step}")


# ---- size


async def dressed(task_id: int, agency: Agency) -> dict[str, Any]:
    """The card as a busy one looks: two labels, two people, a due date, an estimate, a checklist
    and comments (written through the app, told to no one)."""
    ada, quiet = actor(agency, "ada"), Silent()
    task = await Task.select().where(Task.id == task_id).first()
    assert task is not None
    for name, color in (("Design", "violet"), ("Copy", "amber")):
        await create_label(task, ada, name, color, quiet)
    for person in await User.select(User.id, User.name).where(User.id.is_in([agency.max, agency.mia])):
        await toggle_assignee(task, ada, person, quiet)
    await update_task(
        task,
        ada,
        {Task.due_on: date.today() + timedelta(days=3), Task.estimate_minutes: 240},
        version=task["version"],
        verb="edited",
        announcer=quiet,
    )
    for text in ("Draft", "Review", "Ship"):
        await add_checklist_item(task, ada, text, quiet)
    await add_comment(task, ada, "Looks good", "client", quiet)
    fresh = await Task.select().where(Task.id == task_id).first()
    assert fresh is not None
    return fresh


async def message_of_a_move(project_id: int, agency: Agency) -> dict[str, str]:
    told = Recorder()
    cols = await columns_of(project_id)
    cards = await ids_in(cols["To do"])
    task = await dressed(cards[len(cards) // 2], agency)
    doing = await ids_in(cols["In progress"])
    await move_task(
        task,
        actor(agency, "max"),
        column_id=cols["In progress"],
        before_id=doing[len(doing) // 2],
        version=task["version"],
        announcer=told,
    )
    return told.take()[0]


async def fill(project_id: int, per_column: int) -> None:
    """`per_column` cards in each of the board's columns, written in bulk (numbered, ranked)."""
    cols = list((await columns_of(project_id)).values())
    rows = []
    number = 0
    for column_id in cols:
        for key in rank.spread(per_column):
            number += 1
            rows.append(
                Task(project=project_id, number=number, column=column_id, title=f"Card number {number}", rank=key)
            )
    await Task.insert(*rows)
    await Project.update({Project.last_task_number: number}).where(Project.id == project_id)


async def test_a_busy_cards_move_message_is_under_2_kb_and_the_same_size_on_a_500_card_board(agency: Agency) -> None:
    await fill(agency.globex_project, 2)  # ten cards
    await fill(agency.acme_project, 100)  # five hundred
    small = await message_of_a_move(agency.globex_project, agency)
    large = await message_of_a_move(agency.acme_project, agency)
    for audience in (AGENCY, CLIENT):
        size = len(large[audience].encode())
        print(f"\na move's message on a 500-card board, for the {audience}: {size} bytes")
        assert size <= 2048, f"{audience}: {size} bytes"
        # The same card drawn: only the ids' and numbers' digits may differ.
        assert abs(size - len(small[audience].encode())) <= 40, (size, len(small[audience].encode()))
