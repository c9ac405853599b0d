"""arq's WorkerSettings: `arq tasks.worker.WorkerSettings` (the Procfile's worker line)."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from arq.connections import RedisSettings
from piccolo.engine import engine_finder

from server.db import close_pool, is_sqlite, open_pool
from server.tables import User


def redis_settings() -> RedisSettings:
    url = os.environ.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: the worker needs the same Redis as the web processes")
    return RedisSettings.from_dsn(url)


async def check_database(ctx: dict[str, Any]) -> dict[str, Any]:
    """Readiness probe: proves a worker is running and reaches the database."""
    engine = engine_finder()
    assert engine is not None
    rows = await User.raw("SELECT 1 AS ok")
    return {
        "engine": "sqlite" if is_sqlite(engine) else "postgres",
        "ok": rows[0]["ok"] == 1,
        "job_try": ctx["job_try"],
    }


async def startup(ctx: dict[str, Any]) -> None:
    await open_pool(engine_finder(), max_size=5)


async def shutdown(ctx: dict[str, Any]) -> None:
    await close_pool(engine_finder())


class WorkerSettings:
    functions: ClassVar[list[Any]] = [check_database]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    max_tries = 5
    keep_result = 3600
