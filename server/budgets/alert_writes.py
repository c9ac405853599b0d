"""Budget alerts: when a project's hours or money used in its current period reach one of its
thresholds (80 % and 100 % unless its settings say otherwise), the agency's admins are told, by the
bell and by email as each chose, and the project's history says so; never twice for the same
threshold, budget kind and period.

"Never twice" is the `budget_alert` table's unique index (project, kind, period start, threshold):
each alert is inserted with ON CONFLICT DO NOTHING, in one transaction with its Activity row and its
notifications, so two workers checking at once send one alert (the one whose insert went in), and a
check that fails half-way leaves nothing behind for the next to trip on. Several thresholds reached
at once (a big entry) are one notification, of the highest; the lower ones are recorded all the same,
so they never fire later in the period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.boards.changes import next_seq
from server.budgets.alert_store import Sent, burns_of, sent_alerts
from server.budgets.store import ProjectBurn
from server.kernel.db import write_transaction
from server.notifications import store as people_store
from server.notifications.fragments import ring
from server.notifications.writes import Delivery, budget_alert
from server.rules.burn import Burn, alert_period, crossed, stored_thresholds
from server.tables import Activity, BudgetAlert

VERB = "budget_alert"  # the Activity row's verb (no card, no column: boards redraw nothing for it)


@dataclass(frozen=True)
class Alert:
    """Thresholds of one budget newly reached in a period, as one notification tells them."""

    project_id: int
    kind: str  # "hours" (minutes) or "money" (minor units)
    period_start: date
    thresholds: tuple[int, ...]  # newly alerted, increasing: the last one is what the admins read
    used: int
    budget: int
    notified: tuple[int, ...] = ()


def due(project: dict[str, Any], line: ProjectBurn, today: date, sent: Sent) -> list[tuple[str, Burn, list[int]]]:
    """Each budget of the project with the thresholds it has reached this period and not alerted yet."""
    thresholds = stored_thresholds(project.get("budget_thresholds"))
    period = alert_period(line.monthly, today)
    found = []
    for kind, item in (("hours", line.hours), ("money", line.money)):
        if item is None:
            continue
        fresh = crossed(item.used, item.budget, thresholds, sent.get((line.id, kind, period), set()))
        if fresh:
            found.append((kind, item, fresh))
    return found


async def check(project_ids: Iterable[int] | None, today: date, delivery: Delivery) -> list[Alert]:
    """Look at these projects' budgets (all of them: None) and alert what is due. Cheap when nothing
    is: the burns in two queries, and the alerts already sent only for budgets past a threshold."""
    found = await burns_of(project_ids, today)
    reaching = [(p, line) for p, line in found if due(p, line, today, {})]
    if not reaching:
        return []
    sent = await sent_alerts(line.id for _p, line in reaching)
    alerts = []
    for project, line in reaching:
        for kind, item, thresholds in due(project, line, today, sent):
            alert = await _record(project, line, kind, item, thresholds, today, delivery)
            if alert is not None:
                alerts.append(alert)
    return alerts


async def _record(
    project: dict[str, Any],
    line: ProjectBurn,
    kind: str,
    item: Burn,
    thresholds: list[int],
    today: date,
    delivery: Delivery,
) -> Alert | None:
    """One budget's thresholds, its Activity row and its notifications, in one transaction; None when
    another check recorded them first. The bells ring after commit."""
    period = alert_period(line.monthly, today)
    budget = int(item.budget or 0)
    async with write_transaction(BudgetAlert._meta.db):
        new = []
        for threshold in thresholds:
            inserted = (
                await BudgetAlert.insert(
                    BudgetAlert(
                        project=line.id,
                        kind=kind,
                        period_start=period,
                        threshold=threshold,
                        used=item.used,
                        budget=budget,
                    )
                )
                .on_conflict(action="DO NOTHING")
                .returning(BudgetAlert.id)
            )
            if inserted:
                new.append(threshold)
        if not new:
            return None
        board = await next_seq(line.id)  # the history is the board's numbered sequence too
        period_text = period.isoformat() if line.monthly else ""
        await Activity.insert(
            Activity(
                project=line.id,
                seq=board["event_seq"],
                actor=None,
                verb=VERB,
                data={"kind": kind, "thresholds": new, "month": period_text},
            )
        )
        data = {
            "project": line.name,
            "key": line.key,
            "kind": kind,
            "threshold": new[-1],
            "used": item.used,
            "budget": budget,
            "currency": line.currency,
            "month": period_text,
        }
        key = f"budget:{line.id}:{kind}:{period.isoformat()}:{new[-1]}"
        quiet = Delivery(bells=None, secret=delivery.secret, base_url=delivery.base_url)
        notified = await budget_alert(project, key, data, quiet)
    if notified and delivery.bells is not None:
        people = await people_store.people(notified)
        await ring(delivery.bells, notified, {i: people[i]["locale"] for i in notified if i in people})
    return Alert(line.id, kind, period, tuple(new), item.used, budget, tuple(notified))
