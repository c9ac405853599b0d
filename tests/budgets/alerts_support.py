"""Shared by the budget alert tests: budgets set on a project, hours logged on a day, how the checks
deliver (no browsers), and what was sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from server.notifications.writes import Delivery
from server.tables import Activity, BudgetAlert, Notification, OutboxMail, Project
from tests.conftest import Agency
from tests.factories import add_card, add_entry, today

QUIET = Delivery(bells=None, secret="test-secret", base_url="http://testserver")


async def set_budget(project_id: int, **values: Any) -> None:
    await Project.update({getattr(Project, k): v for k, v in values.items()}).where(Project.id == project_id)


async def log_on(agency: Agency, project_id: int, minutes: int, day: date | None = None) -> int:
    """max logs `minutes` on a new card of the project, from 00:05 on `day` (today)."""
    task = await add_card(project_id, "Work")
    await add_entry(task, agency.max, datetime.combine(day or today(), time(0, 5), tzinfo=UTC), minutes)
    return task


async def alerts_of(person_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Notification.select()
        .where((Notification.recipient == person_id) & (Notification.kind == "budget_alert"))
        .order_by(Notification.id)
        .output(load_json=True)
    )
    return rows


async def alert_rows(project_id: int) -> list[tuple[str, int]]:
    rows = await BudgetAlert.select(BudgetAlert.kind, BudgetAlert.threshold).where(BudgetAlert.project == project_id)
    return sorted((r["kind"], r["threshold"]) for r in rows)


async def history_of(project_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
        await Activity.select(Activity.seq, Activity.verb, Activity.actor, Activity.data)
        .where((Activity.project == project_id) & (Activity.verb == "budget_alert"))
        .output(load_json=True)
    )
    return rows


async def mails_to(person_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await OutboxMail.select().where(
        (OutboxMail.recipient == person_id) & (OutboxMail.kind == "budget_alert")
    )
    return rows
