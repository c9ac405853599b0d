"""Applying the migration history, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder

from server.db import is_sqlite


async def migrate() -> None:
    engine = engine_finder()
    if engine is not None and is_sqlite(engine):
        # WAL lets readers carry on while one writer writes; the setting stays with the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    result = await run_forwards(app_name="boardroom", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
