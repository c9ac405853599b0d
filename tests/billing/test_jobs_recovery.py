"""What keeps summaries from getting lost: a worker killed mid-job leaves no half result and the
next worker finishes it; the sweep re-queues what Redis lost; the Monday cron makes last week's
summaries once; progress reaches the requester's channel."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from arq import ArqRedis
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

from server.billing import jobs
from server.kernel.config import ROOT, Settings
from server.realtime.hub import user_channel
from server.tables import BillingSummary
from tests.billing.jobs_support import (
    MONDAY,
    add_entries,
    new_summary,
    queue,
    run_worker,
    slow_worker_command,
    summary,
)
from tests.conftest import Agency
from tests.settings import TMP

__all__ = ["queue"]


def namespace() -> str:
    return Settings.from_env().channel_namespace


async def wait_for_status(summary_id: int, status: str, seconds: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = await summary(summary_id)
        if row["status"] == status:
            return row
        await asyncio.sleep(0.1)
    pytest.fail(f"summary {summary_id} never became {status}: {row['status']}")


@pytest.mark.slow
async def test_a_worker_killed_mid_job_leaves_no_half_result_and_the_next_one_finishes_it(
    agency: Agency, queue: ArqRedis, redis_url: str
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    job = await jobs.enqueue(queue, summary_id, 0, namespace())
    # A worker process of its own, slowed at each progress step so that it can be killed mid-job
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    log = (TMP / "killed-worker.log").open("wb")
    worker = subprocess.Popen(  # noqa: ASYNC220 - started once, not awaited on
        slow_worker_command(30), cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        await wait_for_status(summary_id, "running")
        assert await queue.exists(in_progress_key_prefix + job)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        log.close()

    row = await summary(summary_id)
    assert row["status"] == "running" and row["result"] == {} and row["finished_at"] is None
    assert row["total_minutes"] == 0

    # While the job's heartbeat lives, the summary counts as held and the sweep leaves it alone
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC) + timedelta(minutes=2)) == []
    await queue.delete(jobs.alive_key(namespace(), summary_id))  # what its expiry does, 15 s after the crash
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC) + timedelta(minutes=2)) == [summary_id]
    # arq takes the killed job again once its in-progress key expires (a minute on): it steps aside
    await queue.delete(in_progress_key_prefix + job)

    await run_worker(redis_url)

    row = await summary(summary_id)
    assert row["status"] == "done" and row["total_minutes"] == 110 and row["attempts"] >= 2


async def test_the_sweep_requeues_a_summary_whose_queued_job_redis_lost(
    agency: Agency, queue: ArqRedis, redis_url: str
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    await jobs.enqueue(queue, summary_id, 0, namespace())
    await queue.flushdb()  # Redis restarted without its data

    assert await jobs.sweep(queue, namespace(), datetime.now(UTC)) == []  # younger than a minute: left alone
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC) + timedelta(minutes=2)) == [summary_id]
    await run_worker(redis_url)

    assert (await summary(summary_id))["status"] == "done"


async def test_the_sweep_leaves_queued_jobs_that_are_still_queued(agency: Agency, queue: ArqRedis) -> None:
    summary_id = await new_summary(agency)
    await jobs.enqueue(queue, summary_id, 0, namespace())
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC) + timedelta(minutes=2)) == []
    assert summary_id


async def test_mondays_cron_makes_last_weeks_summary_for_each_client_with_hours_once(
    agency: Agency, queue: ArqRedis
) -> None:
    await add_entries(agency)  # Acme and Globex both have hours in the week of 2 November
    monday_morning = datetime(2026, 11, 9, 2, 0, tzinfo=UTC)  # 03:00 in Berlin

    created = await jobs.weekly(queue, namespace(), monday_morning, "Europe/Berlin")
    again = await jobs.weekly(queue, namespace(), monday_morning, "Europe/Berlin")

    assert len(created) == 2 and again == []
    rows = await BillingSummary.select(
        BillingSummary.client, BillingSummary.period_start, BillingSummary.period_end, BillingSummary.source
    ).order_by(BillingSummary.client)
    assert [r["client"] for r in rows] == sorted([agency.acme, agency.globex])
    assert all(r["period_start"] == MONDAY and r["period_end"] == MONDAY + timedelta(days=6) for r in rows)
    assert all(r["source"] == "cron" for r in rows)
    assert await queue.zcard("arq:queue") == 2


async def test_the_cron_skips_a_client_whose_week_was_already_asked_for(agency: Agency, queue: ArqRedis) -> None:
    await add_entries(agency)
    await new_summary(agency)  # Acme's week of 2 November, asked for by hand
    created = await jobs.weekly(queue, namespace(), datetime(2026, 11, 9, 3, 0, tzinfo=UTC), "UTC")
    assert len(created) == 1
    assert await BillingSummary.count().where(BillingSummary.client == agency.acme) == 1


async def test_the_cron_makes_nothing_for_a_week_without_hours(agency: Agency, queue: ArqRedis) -> None:
    await add_entries(agency)
    assert await jobs.weekly(queue, namespace(), datetime(2026, 12, 7, 3, 0, tzinfo=UTC), "UTC") == []


def test_the_worker_runs_the_weekly_cron_on_monday_at_three_in_the_agencys_time_zone() -> None:
    from tasks.worker import cron_jobs

    weekly = next(c for c in cron_jobs() if c.name == "billing_weekly")
    assert (weekly.weekday, weekly.hour, weekly.minute) == ("mon", 3, 0)
    assert cron_jobs()[0] is not cron_jobs()[0]  # a fresh list per worker


async def test_progress_reaches_the_requesters_channel(agency: Agency, queue: ArqRedis, redis_url: str) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    redis = Redis.from_url(redis_url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(user_channel(namespace(), agency.ada))
    await jobs.enqueue(queue, summary_id, 0, namespace())

    await run_worker(redis_url)

    messages = []
    while (message := await pubsub.get_message(timeout=0.5)) is not None:
        if message["type"] == "message":
            messages.append(message["data"].decode())
    await pubsub.aclose()
    await redis.aclose()
    assert messages, "nothing published"
    assert any('id="jobs"' in m and "job-chip" in m and "hx-swap-oob" in m for m in messages), messages[0]
    assert any("Computing" in m and f'id="summary-{summary_id}-status"' in m for m in messages)
    # The summary's own news ends with its finished row; the bell ("your summary is ready") rings beside it.
    assert any('id="bell"' in m and 'data-count="1"' in m for m in messages), messages
    last = [m for m in messages if 'id="bell"' not in m][-1]
    assert f'hx-get="/billing/summaries/{summary_id}"' in last and "job-chip" not in last
