"""Email and reminders as arq jobs: `send_mail` sends one outbox row over SMTP (never in a request),
`mail_sweep` (every few seconds) queues the rows due, first tries and retries after a failure's
backoff alike, and `due_tomorrow_job` (each morning) tells assignees of the cards due tomorrow.

A mail's job id derives from its row and its next try, so a sweep that finds it again while it waits
queues nothing new; the row, not Redis, is the record (a lost job is found again by the sweep)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosmtplib

from server.kernel.config import Settings
from server.notifications import store, writes
from server.notifications.fragments import redis_bells
from server.notifications.mails import message, sender_address, smtp_server
from server.rules.notifications import MailStatus
from server.rules.weeks import local_day

SEND_MAIL = "send_mail"
SWEEP_SECONDS = 10
SEND_TIMEOUT = 60
log = logging.getLogger(__name__)


def mail_job_id(mail: dict[str, Any]) -> str:
    due = mail.get("next_attempt_at")
    stamp = int(due.timestamp()) if isinstance(due, datetime) else 0
    return f"mail:{mail['id']}:{mail['attempts']}:{stamp}"


async def send(mail: dict[str, Any], settings: Settings) -> None:
    """One try over SMTP; raises what the server or the network said."""
    server = smtp_server(settings.smtp_url)
    await aiosmtplib.send(
        message(mail, sender_address(settings.mail_from)),
        hostname=server.hostname,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.use_tls,
        timeout=30,
    )


async def send_mail(ctx: dict[str, Any], mail_id: int) -> str:
    """arq job: send the outbox row, or keep it in the outbox when no SMTP server is configured; a
    failure is written on the row and tried again by the sweep after its backoff."""
    settings: Settings = ctx["settings"]
    mail = await store.mail_row(mail_id)
    if mail is None or mail["status"] not in (MailStatus.QUEUED, MailStatus.RETRYING):
        return "nothing to do"
    if not settings.smtp_url:
        await writes.mail_held(mail_id)
        return MailStatus.HELD.value
    try:
        await send(mail, settings)
    except Exception as error:  # whatever went wrong, the row says it and the sweep tries again
        status = await writes.mail_failed(mail, f"{type(error).__name__}: {error}")
        log.warning("mail %s not sent (%s): %s", mail_id, status, error)
        return status.value
    await writes.mail_sent(mail_id)
    return MailStatus.SENT.value


async def sweep(redis: Any, now: datetime | None = None) -> list[int]:
    """Queue every mail due now (`_job_id` dedupes one already waiting)."""
    queued = []
    for mail in await store.mails_due(now):
        row = await store.mail_row(mail["id"])
        if row is not None and await redis.enqueue_job(SEND_MAIL, mail["id"], _job_id=mail_job_id(row)):
            queued.append(mail["id"])
    return queued


async def mail_sweep(ctx: dict[str, Any]) -> list[int]:
    """arq cron: see `sweep`."""
    return await sweep(ctx["redis"])


async def due_tomorrow(ctx: dict[str, Any], now: datetime | None = None) -> list[int]:
    """arq cron, each morning in the agency's time zone: the assignees of tomorrow's cards hear of it
    (once per card and date, however often this runs)."""
    settings: Settings = ctx["settings"]
    tomorrow = local_day(now or datetime.now(UTC), settings.timezone) + timedelta(days=1)
    return await writes.due_tomorrow(tomorrow.isoformat(), await store.due_on(tomorrow), worker_delivery(ctx))


def worker_delivery(ctx: dict[str, Any]) -> writes.Delivery:
    """How a job's news leaves: Redis straight to the person's pages."""
    settings: Settings = ctx["settings"]
    return writes.Delivery(
        bells=redis_bells(ctx["redis"], settings.channel_namespace),
        secret=settings.secret_key,
        base_url=settings.base_url,
    )
