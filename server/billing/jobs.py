"""Billing summaries as arq jobs: queuing them from the web (asked for, retried, recomputed), the
job itself, and the crons that sweep up lost jobs and compute last week's summaries on Monday morning.

The row is the record of a request, not Redis: a job's id derives from the row and its attempt
counter, so asking again (retry, recompute) is a new job, and a job lost with a dead worker or a
restarted Redis is found by the sweep from the row alone. The worker's settings arrive in arq's ctx
(`ctx["settings"]`, read once when the worker starts: tasks/worker.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from arq import ArqRedis, Retry
from arq.constants import job_key_prefix
from litestar.datastructures import State
from redis.exceptions import RedisError

from server.billing import fragments, store, writes
from server.billing.errors import BillingError, SummaryFinalised
from server.billing.schemas import NewSummary
from server.kernel.config import Settings
from server.kernel.i18n import _
from server.notifications import writes as news
from server.notifications.jobs import worker_delivery
from server.rules import periods, weeks
from server.rules.summaries import SummarySource, SummaryStatus

JOB = "compute_billing_summary"
MAX_TRIES = 3
RETRY_SECONDS = 10  # times the try number: 10 s, then 20 s
# Sized to the work: a year of an agency's entries aggregates in about a second in SQL. arq keeps a
# job's in-progress key for its timeout + 10 s, during which nobody takes that job again; the
# default of 300 s left a killed worker's summary frozen for five minutes.
JOB_TIMEOUT = 60
# While a job runs it keeps this key alive; once a killed worker stops renewing it, the sweep (every
# SWEEP_SECONDS) queues the summary again: resumed within ALIVE_TTL + SWEEP_SECONDS of the crash.
ALIVE_TTL = 15
ALIVE_EVERY = 5
SWEEP_SECONDS = 20
log = logging.getLogger(__name__)
STALE = timedelta(minutes=1)
ERROR_LENGTH = 1000
# arq ctx key: seconds the job waits before each progress step. No worker of ours sets it; a test
# starts a worker that does, to watch a job's progress or kill the worker mid-job.
STEP_PAUSE = "billing_step_pause"


def job_id(summary_id: int, attempt: int) -> str:
    return f"billing-summary:{summary_id}:{attempt}"


def current_job_key(namespace: str, summary_id: int) -> str:
    """Where the id of the summary's latest job is kept, for the sweep to look it up."""
    return f"{namespace}billing:job:{summary_id}"


def alive_key(namespace: str, summary_id: int) -> str:
    """Renewed every ALIVE_EVERY seconds by the job computing the summary: a worker holds it."""
    return f"{namespace}billing:alive:{summary_id}"


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


@asynccontextmanager
async def holding(redis: ArqRedis, namespace: str, summary_id: int, jid: str) -> AsyncIterator[None]:
    """Say that a worker holds the summary, for as long as the job runs (see ALIVE_TTL)."""
    key = alive_key(namespace, summary_id)

    async def renew() -> None:
        while True:
            await asyncio.sleep(ALIVE_EVERY)
            try:
                await redis.set(key, jid, ex=ALIVE_TTL)
            except (RedisError, OSError) as error:
                log.warning("summary %s: could not renew its heartbeat (%s)", summary_id, error)

    await redis.set(key, jid, ex=ALIVE_TTL)
    renewing = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        with contextlib.suppress(RedisError, OSError):
            await redis.delete(key)


async def enqueue(pool: ArqRedis, summary_id: int, attempt: int, namespace: str) -> str | None:
    """Queue the summary's job; the same (row, attempt) is queued once, whoever asks. With Redis out
    of reach the row stays queued (the row, not Redis, is the record) and the sweep queues it once
    Redis is back: the person who asked sees it queued, not an error."""
    jid = job_id(summary_id, attempt)
    try:
        await pool.enqueue_job(JOB, summary_id, _job_id=jid)
        await pool.set(current_job_key(namespace, summary_id), jid)
    except (RedisError, OSError) as error:
        log.warning("summary %s not queued yet (%s); the sweep will queue it", summary_id, error)
        return None
    return jid


# ---- from the web (`state`: the app's, with its arq pool and settings) --------------------------


async def ask(state: State, requested_by: int, asked: NewSummary) -> int:
    """The row, then its job: the web answers at once and the worker does the work."""
    summary_id = await writes.new_summary(asked.client_id, asked.period, requested_by=requested_by)
    await enqueue(state.arq, summary_id, 0, state.settings.channel_namespace)
    return summary_id


async def retry(state: State, summary: dict[str, Any], requested_by: int) -> None:
    if summary["status"] != SummaryStatus.FAILED:
        raise BillingError(_("Only a failed summary can be retried."))
    await _ask_again(state, summary, requested_by)


async def recompute(state: State, summary: dict[str, Any], requested_by: int) -> None:
    if summary["status"] != SummaryStatus.DONE or summary["finalised_at"] is not None:
        raise BillingError(_("Only a computed summary that is not finalised can be computed again."))
    await _ask_again(state, summary, requested_by)


