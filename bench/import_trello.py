"""Importing a big Trello board: 5,000 cards, 20,000 checklist items, 10,000 comments (issue 15).

    .venv/bin/python bench/import_trello.py              # SQLite in a temporary file, full size
    .venv/bin/python bench/import_trello.py --postgres   # a throwaway PostgreSQL database
    .venv/bin/python bench/import_trello.py --smoke      # 200 cards, a few seconds (CI)

Generates the export (8 lists, 12 labels, 20 members; each card with 4 checklist items in 2
checklists and 2 comments, a label or two, a member), then times what the worker does with it:
reading the export into a plan (server/imports/trello.py) and applying it to an empty project in
one transaction (server/imports/trello_writes.py), then the same export again (everything known:
nothing created). Target: the import under 30 s on this machine (issue 15).
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 30.0
LISTS, LABELS, MEMBERS = 8, 12, 20
COLORS = ("green", "yellow", "orange", "red", "purple", "blue", "sky", "lime", "pink", "black", "green_dark", None)


def synthetic_board(cards: int, items_per_card: int = 4, comments_per_card: int = 2) -> dict[str, Any]:
    """A Trello board export of this size, shaped as Trello writes it."""
    members = [{"id": f"member-{m}", "fullName": f"Member {m}", "username": f"member{m}"} for m in range(MEMBERS)]
    board: dict[str, Any] = {
        "id": "bench-board",
        "name": "Bench board",
        "members": members,
        "labels": [
            {"id": f"label-{x}", "name": f"Label {x}" if x % 3 else "", "color": COLORS[x]} for x in range(LABELS)
        ],
        "lists": [
            {"id": f"list-{n}", "name": f"List {n}", "closed": n == LISTS - 1, "pos": 1024 * (n + 1)}
            for n in range(LISTS)
        ],
        "cards": [],
        "checklists": [],
        "actions": [],
    }
    for c in range(cards):
        card_id = f"card-{c}"
        board["cards"].append(
            {
                "id": card_id,
                "idShort": c + 1,
                "shortLink": f"s{c:07d}",
                "name": f"Card {c}: do the thing",
                "desc": f"Description of card {c}.\n\n- with\n- a list",
                "idList": f"list-{c % LISTS}",
                "closed": c % 50 == 0,
                "pos": 65536 + c,
                "due": "2026-12-01T12:00:00.000Z" if c % 7 == 0 else None,
                "dueComplete": c % 14 == 0,
                "idLabels": [f"label-{c % LABELS}", f"label-{(c * 7) % LABELS}"],
                "idMembers": [f"member-{c % MEMBERS}"],
            }
        )
        for half in range(2 if items_per_card > 1 else 1):
            per_list = items_per_card // 2 if items_per_card > 1 else items_per_card
            board["checklists"].append(
                {
                    "id": f"cl-{c}-{half}",
                    "idCard": card_id,
                    "name": f"Checklist {half}",
                    "pos": half,
                    "checkItems": [
                        {
                            "id": f"ci-{c}-{half}-{i}",
                            "name": f"Item {i}",
                            "pos": i,
                            "state": "complete" if i % 2 else "incomplete",
                        }
                        for i in range(per_list)
                    ],
                }
            )
        for k in range(comments_per_card):
            author = members[(c + k) % MEMBERS]
            board["actions"].append(
                {
                    "id": f"act-{c}-{k}",
                    "type": "commentCard",
                    "date": f"2026-11-{1 + k:02d}T10:00:00.000Z",
                    "idMemberCreator": author["id"],
                    "memberCreator": author,
                    "data": {"text": f"Comment {k} on card {c}", "card": {"id": card_id}},
                }
            )
    return board


async def run(cards: int) -> dict[str, float]:
    from bench.harness import quiet_migrate
    from server.imports import trello
    from server.imports.store import imported
    from server.imports.trello_writes import apply_plan
    from server.kernel.db import close_pool, open_pool
    from server.rules.policy import Actor, Role
    from server.tables import Client, Project, User

    await quiet_migrate()
    await open_pool(Client._meta.db, 4)
    try:
        client = (await Client.insert(Client(name="Bench")).returning(Client.id))[0]["id"]
        ada = (await User.insert(User(email="ada@bench.test", name="Ada", role="admin")).returning(User.id))[0]["id"]
        project = (
            await Project.insert(Project(client=client, name="Bench", key="BENCH")).returning(*Project.all_columns())
        )[0]
        actor = Actor(id=ada, email="ada@bench.test", name="Ada", role=Role.ADMIN)
        raw = json.dumps(synthetic_board(cards)).encode()
        figures: dict[str, float] = {"export MB": len(raw) / 1e6}
        began = time.perf_counter()
        plan = trello.read(raw)
        figures["read the export, s"] = time.perf_counter() - began
        people = {m.source_id: (ada if m.source_id == "member-0" else None) for m in plan.members}
        began = time.perf_counter()
        known = await imported(project["id"], "trello")
        report = await apply_plan(project, actor, plan, people, run_id=1, known=known)
        figures["apply, s"] = time.perf_counter() - began
        figures["created"] = report.counts()["created"]
        began = time.perf_counter()
        known = await imported(project["id"], "trello")
        again = await apply_plan(project, actor, trello.read(raw), people, run_id=2, known=known)
        figures["import again (nothing new), s"] = time.perf_counter() - began
        if again.counts()["created"]:
            raise RuntimeError(f"importing again created {again.counts()['created']} objects")
        return figures
    finally:
        await close_pool(Client._meta.db)


def main() -> int:
    from bench import harness

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL database instead of SQLite")
    args = harness.options(parser)
    if args.smoke:
        args.cards = 200
    use_postgres = args.postgres or (args.smoke and harness.smoke_db() == "postgres")
    if use_postgres and not harness.postgres_or_skip("Trello import on PostgreSQL"):
        return 0
    sandbox = harness.Sandbox("postgres" if use_postgres else "sqlite", redis=False)
    harness.heading(
        f"Trello import: {args.cards:,} cards, {args.cards * 4:,} checklist items, {args.cards * 2:,} comments, "
        f"on {sandbox.describe()}"
    )
    try:
        figures = asyncio.run(run(args.cards))
    finally:
        sandbox.close()
    for name, value in figures.items():
        print(f"  {name}: {value:,.2f}")
    total = figures["read the export, s"] + figures["apply, s"]
    harness.verdict("read and import the export", total, TARGET_S, "s", source="issue 15")
    return 0


if __name__ == "__main__":
    sys.exit(main())
