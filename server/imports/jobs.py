"""Imports as arq jobs: queued from the web once the admin confirms, run by the worker in one
transaction, with their progress kept in Redis (the run's row is not written while its transaction
holds the database) for the page to show. The row is the record; the job's id derives from it."""

from __future__ import annotations

import logging
from typing import Any

from arq import ArqRedis
from redis.exceptions import RedisError

from server.imports import writes
from server.kernel.config import Settings

JOB = "run_import"
MAX_TRIES = 2
JOB_TIMEOUT = 600  # a 5,000-card board takes well under a minute; a slow disk gets room
PROGRESS_TTL = 3600
log = logging.getLogger(__name__)


def job_id(run_id: int, attempt: int) -> str:
    return f"import:{run_id}:{attempt}"


def progress_key(namespace: str, run_id: int) -> str:
    return f"{namespace}import:progress:{run_id}"


async def enqueue(pool: ArqRedis, run_id: int, attempt: int) -> str | None:
    """Queue the run's job; the same (run, attempt) is queued once. With Redis away the row stays queued."""
    jid = job_id(run_id, attempt)
    try:
        await pool.enqueue_job(JOB, run_id, _job_id=jid)
    except (RedisError, OSError) as error:
        log.warning("import %s not queued (%s)", run_id, error)
        return None
    return jid


async def progress_of(redis: Any, namespace: str, run_id: int) -> int | None:
    try:
        value = await redis.get(progress_key(namespace, run_id))
    except (RedisError, OSError):
        return None
    return int(value) if value is not None else None


def readable(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


async def run_import(ctx: dict[str, Any], run_id: int) -> dict[str, int]:
    """arq job: apply one confirmed import; its counts. A failure rolls the import back and is kept
    on the row for the admin to read."""
    settings: Settings = ctx["settings"]
    redis = ctx["redis"]
    key = progress_key(settings.channel_namespace, run_id)

    async def progress(pct: int) -> None:
        try:
            await redis.set(key, pct, ex=PROGRESS_TTL)
        except (RedisError, OSError) as error:
            log.warning("import %s: progress not kept (%s)", run_id, error)

    try:
        report = await writes.run_import(run_id, progress, tz=settings.timezone)
    except writes.ImportGone:
        return {}
    except Exception as error:
        await writes.mark_failed(run_id, readable(error))
        raise
    return report.counts()
