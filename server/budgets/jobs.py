"""Budget alerts as arq jobs: the check a time write asks for (time.jobs queues it, one waiting per
project) and the sweep every few minutes that looks at every budgeted project, a safety net for a
check lost with Redis or a process, and for hours that arrive without a time page (imports).

Both are idempotent: an alert is recorded once whatever runs it (budgets.alert_writes), so a retried
or doubled job tells nobody twice. "Today" is the agency's day (BOARDROOM_TZ): a retainer's month
turns over at the agency's midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.budgets.alert_writes import check
from server.kernel.config import Settings
from server.notifications.jobs import worker_delivery
from server.rules.weeks import local_day
from server.time.jobs import HOURS_JOB

JOB = HOURS_JOB  # queued by time.jobs after a committed change to a budgeted project's time
JOB_TIMEOUT = 30
SWEEP_MINUTES = 5


def agency_today(ctx: dict[str, Any]) -> date:
    settings: Settings = ctx["settings"]
    return local_day(datetime.now(UTC), settings.timezone)


async def check_budget_alerts(ctx: dict[str, Any], project_id: int) -> int:
    """arq job: the project's budgets against their thresholds; how many alerts went out."""
    return len(await check([project_id], agency_today(ctx), worker_delivery(ctx)))


async def budget_sweep(ctx: dict[str, Any]) -> int:
    """arq cron: every budgeted project's budgets against their thresholds."""
    return len(await check(None, agency_today(ctx), worker_delivery(ctx)))
