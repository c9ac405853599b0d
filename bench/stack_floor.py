"""What the stack itself allows for card moves on this machine, beside Boardroom's own moves, in one run.

    .venv/bin/python bench/stack_floor.py            # bare, bare + SQL, then Boardroom's moves (ten boards)
    .venv/bin/python bench/stack_floor.py --smoke    # 2 s each, tiny boards

The same 10 httpx clients as `bench/moves_pg.py`, each posting a move's form as fast as it is answered,
against uvicorn --workers 2 serving `bench/harness/floor_app.py`:
- bare: Litestar reads the form and answers ~1 KB: no session, CSRF, ORM or template;
- bare + SQL: the same, plus a move's database work with raw asyncpg (five one-row reads and a
  transaction of three statements) on a throwaway PostgreSQL database;
then Boardroom's own move (`moves_pg.py`'s ten-board scenario). The floors bound what any code on this
stack can do on these two cores, where the web processes, PostgreSQL, Redis and the clients share them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import moves_pg

BENCH = Path(__file__).resolve().parent
CLIENTS = 10
SECONDS = 10.0
TASKS = 500


async def _prepare(dsn: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "CREATE TABLE floor_task"
            " (id int PRIMARY KEY, column_id int NOT NULL, rank text NOT NULL, version int NOT NULL);"
            "CREATE INDEX ON floor_task (column_id, rank);"
            "CREATE TABLE floor_board (id int PRIMARY KEY, seq int NOT NULL);"
            "INSERT INTO floor_board VALUES (1, 0);"
        )
        await connection.executemany(
            "INSERT INTO floor_task VALUES ($1, $2, $3, 1)", [(i, i % 8, f"{i:06d}") for i in range(1, TASKS + 1)]
        )
    finally:
        await connection.close()


async def _drive(base: str, cpu: Callable[[], float]) -> tuple[int, float, float]:
    import httpx

    stop_at = time.perf_counter() + SECONDS
    done = [0]

    async def client(index: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            k = 0
            while time.perf_counter() < stop_at:
                task = 1 + (index + CLIENTS * k) % TASKS
                k += 1
                response = await http.post(f"/tasks/{task}/move", data={"column_id": k % 8, "version": k})
                if response.status_code != 200:
                    raise harness.BenchError(f"{response.status_code}: {response.text[:200]}")
                done[0] += 1

    began, cpu_at_start = time.perf_counter(), cpu()
    await asyncio.gather(*(client(i) for i in range(CLIENTS)))
    return done[0], time.perf_counter() - began, cpu() - cpu_at_start


def floor(sandbox: harness.Sandbox, name: str, dsn: str) -> None:
    base = sandbox.uvicorn(workers=2, app="floor_app:app", cwd=BENCH / "harness", env={"FLOOR_DSN": dsn})
    try:
        moves, elapsed, cpu_s = asyncio.run(_drive(base, sandbox.server_cpu))
        print(
            f"  {name:<28} {moves / elapsed:7.1f} moves/s, {1000 * cpu_s / max(1, moves):.2f} ms uvicorn CPU a move"
            f"  [{harness.load()}]"
        )
    finally:
        sandbox.stop_servers()


def main() -> int:
    global SECONDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args = harness.options(parser)
    if args.smoke:
        SECONDS = 2.0
        moves_pg.shrink_for_smoke()
    try:
        if not harness.postgres_or_skip("the stack's floor"):
            return 0
        harness.heading(f"the stack's floor: {CLIENTS} clients, uvicorn --workers 2, {SECONDS:.0f} s each")
        sandbox = harness.Sandbox("postgres", redis=False)
        try:
            floor(sandbox, "bare Litestar", "")
            asyncio.run(_prepare(os.environ["DATABASE_URL"]))
            floor(sandbox, "Litestar + a move's SQL", os.environ["DATABASE_URL"])
        finally:
            sandbox.close()
    except (harness.BenchError, OSError) as error:
        print(f"  ERROR: {type(error).__name__}: {error}")
        return 1
    moves_pg.SECONDS = SECONDS
    return moves_pg.run("postgres", ["spread"], False)


if __name__ == "__main__":
    raise SystemExit(main())