async def _ask_again(state: State, summary: dict[str, Any], requested_by: int) -> None:
    """A new job for the same row: a new id (the attempt counter), so arq does not take it for the
    job it already ran."""
    await writes.queue_again(summary["id"], requested_by)
    await enqueue(state.arq, summary["id"], summary["attempts"], state.settings.channel_namespace)


# ---- in the worker -------------------------------------------------------------------------------


def readable(error: BaseException) -> str:
    text = str(error) if isinstance(error, BillingError) else f"{type(error).__name__}: {error}"
    return text[:ERROR_LENGTH]


async def compute_billing_summary(ctx: dict[str, Any], summary_id: int) -> str:
    """arq job: compute one summary, pushing its progress to the person who asked for it. Returns
    what came of it: done, finalised (kept as billed) or missing (deleted meanwhile)."""
    settings: Settings = ctx["settings"]
    redis, namespace = ctx["redis"], settings.channel_namespace
    jid = ctx.get("job_id") or job_id(summary_id, 0)
    current = _text(await redis.get(current_job_key(namespace, summary_id)))
    if current is not None and current != jid:
        # A killed worker's job, taken again by arq once its in-progress key expired: the sweep
        # has queued the summary anew meanwhile, and that job is the one to run.
        return "superseded"
    async with holding(redis, namespace, summary_id, jid):
        return await _compute(ctx, summary_id)


async def _compute(ctx: dict[str, Any], summary_id: int) -> str:
    settings: Settings = ctx["settings"]
    redis, namespace = ctx["redis"], settings.channel_namespace
    try:
        await writes.start_attempt(summary_id)
    except SummaryFinalised:
        return "finalised"  # a finalised summary keeps its numbers
    except BillingError:
        return "missing"
    await fragments.publish(redis, namespace, summary_id)
    pause = float(ctx.get(STEP_PAUSE) or 0)

    async def progress(pct: int) -> None:
        if pause:
            await asyncio.sleep(pause)
        await writes.set_progress(summary_id, pct)
        await fragments.publish(redis, namespace, summary_id, progress=pct)

    try:
        await progress(0)
        await writes.compute_summary(summary_id, timezone=settings.timezone, progress=progress)
    except SummaryFinalised:
        return "finalised"
    except Exception as error:
        await writes.mark_failed(summary_id, readable(error))
        await fragments.publish(redis, namespace, summary_id)
        if ctx.get("job_try", 1) < MAX_TRIES:
            raise Retry(defer=RETRY_SECONDS * ctx.get("job_try", 1)) from error
        raise
    await fragments.publish(redis, namespace, summary_id)
    await _tell_requester(ctx, summary_id)
    return "done"


async def _tell_requester(ctx: dict[str, Any], summary_id: int) -> None:
    """The person who asked hears the summary is ready (once, however often the job runs)."""
    summary = await store.summary_row(summary_id)
    if summary is None:
        return
    client = summary.get("client_name") or _("All clients")
    what = f"{client}, {summary['period_start'].isoformat()} – {summary['period_end'].isoformat()}"
    await news.summary_ready(summary, what, worker_delivery(ctx))


async def sweep(redis: ArqRedis, namespace: str, now: datetime) -> list[int]:
    """Queue again what a lost job left behind: rows still queued a minute after they were asked
    for (Redis lost the job) and rows running whose job no worker holds any more (the worker died:
    its heartbeat, `alive_key`, has expired). A lost worker's row goes back to queued, marked so
    that its page says the worker was lost and the summary is resuming. Returns the summaries
    queued again."""
    queued_again = []
    for row in await store.unfinished_since(now - STALE):
        current_id = _text(await redis.get(current_job_key(namespace, row["id"])))
        if row["status"] == SummaryStatus.RUNNING:
            if await redis.exists(alive_key(namespace, row["id"])):
                continue  # a worker holds it
            await writes.resume_lost(row["id"])
            await fragments.publish(redis, namespace, row["id"])
        elif current_id and await redis.exists(job_key_prefix + current_id):
            continue  # still in the queue
        await enqueue(redis, row["id"], row["attempts"], namespace)
        queued_again.append(row["id"])
    return queued_again


async def weekly(redis: ArqRedis, namespace: str, now: datetime, timezone: str) -> list[int]:
    """Last week's summary for every client with hours in it, once: a client whose summary of that
    week exists already (asked for by hand or made by an earlier run) gets no second one."""
    period = periods.last_week(weeks.local_day(now, timezone))
    created = []
    for client_id in await store.clients_with_hours(period.start, period.end, timezone):
        if await store.has_summary(client_id, period):
            continue
        summary_id = await writes.new_summary(client_id, period, requested_by=None, source=SummarySource.CRON)
        await enqueue(redis, summary_id, 0, namespace)
        created.append(summary_id)
    return created


async def sweep_job(ctx: dict[str, Any]) -> list[int]:
    """arq cron: see `sweep`."""
    return await sweep(ctx["redis"], ctx["settings"].channel_namespace, datetime.now(UTC))


async def weekly_job(ctx: dict[str, Any]) -> list[int]:
    """arq cron, Monday 03:00 in the agency's time zone: see `weekly`."""
    settings: Settings = ctx["settings"]
    return await weekly(ctx["redis"], settings.channel_namespace, datetime.now(UTC), settings.timezone)
