"""Shared by the billing job and page tests: time entries to bill, an arq queue on the suite's
Redis, a burst worker built as `arq tasks.worker.WorkerSettings` builds it (without its crons,
which would keep a burst worker from ever finishing), and the command of a worker process slowed
at each progress step (slow_worker.py)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.worker import Worker, create_worker

from server.tables import BillingSummary
from tests.conftest import Agency
from tests.factories import add_card, add_entry, add_summary

# Monday 2 November 2026 .. Sunday 8 November: the week the entries below fall in
MONDAY = date(2026, 11, 2)


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    yield pool
    await pool.aclose()


def new_worker(redis_url: str) -> Worker:
    from tasks.worker import WorkerSettings  # reads REDIS_URL at import, set by the session fixtures

    settings = cast(Any, WorkerSettings)
    return create_worker(
        settings, redis_settings=RedisSettings.from_dsn(redis_url), burst=True, handle_signals=False, cron_jobs=[]
    )


async def run_worker(redis_url: str) -> Worker:
    """A burst worker until the queue is empty (retries included)."""
    worker = new_worker(redis_url)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker


def slow_worker_command(step_seconds: float) -> list[str]:
    """A worker process's command (run it in the repository, with the suite's environment and
    REDIS_URL): the real worker, waiting `step_seconds` before each progress step of a billing job,
    so that a test can watch the progress arrive or kill the worker mid-job."""
    return [sys.executable, str(Path(__file__).with_name("slow_worker.py")), str(step_seconds)]


async def add_entries(agency: Agency) -> dict[int, int]:
    """max logs 90 minutes on Monday and 20 (not billable) on Tuesday on ACME; mia 60 on Globex."""
    tasks = {
        project: await add_card(project, "Homepage hero copy")
        for project in (agency.acme_project, agency.globex_project)
    }
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    await add_entry(tasks[agency.acme_project], agency.max, start, 90)
    await add_entry(tasks[agency.acme_project], agency.max, start + timedelta(days=1), 20, billable=False)
    await add_entry(tasks[agency.globex_project], agency.mia, start, 60)
    return tasks


async def summary(summary_id: int) -> dict[str, Any]:
    row = await BillingSummary.select().where(BillingSummary.id == summary_id).output(load_json=True).first()
    assert row is not None
    return row


async def new_summary(agency: Agency, *, all_clients: bool = False, **fields: Any) -> int:
    """Acme's (or everyone's) week of MONDAY, asked for by ada."""
    client = None if all_clients else agency.acme
    return await add_summary(client, MONDAY, MONDAY + timedelta(days=6), requested_by=agency.ada, **fields)
