"""Applying the migration history, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from server.kernel.db import is_sqlite


async def migrate() -> None:
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        # SQLite creates the file but not its folder: DATABASE_URL=sqlite:///new/place/db.sqlite3 should just work.
        Path(engine.path).parent.mkdir(parents=True, exist_ok=True)
    if engine is not None and is_sqlite(engine):
        # WAL lets readers carry on while one writer writes; the setting stays with the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    result = await run_forwards(app_name="boardroom", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
