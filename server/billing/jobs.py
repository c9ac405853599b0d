"""Billing summaries as arq jobs: enqueueing from the web, the job itself, and the crons that sweep
up lost jobs and compute last week's summaries on Monday morning.

The row is the record of a request, not Redis: a job's id derives from the row and its attempt
counter, so asking again (retry, recompute) is a new job, and a job lost with a dead worker or a
restarted Redis is found by the sweep from the row alone."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, date, datetime, timedelta
from typing import Any

from arq import ArqRedis, Retry
from arq.constants import in_progress_key_prefix, job_key_prefix

from server.billing import live
from server.kernel.config import Settings
from server.rules import periods, weeks
from server.tables import BillingSummary, TimeEntry

JOB = "compute_billing_summary"
MAX_TRIES = 3
RETRY_SECONDS = 10  # times the try number: 10 s, then 20 s
STALE = timedelta(minutes=1)
# Test-only: seconds the job sleeps at each progress step, so a test can kill its worker mid-job.
STEP_DELAY_ENV = "BOARDROOM_TEST_BILLING_STEP_SECONDS"
ERROR_LENGTH = 1000


def job_id(summary_id: int, attempt: int) -> str:
    return f"billing-summary:{summary_id}:{attempt}"


def current_job_key(namespace: str, summary_id: int) -> str:
    """Where the id of the summary's latest job is kept, for the sweep to look it up."""
    return f"{namespace}billing:job:{summary_id}"


async def enqueue(pool: ArqRedis, summary_id: int, attempt: int, namespace: str) -> str:
    """Queue the summary's job; the same (row, attempt) is queued once, whoever asks."""
    jid = job_id(summary_id, attempt)
    await pool.enqueue_job(JOB, summary_id, _job_id=jid)
    await pool.set(current_job_key(namespace, summary_id), jid)
    return jid


def readable(error: BaseException) -> str:
    from server.billing.errors import BillingError

    text = str(error) if isinstance(error, BillingError) else f"{type(error).__name__}: {error}"
    return text[:ERROR_LENGTH]


async def compute_billing_summary(ctx: dict[str, Any], summary_id: int) -> str:
    """arq job: compute one summary, pushing its progress to the person who asked for it."""
    from server.billing import compute  # the aggregation (SQL) lives there

    settings = Settings.from_env()
    redis, namespace = ctx["redis"], settings.channel_namespace
    row = await BillingSummary.select(BillingSummary.attempts, BillingSummary.finalised_at).where(
        BillingSummary.id == summary_id
    )
    if not row:
        return "missing"
    if row[0]["finalised_at"] is not None:
        return "finalised"  # a finalised summary keeps its numbers
    await BillingSummary.update(
        {
            BillingSummary.status: "running",
            BillingSummary.progress: 0,
            BillingSummary.attempts: row[0]["attempts"] + 1,
            BillingSummary.started_at: datetime.now(UTC),
            BillingSummary.error: "",
        }
    ).where(BillingSummary.id == summary_id)
    await live.publish(redis, namespace, summary_id)
    delay = float(os.environ.get(STEP_DELAY_ENV) or 0)

    async def progress(pct: int) -> None:
        if delay:
            await asyncio.sleep(delay)
        await BillingSummary.update({BillingSummary.progress: pct}).where(
            (BillingSummary.id == summary_id) & (BillingSummary.status == "running")
        )
        await live.publish(redis, namespace, summary_id, progress=pct)

    try:
        await progress(0)
        await compute.compute_summary(summary_id, timezone=settings.timezone, progress=progress)
    except compute.SummaryFinalised:
        return "finalised"
    except Exception as error:
        await BillingSummary.update(
            {BillingSummary.status: "failed", BillingSummary.error: readable(error), BillingSummary.progress: 0}
        ).where(BillingSummary.id == summary_id)
        await live.publish(redis, namespace, summary_id)
        if ctx.get("job_try", 1) < MAX_TRIES:
            raise Retry(defer=RETRY_SECONDS * ctx.get("job_try", 1)) from error
        raise
    await live.publish(redis, namespace, summary_id)
    return "done"


async def sweep(redis: ArqRedis, namespace: str, now: datetime) -> list[int]:
    """Queue again what a lost job left behind: rows still queued a minute after they were asked
    for (Redis lost the job) and rows running whose job no worker holds any more (the worker died;
    arq's in-progress key is gone). Returns the summaries queued again."""
    cutoff = now - STALE
    stale = await BillingSummary.select(
        BillingSummary.id, BillingSummary.status, BillingSummary.attempts, BillingSummary.started_at
    ).where(
        (BillingSummary.status.is_in(["queued", "running"]))
        & BillingSummary.finalised_at.is_null()
        & (BillingSummary.created_at < cutoff)
    )
    queued_again = []
    for row in stale:
        current = await redis.get(current_job_key(namespace, row["id"]))
        current_id = current.decode() if isinstance(current, bytes) else current
        if row["status"] == "running":
            if row["started_at"] is not None and row["started_at"] > cutoff:
                continue
            if current_id and await redis.exists(in_progress_key_prefix + current_id):
                continue  # a worker holds it
        elif current_id and await redis.exists(job_key_prefix + current_id):
            continue  # still in the queue
        await enqueue(redis, row["id"], row["attempts"], namespace)
        queued_again.append(row["id"])
    return queued_again


async def clients_with_hours(start: date, end: date, timezone: str) -> list[int]:
    """Clients with stopped entries started in [start, end] (local days)."""
    since, until = weeks.day_bounds(start, timezone)[0], weeks.day_bounds(end, timezone)[1]
    rows = (
        await TimeEntry.select(TimeEntry.project.client.as_alias("client"))
        .where(TimeEntry.ended_at.is_not_null() & (TimeEntry.started_at >= since) & (TimeEntry.started_at < until))
        .distinct()
    )
    return sorted({r["client"] for r in rows if r["client"] is not None})


async def weekly(redis: ArqRedis, namespace: str, now: datetime, timezone: str) -> list[int]:
    """Last week's summary for every client with hours in it, once: a client whose summary of that
    week exists already (asked for by hand or made by an earlier run) gets no second one."""
    period = periods.last_week(weeks.local_day(now, timezone))
    created = []
    for client_id in await clients_with_hours(period.start, period.end, timezone):
        exists = await BillingSummary.exists().where(
            (BillingSummary.client == client_id)
            & (BillingSummary.period_start == period.start)
            & (BillingSummary.period_end == period.end)
        )
        if exists:
            continue
        rows = await BillingSummary.insert(
            BillingSummary(client=client_id, period_start=period.start, period_end=period.end, source="cron")
        ).returning(BillingSummary.id)
        await enqueue(redis, rows[0]["id"], 0, namespace)
        created.append(rows[0]["id"])
    return created


async def sweep_job(ctx: dict[str, Any]) -> list[int]:
    """arq cron: see `sweep`."""
    return await sweep(ctx["redis"], Settings.from_env().channel_namespace, datetime.now(UTC))


async def weekly_job(ctx: dict[str, Any]) -> list[int]:
    """arq cron, Monday 03:00 in the agency's time zone: see `weekly`."""
    settings = Settings.from_env()
    return await weekly(ctx["redis"], settings.channel_namespace, datetime.now(UTC), settings.timezone)
