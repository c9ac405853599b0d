"""Billing summaries over a year of an agency's time: 1,000,000 entries, 50 clients, 200 people.

    .venv/bin/python bench/billing.py                       # PostgreSQL (BENCH_DATABASE_URL)
    .venv/bin/python bench/billing.py --entries 200000      # a smaller data set
    .venv/bin/python bench/billing.py --sqlite              # SQLite, in a temporary file
    .venv/bin/python bench/billing.py --fresh               # regenerate even if the data is there
    .venv/bin/python bench/billing.py --smoke               # 2,000 entries in a throwaway database, once

PostgreSQL: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/bench_billing), created
if missing, migrated with server.kernel.migrate, filled with INSERT ... SELECT generate_series (SQLite: a
recursive CTE) and kept for the next run when it already holds the same number of entries.
Times `summarise` (server/billing/summary_store.py): all clients over the year, one client over the year,
one client over a month; best and median of --repeat runs. Target: all clients over 1,000,000
entries in under 3 s on PostgreSQL (issue 6), under 1 s (DESIGN.md, issue 16).
Summaries read the entry rollup (issue 16), built after the data is generated (its build time is
printed); --entries-only prices every entry instead, as before the rollup.
It then times adding an entry (server.time.writes.add_entry, --adds of them, removed again after)
with the rollup kept up to date and with that step left out, on the same data: issue 16 allows the
rollup at most 2 ms more per entry.
A smoke run (--smoke) uses 2,000 entries, measures each case once, and runs on a throwaway
database: PostgreSQL when BENCH_POSTGRES_URL is set (created and dropped), SQLite otherwise.
Exits non-zero only on errors; a missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import harness  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_billing"
CLIENTS, PEOPLE, PROJECTS_PER_CLIENT, TASKS_PER_PROJECT = 50, 200, 3, 20
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
MONTH = (date(2026, 3, 1), date(2026, 3, 31))
TZ = "Europe/Berlin"
TARGET_S, DESIGN_S = 3.0, 1.0
ADD_ALLOWANCE_MS = 2.0
os.environ["BOARDROOM_TZ"] = TZ  # the rollup counts days in the agency's zone, the one the summaries ask for


def setup_sql(entries: int, sqlite: bool) -> list[str]:
    """Statements that fill an empty schema: ids start at 1, so tasks and columns follow projects."""
    projects = CLIENTS * PROJECTS_PER_CLIENT
    seconds = 365 * 86400 // entries
    if sqlite:
        series = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) SELECT {cols} FROM s"
        pick = "(CASE g % 3 WHEN 0 THEN {a} WHEN 1 THEN {b} ELSE {c} END)"
        start = (
            "strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || (g * {sec} + (g * 7) % 3600) || ' seconds') || '+00:00'"
        )
        end = (
            "strftime('%Y-%m-%d %H:%M:%S', '2026-01-01',"
            " '+' || (g * {sec} + (g * 7) % 3600 + 60 * (5 + (g * 7919) % 236)) || ' seconds') || '+00:00'"
        )
        true, false, now = "1", "0", "'2026-01-01 00:00:00+00:00'"
    else:
        series = "SELECT {cols} FROM generate_series(CAST(1 AS BIGINT), {n}) AS s(g)"
        pick = "(CASE g % 3 WHEN 0 THEN {a} WHEN 1 THEN {b} ELSE {c} END)"
        start = "TIMESTAMPTZ '2026-01-01 00:00+00' + make_interval(secs => g * {sec} + (g * 7) % 3600)"
        end = (
            "TIMESTAMPTZ '2026-01-01 00:00+00' + make_interval(secs => g * {sec} + (g * 7) % 3600"
            " + 60 * (5 + (g * 7919) % 236))"
        )
        true, false, now = "TRUE", "FALSE", "now()"
    currency = pick.format(a="'EUR'", b="'USD'", c="'JPY'")
    mode = pick.format(a="'up'", b="'nearest'", c="'down'")
    increment = "(CASE g % 4 WHEN 0 THEN 0 WHEN 1 THEN 15 WHEN 2 THEN 6 ELSE 30 END)"

    def insert(table: str, columns: str, values: str, n: int) -> str:
        return f"INSERT INTO {table} ({columns}) " + series.format(cols=values, n=n)

    return [
        insert(
            "client",
            "name, currency, hourly_rate, rounding_increment, rounding_mode, archived, created_at",
            f"'Client ' || g, {currency}, CASE WHEN g % 4 = 0 THEN NULL ELSE 80 + g + 0.25 END, {increment}, {mode},"
            f" {false}, {now}",
            CLIENTS,
        ),
        insert(
            "users",
            "email, name, password_hash, role, hourly_rate, locale, active, created_at, session_epoch",
            f"'p' || g || '@bench.test', 'Person ' || g, '', 'member',"
            f" CASE WHEN g % 3 = 0 THEN NULL ELSE 50 + g % 50 END, 'en', {true}, {now}, 0",
            PEOPLE,
        ),
        insert(
            "project",
            "client, name, key, hourly_rate, shared_with_client, archived, created_at, event_seq, last_task_number",
            f"1 + (g - 1) % {CLIENTS}, 'Project ' || g, 'P' || g, CASE WHEN g % 5 = 0 THEN 100 + g ELSE NULL END,"
            f" {false}, {false}, {now}, 0, {TASKS_PER_PROJECT}",
            projects,
        ),
        insert(
            "board_column",
            "project, name, rank, wip_strict, is_done, archived",
            f"g, 'To do', 'a0', {false}, {false}, {false}",
            projects,
        ),
        insert(
            "task",
            'project, number, "column", title, description, estimate_minutes, billable, rank, version, archived,'
            " created_at, updated_at",
            f"1 + (g - 1) / {TASKS_PER_PROJECT}, 1 + (g - 1) % {TASKS_PER_PROJECT}, 1 + (g - 1) / {TASKS_PER_PROJECT},"
            f" 'Task ' || g, '', NULL, {true}, 'a0', 1, {false}, {now}, {now}",
            projects * TASKS_PER_PROJECT,
        ),
        # each person in four projects, half of them with a rate of their own
        insert(
            "membership",
            "project, member, hourly_rate",
            f"1 + ((g - 1) / 4 * 7 + ((g - 1) % 4) * 37) % {projects}, 1 + (g - 1) / 4,"
            " CASE WHEN g % 2 = 0 THEN 60 + g % 4 ELSE NULL END",
            PEOPLE * 4,
        ),
        insert(
            "time_entry",
            "task, project, person, started_at, ended_at, minutes, note, billable, locked, created_at, updated_at",
            f"(1 + ((g % {PEOPLE}) * 7 + ((g / {PEOPLE}) % 4) * 37) % {projects} - 1) * {TASKS_PER_PROJECT}"
            f" + 1 + (g / 800) % {TASKS_PER_PROJECT},"
            f" 1 + ((g % {PEOPLE}) * 7 + ((g / {PEOPLE}) % 4) * 37) % {projects}, 1 + g % {PEOPLE},"
            f" {start.format(sec=seconds)}, {end.format(sec=seconds)}, 5 + (g * 7919) % 236, '',"
            f" CASE WHEN g % 10 = 0 THEN {false} ELSE {true} END, {false}, {now}, {now}",
            entries,
        ),
    ]


async def prepare(entries: int, fresh: bool, sqlite: bool) -> float:
    from piccolo.engine import engine_finder
    from piccolo.table import sort_table_classes

    from server.kernel.db import write_transaction
    from server.piccolo_app import APP_CONFIG
    from server.tables import Client, TimeEntry

    await harness.quiet_migrate()
    engine = engine_finder()
    assert engine is not None
    if not fresh and await TimeEntry.count() == entries and await Client.count() == CLIENTS:
        print(f"  reusing {entries:,} entries already in the database")
        await roll_up(engine, only_if_missing=True)
        return 0.0
    began = time.perf_counter()
    tables = sort_table_classes(APP_CONFIG.table_classes)
    if sqlite:
        async with write_transaction(engine):
            for table in reversed(tables):
                await table.delete(force=True)
    else:
        names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    async with write_transaction(engine):
        for statement in setup_sql(entries, sqlite):
            await TimeEntry.raw(statement)
    took = time.perf_counter() - began
    print(f"  generated {entries:,} entries in {took:.1f} s")
    await roll_up(engine)
    return took


async def roll_up(engine: Any, *, only_if_missing: bool = False) -> None:
    """Build the entry rollup from every entry (time.rollup_writes.rebuild), as `boardroom migrate`
    does for a database that has entries but no rollup yet."""
    from server.kernel.db import write_transaction
    from server.tables import EntryRollup, EntryRollupZone
    from server.time.rollup_writes import rebuild

    zone = await EntryRollupZone.select(EntryRollupZone.zone).first()
    if only_if_missing and zone is not None and zone["zone"] == TZ and await EntryRollup.count():
        print(f"  reusing the rollup already there ({await EntryRollup.count():,} rows)")
        return
    began = time.perf_counter()
    async with write_transaction(engine):
        await rebuild(TZ)
    await engine.run_ddl("ANALYZE")
    print(f"  rolled up into {await EntryRollup.count():,} rows in {time.perf_counter() - began:.1f} s")


async def measure(repeat: int, sqlite: bool, entries_only: bool = False) -> dict[str, list[float]]:
    from server.billing.summary_store import summarise
    from server.kernel.db import close_pool, open_pool
    from server.tables import Client

    await open_pool(Client._meta.db, 4)
    cases = {
        "all clients, a year": (None, *YEAR),
        "one client, a year": (1, *YEAR),
        "one client, a month": (1, *MONTH),
        "all clients, a month": (None, *MONTH),
    }
    timings: dict[str, list[float]] = {}
    try:
        for name, (client, start, end) in cases.items():
            runs = []
            result = {}
            for _ in range(repeat):
                began = time.perf_counter()
                result = await summarise(client, start, end, timezone=TZ, from_rollup=not entries_only)
                runs.append(time.perf_counter() - began)
            timings[name] = runs
            print(
                f"  {name:<22} best {min(runs):6.2f} s  median {statistics.median(runs):6.2f} s"
                f"  ({result['entry_count']:,} entries, {len(result['tasks']):,} tasks,"
                f" {len(result['days']):,} day rows, amounts {result['totals']['amounts']})"
            )
    finally:
        await close_pool(Client._meta.db)
    return timings


ADDS_PER_DAY = 8


async def measure_adds(adds: int) -> dict[str, float]:
    """Median milliseconds of add_entry with and without the rollup step, alternating, on entries of
    2027 (past the data, so nothing overlaps), 8 a day; every added entry is removed again after."""
    from server.boards.changes import Silent
    from server.kernel.db import close_pool, open_pool, write_transaction
    from server.rules.policy import Actor, Role
    from server.tables import Client, Task, TimeEntry
    from server.time import rollup_writes, writes
    from server.time.schemas import EntryInput

    await open_pool(Client._meta.db, 4)
    task = await Task.select().where(Task.id == 1).first()
    actor = Actor(id=1, email="p1@bench.test", name="Person 1", role=Role.ADMIN)
    real = rollup_writes.refresh_days

    async def skip(*args: Any) -> None:
        return None

    timings: dict[str, list[float]] = {"with the rollup": [], "without (before issue 16)": []}
    first = datetime(2027, 1, 4, 8, tzinfo=UTC)
    try:
        for i in range(adds * 2):
            name = "with the rollup" if i % 2 == 0 else "without (before issue 16)"
            writes.refresh_days = real if i % 2 == 0 else skip  # type: ignore[assignment]
            # a working day's worth a day: 8 entries, 50 minutes apart from 08:00 (the rollup re-sums
            # the person's day, so its cost follows the entries in that day; until 2026-12-01 these were
            # 20 minutes apart around the clock, 72 in a day)
            started = first + timedelta(days=i // ADDS_PER_DAY, minutes=50 * (i % ADDS_PER_DAY))
            data = EntryInput(started, started + timedelta(minutes=15), "", True)
            began = time.perf_counter()
            await writes.add_entry(actor, task, data, started + timedelta(hours=1), TZ, Silent(), person_id=1)
            timings[name].append((time.perf_counter() - began) * 1000)
    finally:
        writes.refresh_days = real  # type: ignore[assignment]
        async with write_transaction(Client._meta.db):
            await TimeEntry.delete().where(TimeEntry.started_at >= first)
            days = adds * 2 // ADDS_PER_DAY + 2
            await rollup_writes.refresh_days(task["project"], 1, [first + timedelta(days=d) for d in range(days)])
        await close_pool(Client._meta.db)
    medians = {name: statistics.median(runs) for name, runs in timings.items()}
    for name, runs in timings.items():
        best = min(runs)
        print(f"  add an entry, {name:<27} median {medians[name]:6.2f} ms  best {best:6.2f} ms  ({len(runs)} adds)")
    return medians


def ensure_postgres_database(url: str) -> None:
    import asyncpg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()

    async def create() -> None:
        connection = await asyncpg.connect(admin)
        try:
            if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary file instead of PostgreSQL")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if it is there")
    parser.add_argument("--entries-only", action="store_true", help="price every entry (no rollup), as before issue 16")
    parser.add_argument("--adds", type=int, default=100, help="entries added for the add-an-entry timing (0: skip)")
    args = harness.options(parser)
    sandbox: harness.Sandbox | None = None
    if args.smoke:
        args.entries, args.repeat, args.fresh, args.adds = 2_000, 1, True, 5
        if harness.smoke_db() == "postgres" and not args.sqlite:
            try:
                if not harness.postgres_or_skip("billing summaries on PostgreSQL"):
                    return 0
            except harness.BenchError as error:
                print(f"  ERROR: {error}")
                return 1
            sandbox = harness.Sandbox("postgres", redis=False)
        else:
            sandbox = harness.Sandbox("sqlite", redis=False)
        args.sqlite = sandbox.db == "sqlite"
        where = sandbox.describe()
    elif args.sqlite:
        folder = Path(tempfile.mkdtemp(prefix="bench-billing-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        where = f"SQLite {os.environ['DATABASE_URL']}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        ensure_postgres_database(url)
        os.environ["DATABASE_URL"] = url
        where = f"PostgreSQL {url}"
    harness.heading(f"billing summaries: {args.entries:,} entries, {CLIENTS} clients, {PEOPLE} people, on {where}")

    adds: dict[str, float] = {}

    async def run() -> dict[str, list[float]]:
        await prepare(args.entries, args.fresh, args.sqlite)
        timings = await measure(args.repeat, args.sqlite, args.entries_only)
        if args.adds:
            adds.update(await measure_adds(args.adds))
        return timings

    try:
        timings = asyncio.run(run())
    finally:
        if sandbox is not None:
            sandbox.close()
    best = min(timings["all clients, a year"])
    if not args.sqlite and (args.entries >= 1_000_000 or args.smoke):
        for target, source in ((TARGET_S, "issue 6"), (DESIGN_S, "DESIGN.md")):
            harness.verdict("all clients over a year, best", best, target, "s", source=source)
    if adds:
        extra = adds["with the rollup"] - adds["without (before issue 16)"]
        harness.verdict("an added entry's extra time for the rollup", extra, ADD_ALLOWANCE_MS, "ms", source="issue 16")
    return 0


if __name__ == "__main__":
    sys.exit(main())
