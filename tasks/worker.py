"""arq's WorkerSettings, run by `python -m tasks` (the Procfile's worker line; see `run`). The worker
reads Boardroom's settings once, at startup, into arq's ctx (`ctx["settings"]`) for the jobs."""

from __future__ import annotations

import asyncio
import logging
import logging.config
import time
from collections.abc import Awaitable, Callable
from signal import Signals
from typing import Any, ClassVar, TypeVar, cast
from zoneinfo import ZoneInfo

from arq.connections import RedisSettings
from arq.cron import CronJob, cron
from arq.logs import default_log_config
from arq.worker import Worker, func, get_kwargs
from piccolo.engine import engine_finder
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.billing import jobs as billing_jobs
from server.budgets import jobs as budget_jobs
from server.imports import jobs as import_jobs
from server.kernel.config import Settings, agency_timezone, redis_url, worker_stop_seconds
from server.kernel.db import close_pool, is_sqlite, open_pool
from server.kernel.health import database_up, report
from server.notifications import jobs as notification_jobs
from server.tables import User
from tasks import health

T = TypeVar("T")


log = logging.getLogger("tasks.worker")
# Errors that mean "Redis is out of reach" (refused, reset, timed out, still loading its data), not
# "Redis said no": a command that meets one waits and tries again.
UNREACHABLE: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)
PATIENCE_CAP = 5.0  # seconds between tries once Redis has been away a while


class PatientRetry(Retry):
    """redis-py's retry policy, made patient: a command that finds Redis gone waits (0.25 s, doubling
    up to 5 s) and tries again until Redis is back, so the worker outlives a Redis restart instead of
    exiting with the first ConnectionError. Once the worker is stopping it gives up at once, or
    shutting down with Redis away would hang. (redis-py deep-copies it into every connection: the
    flag is the class's.)"""

    stopping = False

    async def call_with_retry(self, do: Callable[[], Awaitable[T]], fail: Callable[[Any], Any]) -> T:
        failures = 0
        while True:
            try:
                result = await do()
            except UNREACHABLE as error:
                failures += 1
                await fail(error)
                if PatientRetry.stopping:
                    raise
                if failures == 1:
                    log.warning("Redis is out of reach (%s); the worker waits for it", error)
                await asyncio.sleep(min(PATIENCE_CAP, 0.25 * 2 ** min(failures - 1, 5)))
            else:
                if failures:
                    log.warning("Redis is back after %s tries; the worker carries on", failures)
                return result


def redis_settings() -> RedisSettings:
    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set: the worker needs the same Redis as the web processes")
    settings = RedisSettings.from_dsn(url)
    settings.retry = PatientRetry(NoBackoff(), -1)
    settings.retry_on_error = list(UNREACHABLE)  # type: ignore[arg-type]
    settings.conn_retries = 0  # the retry above already waits for Redis when the worker starts
    return settings


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
        # Often, and cheap (a query of unfinished rows): a killed worker's summary resumes within
        # about half a minute of its heartbeat going quiet (billing.jobs.ALIVE_TTL).
        cron(
            billing_jobs.sweep_job,
            name="billing_sweep",
            second=set(range(0, 60, billing_jobs.SWEEP_SECONDS)),
            unique=True,
            timeout=billing_jobs.SWEEP_SECONDS,
        ),
        # Monday 03:00 in the worker's time zone, which is the agency's (WorkerSettings.timezone)
        cron(billing_jobs.weekly_job, name="billing_weekly", weekday="mon", hour=3, minute=0, unique=True),
        # Emails: the outbox's rows due now (first tries, and retries after their backoff).
        cron(
            notification_jobs.mail_sweep,
            name="mail_sweep",
            second=set(range(0, 60, notification_jobs.SWEEP_SECONDS)),
            unique=True,
            timeout=notification_jobs.SWEEP_SECONDS,
        ),
        # 07:00 in the agency's time zone: the assignees of tomorrow's cards hear of them.
        cron(notification_jobs.due_tomorrow, name="due_tomorrow", hour=7, minute=0, unique=True),
        # Budget alerts a time write's own check missed (lost with Redis, hours imported).
        cron(
            budget_jobs.budget_sweep,
            name="budget_sweep",
            minute=set(range(0, 60, budget_jobs.SWEEP_MINUTES)),
            second=30,
            unique=True,
            timeout=budget_jobs.JOB_TIMEOUT,
        ),
    ]


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        check_database,
        func(
            billing_jobs.compute_billing_summary,
            name=billing_jobs.JOB,
            max_tries=billing_jobs.MAX_TRIES,
            timeout=billing_jobs.JOB_TIMEOUT,
        ),
        func(
            import_jobs.run_import,
            name=import_jobs.JOB,
            max_tries=import_jobs.MAX_TRIES,
            timeout=import_jobs.JOB_TIMEOUT,
        ),
        # Kept no result: its id (one check waiting per project) is free again as soon as it has run.
        func(
            budget_jobs.check_budget_alerts,
            name=budget_jobs.JOB,
            max_tries=3,
            timeout=budget_jobs.JOB_TIMEOUT,
            keep_result=0,
        ),
        # One try per job: a failure is kept on the row, and the sweep queues the next try after its backoff.
        func(
            notification_jobs.send_mail,
            name=notification_jobs.SEND_MAIL,
            max_tries=1,
            timeout=notification_jobs.SEND_TIMEOUT,
        ),
    ]
    cron_jobs = cron_jobs()
    timezone = ZoneInfo(agency_timezone() or "UTC")
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    max_tries = 5
    keep_result = 3600
    # SIGTERM: take no new job, let running ones finish for this long, then cancel them; arq then
    # queues a cancelled job again at once (retry_jobs), and another worker takes it.
    job_completion_wait = worker_stop_seconds()
    # `python -m tasks --check` (tasks/health.py) reads this host's key: written every few seconds
    # with the worker's own view of the database, gone a moment after the worker stops or hangs.
    health_check_key = health.key()
    health_check_interval = health.EVERY_SECONDS


class PatientWorker(Worker):
    """arq's Worker, telling the patient retry to stop waiting for Redis once it is asked to stop,
    and recording its health with the database's state in it (tasks/health.py)."""

    async def record_health(self) -> None:
        now = time.time()
        if now - self._last_health_check < self.health_check_interval:
            return
        self._last_health_check = now
        database = (await report({"database": database_up}))["database"]
        running = sum(not t.done() for t in self.tasks.values())
        await self.pool.psetex(
            self.health_check_key,
            int((self.health_check_interval + 1) * 1000),
            health.record(database=database, running=running, done=self.jobs_complete),
        )

    def handle_sig(self, signum: Signals) -> None:
        PatientRetry.stopping = True
        super().handle_sig(signum)

    def handle_sig_wait_for_completion(self, signum: Signals) -> None:
        PatientRetry.stopping = True
        super().handle_sig_wait_for_completion(signum)


def run() -> None:
    """`python -m tasks`: the worker as `arq tasks.worker.WorkerSettings` runs it, except that a
    SIGTERM while Redis is away stops it at once instead of leaving it waiting for Redis."""
    logging.config.dictConfig(default_log_config(verbose=False))
    settings: dict[str, Any] = dict(get_kwargs(cast(Any, WorkerSettings)))
    PatientWorker(**settings).run()
