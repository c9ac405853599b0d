"""`boardroom backup` and `boardroom restore` as real commands, on the suite's engine: a live demo
database is backed up while another connection keeps writing board events, the backup goes into a
fresh, empty database, and every table there is what the source held at one moment (no torn copy:
each board's counter matches its last event). A database that is not empty is refused.

SQLite: files of the test's own. PostgreSQL: the suite's database is the source and
`<suite database>_restore` (created when missing, emptied first) the fresh one."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Machine
from tests.settings import POSTGRES_URL

pytestmark = pytest.mark.slow

WRITES_BEFORE = 20  # board events committed before the backup starts; more go on during and after it
Rows = dict[str, list[dict[str, Any]]]


@dataclass
class Database:
    url: str
    tables: Callable[[], Awaitable[Rows]]  # every table's rows, by id
    write_event: Callable[[int], Awaitable[None]]  # one board event on that project, in one transaction
    first_project: Callable[[], Awaitable[int]]


def sqlite_database(path: Path) -> Database:
    def connect() -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=30, isolation_level=None)

    async def tables() -> Rows:
        with connect() as db:
            db.row_factory = sqlite3.Row
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {name: [dict(r) for r in db.execute(f'SELECT * FROM "{name}" ORDER BY id')] for name in names}

    async def write_event(project: int) -> None:
        db = connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            (seq,) = db.execute(
                "UPDATE project SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq", (project,)
            ).fetchone()
            db.execute(
                "INSERT INTO activity (project, seq, verb, data, at) VALUES (?, ?, 'backup_test', '{}', "
                "CURRENT_TIMESTAMP)",
                (project, seq),
            )
            db.execute("COMMIT")
        finally:
            db.close()

    async def first_project() -> int:
        with connect() as db:
            return int(db.execute("SELECT min(id) FROM project").fetchone()[0])

    return Database(f"sqlite:///{path}", tables, write_event, first_project)


def postgres_database(url: str) -> Database:
    import asyncpg

    async def tables() -> Rows:
        db = await asyncpg.connect(url)
        try:
            names = [
                r["table_name"]
                for r in await db.fetch(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                )
            ]
            return {name: [dict(r) for r in await db.fetch(f'SELECT * FROM "{name}" ORDER BY id')] for name in names}
        finally:
            await db.close()

    async def write_event(project: int) -> None:
        db = await asyncpg.connect(url)
        try:
            async with db.transaction():
                seq = await db.fetchval(
                    "UPDATE project SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq", project
                )
                await db.execute(
                    "INSERT INTO activity (project, seq, verb, data, at) VALUES ($1, $2, 'backup_test', '{}', now())",
                    project,
                    seq,
                )
        finally:
            await db.close()

    async def first_project() -> int:
        db = await asyncpg.connect(url)
        try:
            return int(await db.fetchval("SELECT min(id) FROM project"))
        finally:
            await db.close()

    return Database(url, tables, write_event, first_project)


async def fresh_postgres(url: str) -> None:
    """The restore target: created if missing, emptied if not."""
    import asyncpg

    base, _, name = url.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    db = await asyncpg.connect(url)
    try:
        await db.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await db.close()


@pytest.fixture
async def databases(machine: Machine, tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    if POSTGRES_URL:
        restore_url = f"{POSTGRES_URL}_restore"
        await fresh_postgres(restore_url)
        yield postgres_database(POSTGRES_URL), postgres_database(restore_url)
        await fresh_postgres(restore_url)
    else:
        yield sqlite_database(machine.database), sqlite_database(tmp_path / "fresh" / "restored.sqlite3")


async def test_a_backup_taken_during_writes_restores_every_table_as_of_one_moment(
    machine: Machine, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    source, fresh = databases
    machine.env["DATABASE_URL"] = source.url
    assert machine.run("seed-demo").returncode == 0
    project = await source.first_project()
    events = 0
    target = WRITES_BEFORE
    reached, stop = asyncio.Event(), asyncio.Event()

    async def keep_writing() -> None:
        nonlocal events
        while not stop.is_set():
            await source.write_event(project)
            events += 1
            if events >= target:
                reached.set()
            await asyncio.sleep(0.005)

    writer = asyncio.create_task(keep_writing())
    await reached.wait()
    before = events
    backup_file = tmp_path / "backups" / "boardroom.backup"
    made = await asyncio.to_thread(machine.run, "backup", str(backup_file))
    during = events - before
    reached.clear()
    target = events + WRITES_BEFORE
    await reached.wait()
    stop.set()
    await writer
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout and backup_file.exists()
    assert during > 0, "writes went on while the backup ran"

    machine.env["DATABASE_URL"] = fresh.url
    restored = machine.run("restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr

    now, copy = await source.tables(), await fresh.tables()
    assert sorted(copy) == sorted(now), "every table is restored"
    ours = [row for row in copy["activity"] if row["verb"] == "backup_test"]
    assert before <= len(ours) <= events
    assert copy["activity"] == now["activity"][: len(copy["activity"])]
    board = next(row for row in copy["project"] if row["id"] == project)
    last_seq = max(row["seq"] for row in copy["activity"] if row["project"] == project)
    assert board["event_seq"] == last_seq, "the board's counter is its last event's number: one moment's copy"
    assert [{**row, "event_seq": 0} for row in copy["project"]] == [{**row, "event_seq": 0} for row in now["project"]]
    for name in now:
        if name not in ("activity", "project"):
            assert copy[name] == now[name], f"table {name} differs"
    assert sum(len(rows) for rows in copy.values()) > len(ours) + 50, "the demo agency came along"


async def test_restore_refuses_a_database_that_is_not_empty(
    machine: Machine, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    source, _ = databases
    machine.env["DATABASE_URL"] = source.url
    assert machine.run("seed-demo").returncode == 0
    backup_file = tmp_path / "b.backup"
    assert machine.run("backup", str(backup_file)).returncode == 0
    before = await source.tables()
    refused = machine.run("restore", str(backup_file))
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "Nothing restored" in refused.stderr
    assert await source.tables() == before


def test_restore_refuses_a_file_that_is_no_backup(machine: Machine, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    refused = machine.run("restore", str(junk))
    assert refused.returncode != 0 and "not a Boardroom backup" in refused.stderr
