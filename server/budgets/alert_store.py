"""Reads for budget alerts, the project's banner and the client's budget view: chosen projects' burn
in their current period (as the overview computes it: budgets.store), with their alert thresholds
and client settings, and the alerts already sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.budgets.store import ProjectBurn, burn_columns, lines_of
from server.rules.visibility import shows_client_budget
from server.tables import BudgetAlert, Project

# (project, budget kind, period start): the thresholds already alerted
Sent = dict[tuple[int, str, date], set[int]]


async def budgeted(project_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Active projects with an hours or a money budget (all, or these), with what alerts and the
    client's view need besides the burn."""
    query = (
        Project.select(
            *burn_columns(),
            Project.client,
            Project.shared_with_client,
            Project.budget_thresholds,
            Project.client_sees_budget,
            Project.client.id.as_alias("client_id"),
        )
        .where(Project.archived.eq(False))
        .where(Project.budget_hours.is_not_null() | Project.budget_amount.is_not_null())
        .where(Project.client._.archived.eq(False))
    )
    if project_ids is not None:
        query = query.where(Project.id.is_in(list(project_ids) or [0]))
    rows: list[dict[str, Any]] = await query.order_by(Project.id)
    return rows


async def burns_of(project_ids: Iterable[int] | None, today: date) -> list[tuple[dict[str, Any], ProjectBurn]]:
    """Each budgeted project (all, or these) with its burn in its current period: two queries."""
    projects = await budgeted(project_ids)
    return list(zip(projects, await lines_of(projects, today), strict=True))


async def sent_alerts(project_ids: Iterable[int]) -> Sent:
    """The thresholds already alerted, per project, budget kind and period: one query."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = await BudgetAlert.select(
        BudgetAlert.project, BudgetAlert.kind, BudgetAlert.period_start, BudgetAlert.threshold
    ).where(BudgetAlert.project.is_in(ids))
    sent: Sent = {}
    for row in rows:
        sent.setdefault((int(row["project"]), row["kind"], _day(row["period_start"])), set()).add(int(row["threshold"]))
    return sent


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ClientBudget:
    """What a client's people see of a project's budget, where the project shows it to them: hours
    used against the hours budget in its current period, and how much of the period has passed.
    Never money: nothing here is an amount, a rate or a cost."""

    used_minutes: int
    budget_minutes: int
    used_percent: int
    monthly: bool
    ends: bool  # the period has an end, so its elapsed share means something
    end: date
    elapsed_percent: int


async def client_budgets(project_ids: Iterable[int], today: date) -> dict[int, ClientBudget]:
    """The client's view of each of these projects' hours budget, for those that show it to them."""
    found = {}
    for project, line in await burns_of(project_ids, today):
        if not shows_client_budget(project) or line.hours is None:
            continue
        hours = line.hours
        found[line.id] = ClientBudget(
            used_minutes=hours.used,
            budget_minutes=int(hours.budget or 0),
            used_percent=hours.used_percent,
            monthly=line.monthly,
            ends=line.ends,
            end=line.end,
            elapsed_percent=hours.elapsed_percent,
        )
    return found
