"""The budgets overview (/budgets) with 200 active budgeted projects over a year of an agency's time.

    .venv/bin/python bench/budgets.py                      # 1,000,000 entries, 200 requests
    .venv/bin/python bench/budgets.py --entries 200000     # a smaller year
    .venv/bin/python bench/budgets.py --smoke              # 2,000 entries, 10 requests; targets not checked

A throwaway PostgreSQL database (BENCH_POSTGRES_URL's server) filled by bench/billing.py's generator
(50 clients, 150 projects, 200 people, the entries spread over 2026), 50 projects more without time,
then every project gets a budget: odd ones a monthly retainer in hours and money, even ones a budget
for the whole project in hours (and money for every fourth) ending at the end of the year. The entry
rollup is built as `boardroom migrate` builds it. uvicorn (one worker) and the embedded Redis (or
BENCH_REDIS_URL); an admin signs in over HTTP and asks for /budgets (its first 25 lines, worst
first), one request after another; then, as figures beside it, the next lines (what scrolling asks
for) and the whole list at once (?all=true, the link for a browser without script). It also times
the overview's reads alone, in process (server.budgets.store.budget_lines).
Target: the overview under 50 ms with 200 active projects (issue 16).
A smoke run uses PostgreSQL when BENCH_POSTGRES_URL is set and SQLite otherwise.
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from billing import roll_up
from billing_request import fill

PROJECTS = 200
TARGET_MS = 50


async def budget_everything() -> int:
    """50 projects more (no time yet) and a budget on every project; how many projects have one."""
    from piccolo.engine import engine_finder

    from server.kernel.db import write_transaction
    from server.tables import Client, Project

    engine = engine_finder()
    assert engine is not None
    clients = [row["id"] for row in await Client.select(Client.id).order_by(Client.id)]
    have = await Project.count()
    async with write_transaction(engine):
        for n in range(have + 1, PROJECTS + 1):
            await Project.insert(Project(client=clients[n % len(clients)], name=f"Project {n}", key=f"P{n}"))
        for row in await Project.select(Project.id).order_by(Project.id):
            project_id = int(row["id"])
            monthly = project_id % 2 == 1
            await Project.update(
                {
                    Project.budget_hours: 40 + project_id % 7 * 20 if monthly else 400 + project_id * 3,
                    Project.budget_amount: (4000 + project_id * 10) if monthly or project_id % 4 == 0 else None,
                    Project.budget_period: "monthly" if monthly else "project",
                    Project.budget_ends_on: None if monthly else date(2026, 12, 31),
                }
            ).where(Project.id == project_id)
    await roll_up(engine)
    return await Project.count().where(Project.budget_hours.is_not_null())


async def lines_now() -> list[object]:
    from server.budgets.store import budget_lines
    from server.kernel.db import close_pool, open_pool
    from server.tables import Client

    await open_pool(Client._meta.db, 2)
    try:
        return list(await budget_lines(date.today()))
    finally:
        await close_pool(Client._meta.db)


async def in_process(repeat: int) -> list[float]:
    from server.budgets.store import budget_lines
    from server.kernel.db import close_pool, open_pool
    from server.tables import Client

    await open_pool(Client._meta.db, 2)
    took = []
    try:
        for n in range(repeat + 5):
            began = time.perf_counter()
            lines = await budget_lines(date.today())
            if n >= 5:
                took.append((time.perf_counter() - began) * 1000)
        if len(lines) < PROJECTS and not harness.SMOKE:
            raise harness.BenchError(f"the overview has {len(lines)} lines, not {PROJECTS}")
    finally:
        await close_pool(Client._meta.db)
    return took


async def ask(base: str, requests: int, path: str = "/budgets", lines: int = 25) -> list[float]:
    """`path` asked `requests` times after 10 to warm up, one after another; each answer must draw
    `lines` overview lines."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await harness.sign_in(client, "admin")

        async def once(n: int) -> None:
            response = await client.get(path)
            drawn = response.text.count('class="budget-line ')
            if response.status_code != 200 or drawn != lines:
                raise harness.BenchError(f"{path} answered {response.status_code} with {drawn} lines, not {lines}")

        return await harness.timed(requests, once)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = harness.options(parser)
    db = "postgres"
    if args.smoke:
        args.entries, args.requests, db = 2_000, 10, harness.smoke_db()
    try:
        if db == "postgres" and not harness.postgres_or_skip("budgets overview on PostgreSQL"):
            return 0
    except harness.BenchError as error:
        print(f"  ERROR: {error}")
        return 1
    sandbox = harness.Sandbox(db)
    try:
        harness.heading(f"GET /budgets: {PROJECTS} budgeted projects, {args.entries:,} entries")
        print(f"  {sandbox.describe()}")
        asyncio.run(fill(args.entries, sqlite=db == "sqlite"))
        print(f"  projects with a budget: {asyncio.run(budget_everything())}")
        reads = asyncio.run(in_process(args.requests))
        print(f"  budget_lines in process: median {statistics.median(reads):.1f} ms, best {min(reads):.1f} ms")
        base = sandbox.uvicorn(workers=1)
        from server.budgets.pages import PAGE

        total = len(asyncio.run(lines_now()))
        stats = harness.show_stats("GET /budgets", asyncio.run(ask(base, args.requests, lines=min(PAGE, total))))
        harness.verdict("median answer", stats["median"], TARGET_MS, "ms", source="issue 16")
        harness.verdict("p95 answer", stats["p95"], TARGET_MS, "ms", source="issue 16")
        # what scrolling costs (the next lines) and the whole list at once (the link without script)
        scrolled = f"/budgets/more?after={PAGE}"
        more = asyncio.run(ask(base, max(args.requests // 4, 1), scrolled, lines=min(PAGE, max(total - PAGE, 0))))
        harness.show_stats(f"GET {scrolled}", more)
        every = asyncio.run(ask(base, max(args.requests // 4, 1), "/budgets?all=true", lines=total))
        harness.show_stats("GET /budgets?all=true (every line)", every)
        return 0
    except harness.BenchError as error:
        print(f"  error: {error}\n{sandbox.server_log()}")
        return 1
    finally:
        sandbox.close()


if __name__ == "__main__":
    sys.exit(main())
