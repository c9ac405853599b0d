"""Many people moving cards at once: the board ends consistent, with no lost or doubled card, a
version per successful move, and an unbroken sequence of events. On PostgreSQL the moves really run
in parallel (one connection each); on SQLite they queue for the write lock and none fails."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

from piccolo.engine import engine_finder

from server.boards.changes import Silent
from server.boards.writes import StaleVersion, WipLimitReached, move_task
from server.kernel.db import close_pool, open_pool
from server.rules.policy import Actor
from server.tables import Activity, BoardColumn, Project, Task
from tests.boards.conftest import order
from tests.conftest import Agency
from tests.factories import actor, add_card, add_cards, columns_of

CARDS, WORKERS, MOVES = 8, 10, 200
STRICT_LIMIT = 4  # one column refuses a fifth card: WipLimitReached is one of the allowed outcomes


async def move_somewhere(
    rng: random.Random, mover: Actor, card_ids: list[int], column_ids: list[int], tally: Counter[str]
) -> int | None:
    """One person's move: read the card as their browser shows it, then move it from that version,
    reading again after a 409 as the browser does. The card moved, or None if the WIP limit said no."""
    task_id = rng.choice(card_ids)
    target = rng.choice(column_ids)
    while True:
        task = await Task.select().where(Task.id == task_id).first()
        assert task is not None
        there = await order(target)
        before = rng.choice([*there, None])
        try:
            await move_task(
                task, mover, column_id=target, before_id=before, version=task["version"], announcer=Silent()
            )
            return task_id
        except StaleVersion:
            tally["stale"] += 1
            continue
        except WipLimitReached:
            tally["refused"] += 1
            return None


async def test_concurrent_moves_leave_the_board_consistent(agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    live = [cols["To do"], cols["In progress"], cols["Review"]]
    await BoardColumn.update({BoardColumn.wip_limit: STRICT_LIMIT, BoardColumn.wip_strict: True}).where(
        BoardColumn.id == cols["Review"]
    )
    card_ids = await add_cards(agency.acme_project, *(f"Card {n}" for n in range(CARDS)))
    people = [actor(agency, "ada"), actor(agency, "max")]

    tally: Counter[str] = Counter()

    async def worker(n: int) -> list[int | None]:
        rng = random.Random(n)
        return [await move_somewhere(rng, people[n % 2], card_ids, live, tally) for _ in range(MOVES // WORKERS)]

    engine = engine_finder()
    await open_pool(engine, max_size=WORKERS)  # PostgreSQL: a connection per worker, real parallelism
    try:
        results = await asyncio.gather(*(worker(n) for n in range(WORKERS)))
    finally:
        await close_pool(engine)

    moved = Counter(task_id for outcome in results for task_id in outcome if task_id is not None)
    assert sum(moved.values()) + tally["refused"] == MOVES
    assert tally["stale"] > 0, "the workers really raced: some moved from a version already gone"
    await assert_consistent(agency.acme_project, card_ids, live, moved)
    assert len(await order(cols["Review"])) <= STRICT_LIMIT


async def assert_consistent(project_id: int, card_ids: list[int], live: list[int], moved: Counter[int]) -> None:
    tasks = await Task.select(Task.id, Task.column, Task.rank, Task.version, Task.archived).where(
        Task.project == project_id
    )
    assert sorted(t["id"] for t in tasks) == sorted(card_ids), "no card lost, none doubled"
    assert all(t["column"] in live and not t["archived"] for t in tasks), "every card in one live column"
    for task in tasks:
        assert task["version"] == 1 + moved[task["id"]], f"card {task['id']}: one version per successful move"
    by_column: dict[int, list[str]] = {}
    for task in tasks:
        by_column.setdefault(task["column"], []).append(task["rank"])
    for column_id, ranks in by_column.items():
        assert len(set(ranks)) == len(ranks), f"column {column_id} has two cards at one rank"
    await assert_events_unbroken(project_id, expected=len(card_ids) + sum(moved.values()))


async def assert_events_unbroken(project_id: int, expected: int) -> None:
    project: Any = await Project.select(Project.event_seq).where(Project.id == project_id).first()
    seqs = [r["seq"] for r in await Activity.select(Activity.seq).where(Activity.project == project_id)]
    assert project["event_seq"] == expected, "one event per card created and per move"
    assert sorted(seqs) == list(range(1, expected + 1)), "sequence numbers 1..N, no gap, none twice"


async def test_two_people_moving_one_card_at_once_one_wins_and_the_other_gets_409(as_user: Any, agency: Agency) -> None:
    cols = await columns_of(agency.acme_project)
    a = await add_card(agency.acme_project, "Hero copy")
    max_, ada = await as_user("max"), await as_user("ada")
    targets = {"max": cols["Review"], "ada": cols["Done"]}
    responses = await asyncio.gather(
        max_.post(f"/tasks/{a}/move", {"column_id": targets["max"], "version": 1}),
        ada.post(f"/tasks/{a}/move", {"column_id": targets["ada"], "version": 1}),
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.text for r in responses]
    winner = "max" if responses[0].status_code == 200 else "ada"
    loser = responses[1] if winner == "max" else responses[0]
    task = await Task.select(Task.column, Task.version).where(Task.id == a).first()
    assert task == {"column": targets[winner], "version": 2}
    assert "Someone moved or edited this card first" in loser.text
    put_back = f'<ol hx-swap-oob="afterbegin:#column-{targets[winner]}-cards"><li id="task-{a}"'
    assert put_back in loser.text, "the loser is shown where the card is now"
    await assert_events_unbroken(agency.acme_project, expected=2)
