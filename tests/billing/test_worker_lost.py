"""A summary whose worker was killed mid-job resumes within about a minute (its job's heartbeat goes
quiet, the sweep queues it again, another worker finishes it), and its page says the worker was lost
instead of showing a frozen "Computing… 10%"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings

from server.billing import jobs, writes
from server.kernel.config import ROOT
from server.tables import BillingSummary
from tests.billing.jobs_support import add_entries, new_summary, queue, slow_worker_command, summary
from tests.billing.test_jobs_recovery import namespace, wait_for_status
from tests.conftest import Agency, Browser
from tests.settings import TMP

__all__ = ["queue"]

RESUMED_WITHIN = 60  # seconds from the kill to the summary done


async def a_crashed_job(agency: Agency) -> int:
    """A summary left running by a worker that died: started, no heartbeat, asked two minutes ago."""
    await add_entries(agency)
    summary_id = await new_summary(agency)
    await writes.start_attempt(summary_id)
    await writes.set_progress(summary_id, 10)
    two_minutes_ago = datetime.now(UTC) - timedelta(minutes=2)
    await BillingSummary.update({BillingSummary.created_at: two_minutes_ago}).where(BillingSummary.id == summary_id)
    return summary_id


async def test_the_page_says_the_worker_was_lost_once_the_sweep_finds_it(
    agency: Agency, queue: ArqRedis, ada: Browser
) -> None:
    summary_id = await a_crashed_job(agency)
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert "Computing…" in page.text

    assert await jobs.sweep(queue, namespace(), datetime.now(UTC)) == [summary_id]
    row = await summary(summary_id)
    assert row["status"] == "queued" and row["attempts"] == 1
    page = await ada.get(f"/billing/summaries/{summary_id}")
    assert "Worker lost, resuming…" in page.text and "Computing…" not in page.text


async def test_a_summary_whose_job_keeps_its_heartbeat_is_left_alone(agency: Agency, queue: ArqRedis) -> None:
    summary_id = await a_crashed_job(agency)
    await queue.set(jobs.alive_key(namespace(), summary_id), "billing-summary:1:0", ex=jobs.ALIVE_TTL)
    assert await jobs.sweep(queue, namespace(), datetime.now(UTC)) == []
    assert (await summary(summary_id))["status"] == "running"


@pytest.mark.slow
async def test_a_killed_workers_summary_is_finished_by_another_worker_within_a_minute(
    agency: Agency, redis_url: str
) -> None:
    await add_entries(agency)
    summary_id = await new_summary(agency)
    # Asked for a while ago: only the crash, not the age of the request, decides when it resumes.
    await BillingSummary.update({BillingSummary.created_at: datetime.now(UTC) - timedelta(minutes=2)}).where(
        BillingSummary.id == summary_id
    )
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    with (TMP / "lost-worker.log").open("wb") as log:
        slow = subprocess.Popen(slow_worker_command(30), cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: ASYNC220
        try:
            pool = await create_pool(RedisSettings.from_dsn(redis_url))
            await jobs.enqueue(pool, summary_id, 0, namespace())
            await pool.aclose()
            await wait_for_status(summary_id, "running")
        finally:
            slow.send_signal(signal.SIGKILL)
            slow.wait(timeout=10)
        killed_at = time.monotonic()
        # The next worker, as `boardroom run` and the Procfile start it, with its crons
        other = subprocess.Popen([sys.executable, "-m", "tasks"], cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: ASYNC220
        try:
            row = await wait_for_status(summary_id, "done", seconds=RESUMED_WITHIN + 15)
        finally:
            other.send_signal(signal.SIGTERM)
            other.wait(timeout=15)
    took = time.monotonic() - killed_at
    assert took < RESUMED_WITHIN, f"resumed {took:.0f} s after the kill"
    assert row["total_minutes"] == 110 and row["attempts"] >= 2 and row["error"] == ""
