"""What follows a committed change to someone's time, off the request's path: every open budgets
overview hears that the project's hours changed (it fetches that project's line again), and the
worker is asked to look at the project's budget alerts (budgets.jobs does the looking).

Both go out a moment after the write (the hub's `soon`: once per project for a burst of writes),
and only for a project with a budget, which the change's own project row tells without a query:
logging time stays as cheap as it was. A nudge or a job lost on the way (Redis away, a process
stopping) is made good by the next write, and the alerts by the worker's periodic sweep."""

from __future__ import annotations

import logging
from typing import Any

from arq import ArqRedis
from litestar.connection import ASGIConnection
from redis.exceptions import RedisError

from server.boards.changes import TIME_VERBS, Change
from server.realtime.hub import BoardHub, hub_of

log = logging.getLogger(__name__)

HOURS_JOB = "hours_changed"  # the worker's job: budgets.jobs.check_budget_alerts
NUDGE_SECONDS = 0.25  # a burst of writes on one project within this is told once


def hours_channel(namespace: str) -> str:
    """Every open budgets overview listens here (budgets.sockets)."""
    return f"{namespace}hours"


def hours_changed(project_id: int) -> str:
    """The nudge: a project id and nothing else (what the line says is fetched, by someone allowed)."""
    return f"hours-changed:{project_id}"


def hours_job_id(project_id: int) -> str:
    """One check waiting per project: asked again while one waits, nothing new is queued. The job
    keeps no result (tasks/worker.py), so the id is free again once it has run."""
    return f"hours-changed:{project_id}"


def budgeted(project: dict[str, Any]) -> bool:
    return project.get("budget_hours") is not None or project.get("budget_amount") is not None


async def queue_budget_check(queue: ArqRedis, project_id: int) -> bool:
    """Ask the worker to look at the project's budget alerts; False when one already waits or Redis
    is away (the worker's sweep looks anyway)."""
    try:
        return await queue.enqueue_job(HOURS_JOB, project_id, _job_id=hours_job_id(project_id)) is not None
    except (RedisError, OSError) as error:
        log.warning("budget check for project %s not queued (%s); the sweep will look", project_id, error)
        return False


class HoursAnnouncer:
    """The board's announcer (the hub) for time's writes, telling the budgets too (see the module)."""

    def __init__(self, hub: BoardHub, queue: ArqRedis | None) -> None:
        self.hub = hub
        self.queue = queue

    async def announce(self, change: Change) -> None:
        await self.hub.announce(change)
        if change.entry is None or change.entry["verb"] not in TIME_VERBS or not budgeted(change.project):
            return
        project_id = change.project_id

        async def tell() -> None:
            self.hub.pubsub.publish(hours_changed(project_id), hours_channel(self.hub.namespace))
            if self.queue is not None:
                await queue_budget_check(self.queue, project_id)

        self.hub.soon(("hours-changed", project_id), tell, NUDGE_SECONDS)


def announcer_of(connection: ASGIConnection[Any, Any, Any, Any]) -> HoursAnnouncer:
    """What time's pages hand their writes: the process's hub and arq queue."""
    return HoursAnnouncer(hub_of(connection), getattr(connection.app.state, "arq", None))
