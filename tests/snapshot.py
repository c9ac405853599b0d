"""A copy of the database's rows, kept beside the tables in the same database, that a test module can put
back after `clean` empties the tables: much cheaper than building the same world again through the
code for each of hundreds of tests (the authorization matrix builds one per route and role).

Rows are copied by the database itself (`CREATE TABLE … AS SELECT`, `INSERT … SELECT`), so every value,
id and type comes back exactly as it was, with no trip through Python. Foreign keys are not checked while
rows come back (tables may refer to each other in a cycle); they were consistent when copied. The stored
files (attachments under the data directory's files/) are copied and put back with the rows that name them.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from typing import Any

from piccolo.table import Table

from server.kernel.config import files_dir
from tests.settings import DATABASE_URL, POSTGRES_URL, TMP

PREFIX = "snapshot_"
FILES = files_dir()
FILES_COPY = TMP / "snapshot-files"


class Snapshot:
    def __init__(self, tables: list[type[Table]], postgres: Any) -> None:
        self.names = [table._meta.tablename for table in tables]  # parents first
        self.postgres = postgres  # the suite's own asyncpg connection (simple protocol), or None on SQLite
        self.filled: list[str] = []  # the tables that had rows when taken

    async def take(self) -> None:
        statements = [f'DROP TABLE IF EXISTS "{PREFIX}{name}"' for name in self.names]
        statements += [f'CREATE TABLE "{PREFIX}{name}" AS SELECT * FROM "{name}"' for name in self.names]
        await self._run(statements)
        counts = await self._counts()
        self.filled = [name for name in self.names if counts[name]]
        shutil.rmtree(FILES_COPY, ignore_errors=True)
        if FILES.exists():
            shutil.copytree(FILES, FILES_COPY)

    async def restore(self) -> None:
        """Into empty tables (the `clean` fixture's): every row as it was, ids included."""
        statements = [f'INSERT INTO "{name}" SELECT * FROM "{PREFIX}{name}"' for name in self.filled]
        if self.postgres is not None:
            # Rows come back without firing foreign-key triggers; the next id follows the highest one.
            statements = [
                "SET session_replication_role = replica",
                *statements,
                "SET session_replication_role = DEFAULT",
            ]
            statements += [
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT max(id) FROM \"{name}\"))"
                for name in self.filled
            ]
        await self._run(statements)
        shutil.rmtree(FILES, ignore_errors=True)
        if FILES_COPY.exists():
            shutil.copytree(FILES_COPY, FILES)

    async def drop(self) -> None:
        await self._run([f'DROP TABLE IF EXISTS "{PREFIX}{name}"' for name in self.names])
        shutil.rmtree(FILES_COPY, ignore_errors=True)

    async def _counts(self) -> dict[str, int]:
        query = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{PREFIX}{name}\"" for name in self.names)
        if self.postgres is not None:
            return {row[0]: row[1] for row in await self.postgres.fetch(query)}
        with closing(_sqlite()) as connection:
            return dict(connection.execute(query).fetchall())

    async def _run(self, statements: list[str]) -> None:
        if self.postgres is not None:
            await self.postgres.execute("; ".join(statements))  # one round trip, one implicit transaction
            return
        with closing(_sqlite()) as connection:  # foreign keys are off on a connection until it turns them on
            connection.executescript("BEGIN IMMEDIATE; " + "; ".join(statements) + "; COMMIT;")


def _sqlite() -> sqlite3.Connection:
    assert not POSTGRES_URL
    return sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
