"""Board render: a 500-card board in 8 columns, on SQLite and on PostgreSQL.

    .venv/bin/python bench/board_render.py            # both databases (PostgreSQL skipped if unreachable)
    .venv/bin/python bench/board_render.py --db sqlite

Times GET /projects/{id} over real HTTP against uvicorn (signed in as a member), and separately the
in-process render (server.boards.store.board + labels + the board's Jinja template) without HTTP.
Targets: median < 50 ms (issue 3); median < 25 ms and <= 1.5 KB of HTML a card (DESIGN.md).
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CARDS = int(os.environ.get("BENCH_CARDS", "500"))
COLUMNS = 8
WARMUP = 5  # requests (or in-process renders) before measuring
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
IN_PROCESS = 100
HTTP_SECONDS = 15.0  # time limit of each measured loop, whatever the count
IN_PROCESS_SECONDS = 15.0
MOVE_MENU = re.compile(r'<details class="move-menu">.*?</details>', re.S)


async def over_http(base: str, project_id: int, sandbox: harness.Sandbox) -> tuple[list[float], int, int, float]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await harness.sign_in(client, "max")
        path = f"/projects/{project_id}"
        errors = 0
        size = 0
        for _ in range(WARMUP):
            response = await client.get(path)
            if response.status_code != 200:
                raise harness.BenchError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
        timings: list[float] = []
        cpu = sandbox.server_cpu()
        deadline = time.monotonic() + HTTP_SECONDS
        for _ in range(REQUESTS):
            if time.monotonic() > deadline:
                print(f"  (stopped after {len(timings)} of {REQUESTS} requests: {HTTP_SECONDS:.0f} s limit)")
                break
            start = time.perf_counter()
            response = await client.get(path)
            body = response.content
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200 or body.count(b'class="card') < CARDS:
                errors += 1
            size = len(body)
        cpu_ms = (sandbox.server_cpu() - cpu) * 1000 / max(1, len(timings))
        return timings, size, errors, cpu_ms


async def in_process(project_id: int, user_id: int) -> tuple[list[float], list[float], int, int, int]:
    """(data ms, template ms, bytes of the board part, bytes of its per-card "Move to" menus, cards)"""
    from piccolo.engine import engine_finder

    from server.boards.store import board_context, project_row
    from server.kernel.db import close_pool, open_pool
    from server.kernel.templating import render_fragment
    from server.rules.policy import Actor, Role

    engine = engine_finder()
    await open_pool(engine, max_size=10)
    try:
        me = Actor(id=user_id, email="max@bench.test", name="Max Member", role=Role.MEMBER)
        project = await project_row(project_id)
        assert project is not None
        data_ms: list[float] = []
        template_ms: list[float] = []
        html = ""
        deadline = time.monotonic() + IN_PROCESS_SECONDS
        for i in range(WARMUP + IN_PROCESS):
            if time.monotonic() > deadline:
                break
            start = time.perf_counter()
            context = await board_context(me, project)
            middle = time.perf_counter()
            html = render_fragment("boards/_columns.html", me=me, **context)
            end = time.perf_counter()
            if i >= WARMUP:
                data_ms.append((middle - start) * 1000)
                template_ms.append((end - middle) * 1000)
        cards = sum(len(c.cards) for c in context["columns"])
        menus = sum(len(m.encode()) for m in MOVE_MENU.findall(html))
        return data_ms, template_ms, len(html.encode()), menus, cards
    finally:
        await close_pool(engine)


def run(db: str) -> int:
    harness.heading(f"board render, {CARDS} cards in {COLUMNS} columns, on {db}")
    sandbox = harness.Sandbox(db)
    try:
        seeded = asyncio.run(harness.seed(boards=1, cards_per_board=CARDS, columns=COLUMNS))
        board = seeded.boards[0]
        print(f"  {sandbox.describe()}; seeded project {board.project_id}")
        base = sandbox.uvicorn(workers=1)
        http_ms, size, errors, cpu_ms = asyncio.run(over_http(base, board.project_id, sandbox))
        print(f"  GET /projects/{board.project_id} over HTTP (1 uvicorn process, signed in)  [{harness.load()}]")
        s = harness.show_stats("full page", http_ms)
        print(f"    errors {errors}; page {size / 1024:.0f} KB = {size / CARDS / 1024:.2f} KB a card (whole page)")
        print(f"    uvicorn CPU time {cpu_ms:.0f} ms a request (user+system; the database's own CPU not included)")
        harness.verdict("median (issue 3)", s["median"], 50, "ms", source="issue 3")
        harness.verdict("median (design)", s["median"], 25, "ms", source="DESIGN.md")
        harness.verdict("HTML a card", size / CARDS / 1024, 1.5, "KB", source="DESIGN.md")
        data_ms, template_ms, board_bytes, menus, cards = asyncio.run(in_process(board.project_id, seeded.users["max"]))
        print(f"  In process, no HTTP: board_context() then the _columns.html template  [{harness.load()}]")
        harness.show_stats("data (cards.board + labels)", data_ms)
        harness.show_stats("template (_columns.html)", template_ms)
        total = harness.show_stats("both", [a + b for a, b in zip(data_ms, template_ms, strict=True)])
        per_card = board_bytes / cards / 1024
        print(f"    board HTML {board_bytes / 1024:.0f} KB for {cards} cards = {per_card:.2f} KB a card,")
        print(f"    of which the per-card 'Move to' menus {menus / cards / 1024:.2f} KB a card")
        harness.verdict("in-process median", total["median"], 25, "ms", source="DESIGN.md")
        if errors:
            print(f"  ERROR: {errors} requests failed")
            return 1
        return 0
    except harness.BenchError as error:
        print(f"  ERROR: {error}")
        return 1
    finally:
        sandbox.close()


def profile() -> int:
    """Where the in-process render spends its time: data, then template, each under cProfile."""
    import cProfile
    import pstats

    sandbox = harness.Sandbox("sqlite")
    try:
        seeded = asyncio.run(harness.seed(boards=1, cards_per_board=CARDS, columns=COLUMNS))

        async def both() -> None:
            from server.boards.store import board_context, project_row
            from server.kernel.templating import render_fragment
            from server.rules.policy import Actor, Role

            me = Actor(id=seeded.users["max"], email="max@bench.test", name="Max Member", role=Role.MEMBER)
            project = await project_row(seeded.boards[0].project_id)
            assert project is not None
            context = await board_context(me, project)
            render_fragment("boards/_columns.html", me=me, **context)
            for name in ("data", "template"):
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(5):
                    if name == "data":
                        context = await board_context(me, project)
                    else:
                        render_fragment("boards/_columns.html", me=me, **context)
                profiler.disable()
                print(f"\n== {name}, 5 renders of {CARDS} cards  [{harness.load()}]")
                pstats.Stats(profiler).sort_stats("tottime").print_stats(15)

        asyncio.run(both())
        return 0
    finally:
        sandbox.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], help="one database (default: both, each in a child)")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process render instead (SQLite)")
    args = parser.parse_args()
    if args.profile:
        return profile()
    if args.db:
        return run(args.db)
    status = 0
    for db in ("sqlite", "postgres"):
        if db == "postgres" and not harness.postgres_available():
            print("== board render on postgres: SKIPPED (set BENCH_POSTGRES_URL)")
            status |= 1 if os.environ.get("BENCH_REQUIRE_POSTGRES") == "1" else 0
            continue
        # A process per database: Piccolo picks its engine from DATABASE_URL at import.
        status |= subprocess.run([sys.executable, __file__, "--db", db], timeout=150).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
