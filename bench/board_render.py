"""Board render: a 500-card board in 8 columns, and the polling answer when nothing changed.

    .venv/bin/python bench/board_render.py               # SQLite, then PostgreSQL (each in its own process)
    .venv/bin/python bench/board_render.py --db postgres # one database
    .venv/bin/python bench/board_render.py --smoke       # 40 cards, a few requests; targets not checked
    .venv/bin/python bench/board_render.py --profile     # cProfile of the in-process render (SQLite)

Over real HTTP against one uvicorn process, signed in as a member: GET /projects/{id} (the whole
page), then GET /projects/{id}/changes?after=<the page's event number> (the polling fallback's
"anything changed since N?", which should answer 304) and GET /health (the floor: uvicorn, the
client and loopback with no work). Then, in process without HTTP, the board's data
(server.boards.store.board_context) and its template (boards/_columns.html).
Targets: board median < 25 ms on PostgreSQL (issue 10, DESIGN.md; issue 3 said < 50 ms); <= 1.5 KB
of HTML a card (DESIGN.md); polling answer median < 3 ms (issue 10).
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

COLUMNS = 8
WARMUP = 5  # requests (or in-process renders) before measuring


class Sizes:
    """How much to do: the full run, or a smoke run of a few seconds."""

    def __init__(self, smoke: bool) -> None:
        self.cards = 40 if smoke else int(os.environ.get("BENCH_CARDS", "500"))
        self.requests = 10 if smoke else int(os.environ.get("BENCH_REQUESTS", "200"))
        self.polls = 20 if smoke else int(os.environ.get("BENCH_POLLS", "1000"))
        self.in_process = 5 if smoke else 100
        self.seconds = 3.0 if smoke else 15.0  # time limit of each measured loop, whatever the count


async def timed_gets(
    client: Any, path: str, count: int, seconds: float, expect: int
) -> tuple[list[float], int, bytes, int]:
    """(ms of each GET, errors, the last body, answers that set a cookie) for up to `count` GETs in `seconds`."""
    for _ in range(WARMUP):
        response = await client.get(path)
        if response.status_code != expect:
            raise harness.BenchError(f"GET {path} answered {response.status_code}, not {expect}: {response.text[:300]}")
    timings: list[float] = []
    errors = cookies = 0
    body = b""
    deadline = time.monotonic() + seconds
    for _ in range(count):
        if time.monotonic() > deadline:
            print(f"  (GET {path}: stopped after {len(timings)} of {count} requests: {seconds:.0f} s limit)")
            break
        start = time.perf_counter()
        response = await client.get(path)
        body = response.content
        timings.append((time.perf_counter() - start) * 1000)
        errors += response.status_code != expect
        cookies += "set-cookie" in response.headers
    return timings, errors, body, cookies


async def over_http(base: str, project_id: int, sandbox: harness.Sandbox, sizes: Sizes) -> int:
    import httpx

    errors = 0
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await harness.sign_in(client, "max")
        path = f"/projects/{project_id}"
        print(f"  GET {path} over HTTP (1 uvicorn process, signed in as a member)  [{harness.load()}]")
        cpu = sandbox.server_cpu()
        page_ms, failed, body, _ = await timed_gets(client, path, sizes.requests, sizes.seconds, 200)
        cpu_ms = (sandbox.server_cpu() - cpu) * 1000 / max(1, len(page_ms))
        cards = body.count(b'id="task-')
        if cards < sizes.cards:
            print(f"  ERROR: the page shows {cards} cards of {sizes.cards}")
            failed += 1
        errors += failed
        s = harness.show_stats("board page, whole", page_ms)
        size = len(body)
        per_card = size / sizes.cards / 1024
        print(f"    errors {failed}; page {size / 1024:.0f} KB = {per_card:.2f} KB a card (whole page)")
        print(f"    uvicorn CPU time {cpu_ms:.1f} ms a request (user+system; the database's own CPU not included)")
        harness.verdict("board page median", s["median"], 25, "ms", source="issue 10, DESIGN.md")
        harness.verdict("board page median", s["median"], 50, "ms", source="issue 3")
        harness.verdict("HTML a card", per_card, 1.5, "KB", source="DESIGN.md", at_most=True)

        seq = harness.seq_in(body.decode())
        if seq is None:
            raise harness.BenchError("no board-seq number in the board page")
        path = f"/projects/{project_id}/changes?after={seq}"
        print(f"  GET {path}: nothing changed since the page  [{harness.load()}]")
        cpu = sandbox.server_cpu()
        poll_ms, failed, _, cookies = await timed_gets(client, path, sizes.polls, sizes.seconds, 304)
        cpu_ms = (sandbox.server_cpu() - cpu) * 1000 / max(1, len(poll_ms))
        errors += failed
        s = harness.show_stats("polling answer, nothing changed", poll_ms)
        print(f"    answers not 304: {failed}; answers that set a cookie: {cookies} of {len(poll_ms)}")
        print(f"    uvicorn CPU time {cpu_ms:.2f} ms a request")
        floor_ms, failed, _, _ = await timed_gets(client, "/health", sizes.polls, sizes.seconds, 200)
        errors += failed
        harness.show_stats("GET /health (the floor: no work)", floor_ms)
        harness.verdict("polling answer median", s["median"], 3, "ms", source="issue 10, DESIGN.md")
    return errors


async def in_process(project_id: int, user_id: int, sizes: Sizes) -> tuple[list[float], list[float], int, int]:
    """(data ms, template ms, bytes of the board part, cards) for the board without HTTP."""
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
        if project is None:
            raise harness.BenchError(f"project {project_id} not found in process")
        data_ms: list[float] = []
        template_ms: list[float] = []
        html = ""
        context: dict[str, Any] = {}
        deadline = time.monotonic() + sizes.seconds
        for i in range(WARMUP + sizes.in_process):
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
        return data_ms, template_ms, len(html.encode()), cards
    finally:
        await close_pool(engine)


def run(db: str, sizes: Sizes) -> int:
    harness.heading(f"board render, {sizes.cards} cards in {COLUMNS} columns, on {db}")
    sandbox = harness.Sandbox(db)
    try:
        seeded = asyncio.run(harness.seed(boards=1, cards_per_board=sizes.cards, columns=COLUMNS))
        board = seeded.boards[0]
        print(f"  {sandbox.describe()}; seeded project {board.project_id}")
        base = sandbox.uvicorn(workers=1)
        errors = asyncio.run(over_http(base, board.project_id, sandbox, sizes))
        data_ms, template_ms, board_bytes, cards = asyncio.run(in_process(board.project_id, seeded.users["max"], sizes))
        print(f"  In process, no HTTP: board_context() then the _columns.html template  [{harness.load()}]")
        harness.show_stats("data (board_context)", data_ms)
        harness.show_stats("template (_columns.html)", template_ms)
        total = harness.show_stats("both", [a + b for a, b in zip(data_ms, template_ms, strict=True)])
        per_card = board_bytes / max(1, cards) / 1024
        print(f"    board HTML {board_bytes / 1024:.0f} KB for {cards} cards = {per_card:.2f} KB a card")
        harness.verdict("in-process median", total["median"], 25, "ms", source="DESIGN.md")
        if errors:
            print(f"  ERROR: {errors} requests failed")
            return 1
        return 0
    except harness.BenchError as error:
        print(f"  ERROR: {error}\n{sandbox.server_log()}")
        return 1
    finally:
        sandbox.close()


def profile(sizes: Sizes) -> int:
    """Where the in-process render spends its time: data, then template, each under cProfile."""
    import cProfile
    import pstats

    sandbox = harness.Sandbox("sqlite", redis=False)
    try:
        seeded = asyncio.run(harness.seed(boards=1, cards_per_board=sizes.cards, columns=COLUMNS))

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
                print(f"\n== {name}, 5 renders of {sizes.cards} cards  [{harness.load()}]")
                pstats.Stats(profiler).sort_stats("tottime").print_stats(15)

        asyncio.run(both())
        return 0
    finally:
        sandbox.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], help="one database (default: both, each in a child)")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process render instead (SQLite)")
    args = harness.options(parser)
    sizes = Sizes(args.smoke)
    if args.profile:
        return profile(sizes)
    if args.db:
        return run(args.db, sizes)
    status = 0
    databases = [harness.smoke_db()] if args.smoke else ["sqlite", "postgres"]
    for db in databases:
        try:
            if db == "postgres" and not harness.postgres_or_skip("board render on postgres"):
                continue
        except harness.BenchError as error:
            print(f"  ERROR: {error}")
            return 1
        # A process per database: Piccolo picks its engine from DATABASE_URL at import.
        status |= subprocess.run([sys.executable, __file__, "--db", db], timeout=300).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
