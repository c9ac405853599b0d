"""The arq worker as `arq tasks.worker.WorkerSettings` builds it, run in-process against the suite's
Redis and database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.worker import Worker, create_worker

from tests.settings import POSTGRES_URL


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    yield pool
    await pool.aclose()


@pytest.fixture
def worker(redis_url: str) -> Worker:
    # Imported here: tasks.worker reads REDIS_URL at import, which the session fixtures set.
    from tasks.worker import WorkerSettings

    settings = cast(Any, WorkerSettings)  # arq's protocol type does not describe a plain settings class
    # Without the crons: a burst worker with a due cron job never exits.
    return create_worker(
        settings, redis_settings=RedisSettings.from_dsn(redis_url), burst=True, handle_signals=False, cron_jobs=[]
    )


async def run_until_idle(worker: Worker) -> None:
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def test_check_database_answers_ok_from_the_suites_database(queue: ArqRedis, worker: Worker) -> None:
    job = await queue.enqueue_job("check_database")
    assert job is not None
    await run_until_idle(worker)
    result: dict[str, Any] = await job.result(timeout=10)
    assert result["ok"] is True
    assert result["engine"] == ("postgres" if POSTGRES_URL else "sqlite")
    assert result["job_try"] == 1
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0


async def test_the_same_job_id_runs_once(queue: ArqRedis, worker: Worker) -> None:
    first = await queue.enqueue_job("check_database", _job_id="probe-1")
    assert first is not None
    assert await queue.enqueue_job("check_database", _job_id="probe-1") is None
    await run_until_idle(worker)
    assert worker.jobs_complete == 1
