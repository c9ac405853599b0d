"""Database engines and transactions that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import asdict
from typing import Any
from urllib.parse import urlparse

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def engine_for(url: str) -> Engine:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        # A generous busy timeout: writers queue instead of failing with "database is locked".
        return SQLiteEngine(path=path, timeout=30, check_same_thread=False)
    if parsed.scheme in {"postgres", "postgresql"}:
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgres://, not {parsed.scheme}://")


def is_sqlite(engine: Engine) -> bool:
    return isinstance(engine, SQLiteEngine)


def among(column: str, ids: list[int], engine: Engine) -> tuple[str, list[Any]]:
    """SQL for "`column` is one of `ids`" and its arguments: one array on PostgreSQL, which plans
    a statement with one argument in a tenth of the time it takes with 200; a list on SQLite."""
    if is_sqlite(engine):
        return f"{column} IN ({', '.join('{}' for _ in ids)})", list(ids)
    return f"{column} = ANY({{}})", [list(ids)]


def write_transaction(engine: Engine) -> Any:
    """A transaction that takes the write lock up front on SQLite (IMMEDIATE), so two writers
    queue on the busy timeout instead of one failing when it upgrades from a read."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_unique_violation(error: BaseException) -> bool:
    """True for a unique-constraint failure on either engine."""
    name = type(error).__name__
    return name == "UniqueViolationError" or (name == "IntegrityError" and "UNIQUE" in str(error).upper())


async def unless_duplicate(query: Awaitable[Any]) -> Any | None:
    """Run an insert or update and return its result; None when a unique index refuses it. The form's
    check found no clash, but two requests at once can both pass it: the index decides."""
    try:
        return await query
    except Exception as error:
        if not is_unique_violation(error):
            raise
        return None


class PooledConnection(asyncpg.Connection):
    """A pooled connection handed back as it is. asyncpg's default reset on release (unlock advisory
    locks, close cursors, unlisten, reset settings) is a round trip after every query outside a
    transaction; we take none of those (our advisory locks are transaction-scoped), and an open
    transaction is still rolled back on release."""

    def get_reset_query(self) -> str:
        return ""


async def open_pool(engine: Engine | None, max_size: int) -> None:
    """PostgreSQL gets a connection pool per process; SQLite opens a connection per query."""
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=max_size, connection_class=PooledConnection)


async def close_pool(engine: Engine | None) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def values_of(data: Any) -> dict[Any, Any]:
    """A checked form's dataclass as the column values Piccolo's insert and update take."""
    return asdict(data)


async def lock_row(table: type[Any], row_id: int) -> None:
    """Hold a row lock until commit (PostgreSQL); SQLite's IMMEDIATE transaction already serialises."""
    if not isinstance(table._meta.db, SQLiteEngine):
        await table.select(table.id).where(table.id == row_id).lock_rows("UPDATE")
