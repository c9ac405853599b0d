"""Applying the migration history, the same way on SQLite and PostgreSQL, and refusing a database
that a newer release of Boardroom has already migrated (older code would run against tables it does
not know, and its next deploy could undo nothing of it)."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from server.kernel.db import is_sqlite

APP = "boardroom"


class DatabaseNewerThanCode(RuntimeError):
    """The database holds migrations this code does not have."""

    def __init__(self, unknown: list[str]) -> None:
        self.unknown = unknown
        super().__init__(
            f"the database has {len(unknown)} migration(s) this version of Boardroom does not know "
            f"({', '.join(unknown)}): it was migrated by a newer release. Run that release (or newer), "
            "or restore a backup made for this one; nothing was changed."
        )


def known_migrations() -> list[str]:
    """The migrations this code ships (found through piccolo_conf's registry, as run_forwards finds them)."""
    folder = Finder().get_app_config(APP).resolved_migrations_folder_path
    manager = BaseMigrationManager()
    return list(manager.get_migration_ids(manager.get_migration_modules(folder)))


async def unknown_migrations() -> list[str]:
    """Migrations recorded in the database that this code does not ship, oldest first."""
    if not await Migration.table_exists():
        return []
    ran = await Migration.get_migrations_which_ran(app_name=APP)
    return sorted(set(ran) - set(known_migrations()))


async def migrate() -> list[str]:
    """Apply what has not run yet; the ids of the migrations it applied (none: already up to date).
    Piccolo's own account ("9 migrations already complete / 9 not yet run", miscounted on an empty
    database) stays off the terminal: the caller says what happened in one line."""
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        # SQLite creates the file but not its folder: DATABASE_URL=sqlite:///new/place/db.sqlite3 should just work.
        Path(engine.path).parent.mkdir(parents=True, exist_ok=True)
    if engine is not None and is_sqlite(engine):
        # WAL lets readers carry on while one writer writes; the setting stays with the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL")
    if unknown := await unknown_migrations():
        raise DatabaseNewerThanCode(unknown)
    before = await _ran()
    chatter = io.StringIO()
    with redirect_stdout(chatter):
        result = await run_forwards(app_name=APP, migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}\n{chatter.getvalue()}")
    return sorted(set(await _ran()) - set(before))


async def _ran() -> list[str]:
    return await Migration.get_migrations_which_ran(app_name=APP) if await Migration.table_exists() else []
