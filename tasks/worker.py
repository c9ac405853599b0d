"""arq's WorkerSettings: `arq tasks.worker.WorkerSettings` (the Procfile's worker line). The worker
reads Boardroom's settings once, at startup, into arq's ctx (`ctx["settings"]`) for the jobs."""

from __future__ import annotations

from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from arq.connections import RedisSettings
from arq.cron import CronJob, cron
from arq.worker import func
from piccolo.engine import engine_finder

from server.billing import jobs as billing_jobs
from server.kernel.config import Settings, agency_timezone, redis_url
from server.kernel.db import close_pool, is_sqlite, open_pool
from server.tables import User


def redis_settings() -> RedisSettings:
    url = redis_url()
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
    ctx["settings"] = Settings.from_env()
    await open_pool(engine_finder(), max_size=5)


async def shutdown(ctx: dict[str, Any]) -> None:
    await close_pool(engine_finder())


def cron_jobs() -> list[CronJob]:
    """Fresh CronJob objects (they keep their next run time): one list per worker."""
    return [
        cron(billing_jobs.sweep_job, name="billing_sweep", minute=set(range(0, 60, 2)), unique=True),
        # Monday 03:00 in the worker's time zone, which is the agency's (WorkerSettings.timezone)
        cron(billing_jobs.weekly_job, name="billing_weekly", weekday="mon", hour=3, minute=0, unique=True),
    ]


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        check_database,
        func(billing_jobs.compute_billing_summary, name=billing_jobs.JOB, max_tries=billing_jobs.MAX_TRIES),
    ]
    cron_jobs = cron_jobs()
    timezone = ZoneInfo(agency_timezone() or "UTC")
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    max_tries = 5
    keep_result = 3600
