"""Budget alerts on a real arq worker and the suite's Redis: a time write on a budgeted card queues
one check for its project; the job alerts once however often it is queued or however many workers
run it at once; the sweep finds what no check was asked for."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from arq import ArqRedis
from arq.constants import job_key_prefix
from redis.asyncio import Redis

from server.budgets import jobs
from server.kernel.config import Settings
from server.time.jobs import HOURS_JOB, hours_job_id, queue_budget_check
from tests.billing.jobs_support import queue, run_worker
from tests.budgets.alerts_support import alerts_of, log_on, set_budget
from tests.conftest import Agency
from tests.factories import add_card, today

__all__ = ["queue"]


async def test_the_check_queued_twice_runs_once_and_alerts_once(
    agency: Agency, queue: ArqRedis, redis_url: str
) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await log_on(agency, agency.acme_project, 9 * 60)

    assert await queue_budget_check(queue, agency.acme_project)
    assert not await queue_budget_check(queue, agency.acme_project)  # one waiting per project
    worker = await run_worker(redis_url)

    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    assert len(await alerts_of(agency.ada)) == 1
    assert await queue_budget_check(queue, agency.acme_project)  # its id is free again once it ran
    await run_worker(redis_url)
    assert len(await alerts_of(agency.ada)) == 1  # the same threshold and period: not again


async def test_two_workers_running_checks_at_once_alert_once(agency: Agency, queue: ArqRedis, redis_url: str) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_period="monthly")
    await log_on(agency, agency.acme_project, 11 * 60)
    for n in range(4):  # four checks under their own ids, as if asked for from four web processes
        await queue.enqueue_job(HOURS_JOB, agency.acme_project, _job_id=f"test-check-{n}")

    workers = await asyncio.gather(run_worker(redis_url), run_worker(redis_url))

    assert sum(w.jobs_complete for w in workers) == 4 and sum(w.jobs_failed for w in workers) == 0
    [told] = await alerts_of(agency.ada)
    assert told["data"]["threshold"] == 100


async def test_the_sweep_alerts_what_no_check_was_asked_for(agency: Agency, queue: ArqRedis) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    await set_budget(agency.globex_project, budget_hours=2)
    await log_on(agency, agency.acme_project, 9 * 60)
    await log_on(agency, agency.globex_project, 60)  # 50 %: nothing
    ctx: dict[str, Any] = {"settings": Settings.from_env(), "redis": queue}

    assert await jobs.budget_sweep(ctx) == 1
    assert await jobs.budget_sweep(ctx) == 0
    assert [t["data"]["project"] for t in await alerts_of(agency.ada)] == ["Acme website"]


async def queued(redis_url: str, project_id: int, seconds: float = 3.0) -> bool:
    """Whether a check for the project is waiting in arq's queue within `seconds`."""
    redis = Redis.from_url(redis_url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if await redis.exists(job_key_prefix + hours_job_id(project_id)):
                return True
            await asyncio.sleep(0.05)
        return False
    finally:
        await redis.aclose()


async def test_logging_time_on_a_budgeted_card_queues_a_check_for_its_project(
    agency: Agency, as_user: Any, redis_url: str
) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    acme, globex = await add_card(agency.acme_project, "Hero"), await add_card(agency.globex_project, "App")
    max_, mia = await as_user("max"), await as_user("mia")
    yesterday = (today() - timedelta(days=1)).isoformat()

    logged = await max_.post(f"/tasks/{acme}/time", {"date": yesterday, "duration": "2h"}, htmx=True)
    assert logged.status_code == 200
    assert await queued(redis_url, agency.acme_project)

    unbudgeted = await mia.post(f"/tasks/{globex}/time", {"date": yesterday, "duration": "2h"}, htmx=True)
    assert unbudgeted.status_code == 200
    assert not await queued(redis_url, agency.globex_project, seconds=1.0)


async def test_the_worker_alerts_after_max_logs_past_the_threshold(
    agency: Agency, as_user: Any, redis_url: str
) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    card = await add_card(agency.acme_project, "Hero")
    max_ = await as_user("max")
    yesterday = (today() - timedelta(days=1)).isoformat()  # 8.5 hours may not fit in today yet
    logged = await max_.post(f"/tasks/{card}/time", {"date": yesterday, "duration": "8h30m"}, htmx=True)
    assert logged.status_code == 200
    assert await queued(redis_url, agency.acme_project)

    await run_worker(redis_url)

    [told] = await alerts_of(agency.ada)
    assert told["data"]["threshold"] == 80 and told["data"]["used"] == 510
