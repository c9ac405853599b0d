"""Reads for the budgets overview: each active project with a budget, what it has used in its current
period (from the entry rollup's project days, never the entries themselves) and its burn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from server.rules.burn import BudgetPeriod, Burn, burn, month_of, risk_key
from server.rules.money import digits, from_minor
from server.tables import EntryRollupDay, Project


@dataclass(frozen=True)
class ProjectBurn:
    """One line of the overview: a project, its period and the burn of each budget it has."""

    id: int
    key: str
    name: str
    client_name: str
    currency: str
    monthly: bool
    ends: bool  # the period has a real end (a month, or the budget's end date): elapsed means something
    start: date
    end: date
    hours: Burn | None  # in minutes
    money: Burn | None  # in the currency's minor units
    client_id: int = 0  # for the client's monthly report

    @property
    def worst(self) -> Burn:
        """The budget closest to trouble: what the line's status and sort order follow."""
        burns = [b for b in (self.hours, self.money) if b is not None]
        return min(burns, key=risk_key)

    def amount(self, minor: int) -> Decimal:
        return from_minor(minor, digits(self.currency))


def burn_columns() -> tuple[Any, ...]:
    """What `project_burn` reads of a project: its budget, its first day, its client's name and currency."""
    return (
        Project.id,
        Project.key,
        Project.name,
        Project.budget_hours,
        Project.budget_amount,
        Project.budget_period,
        Project.budget_ends_on,
        Project.created_at,
        Project.client.name.as_alias("client_name"),
        Project.client.currency.as_alias("currency"),
    )


async def budgeted_projects() -> list[dict[str, Any]]:
    """Active projects with an hours or a money budget, with their client's name and currency."""
    return await (
        Project.select(*burn_columns(), Project.client.id.as_alias("client_id"))
        .where(Project.archived.eq(False))
        .where(Project.budget_hours.is_not_null() | Project.budget_amount.is_not_null())
        .where(Project.client._.archived.eq(False))
        .order_by(Project.name)
    )


async def used_by_project(
    project_ids: list[int], month_start: date, until: date | None = None
) -> dict[int, dict[str, Any]]:
    """Per project, from the rollup's project days: minutes and billable amount (minor units) in all
    and since `month_start`, and the first day anything was logged. One grouped query. `until`:
    only days up to it (a past month's report reads the budget as it stood at the month's end)."""
    if not project_ids:
        return {}
    marks = ", ".join("{}" for _ in project_ids)
    upto, bound = (" AND day <= {}", [until]) if until is not None else ("", [])
    rows = await EntryRollupDay.raw(
        "SELECT project, MIN(day) AS first_day,"
        " SUM(minutes) AS minutes, SUM(amount) AS amount,"
        " SUM(CASE WHEN day >= {} THEN minutes ELSE 0 END) AS month_minutes,"
        " SUM(CASE WHEN day >= {} THEN amount ELSE 0 END) AS month_amount"
        f" FROM entry_rollup_project_day WHERE project IN ({marks}){upto} GROUP BY project",
        month_start,
        month_start,
        *project_ids,
        *bound,
    )
    return {int(r["project"]): r for r in rows}


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()  # created_at, in UTC: a day early or late does not move a project's burn
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def project_burn(project: dict[str, Any], used: dict[str, Any] | None, today: date) -> ProjectBurn:
    """A project's line: a monthly budget burns over this calendar month; a whole-project budget
    from its first day to its end date (without one, to today: its forecast is what it has used)."""
    used = used or {}
    monthly = BudgetPeriod.of(project["budget_period"]) is BudgetPeriod.MONTHLY
    if monthly:
        start, end = month_of(today)
        minutes, minor = int(used.get("month_minutes") or 0), int(used.get("month_amount") or 0)
    else:
        created = _day(project["created_at"])
        first = _day(used["first_day"]) if used.get("first_day") is not None else created
        start = min(created, first, today)
        end = max(_day(project["budget_ends_on"]), start) if project.get("budget_ends_on") else today
        minutes, minor = int(used.get("minutes") or 0), int(used.get("amount") or 0)
    currency = str(project["currency"] or "")
    hours = None
    if project["budget_hours"] is not None:
        hours = burn(minutes, int(project["budget_hours"]) * 60, start, end, today)
    money = None
    if project["budget_amount"] is not None and currency:
        budget_minor = int(Decimal(project["budget_amount"]).scaleb(digits(currency)))
        money = burn(minor, budget_minor, start, end, today)
    return ProjectBurn(
        id=int(project["id"]),
        key=str(project["key"]),
        name=str(project["name"]),
        client_name=str(project["client_name"]),
        currency=currency,
        monthly=monthly,
        ends=monthly or bool(project.get("budget_ends_on")),
        start=start,
        end=end,
        hours=hours,
        money=money,
        client_id=int(project.get("client_id") or 0),
    )


async def budget_lines(today: date, *, sort: str = "risk") -> list[ProjectBurn]:
    """Every active project with a budget, one line each, worst first (or by name)."""
    projects = await budgeted_projects()
    used = await used_by_project([int(p["id"]) for p in projects], month_of(today)[0])
    lines = [project_burn(p, used.get(int(p["id"])), today) for p in projects]
    lines = [line for line in lines if line.hours is not None or line.money is not None]
    if sort == "name":
        return sorted(lines, key=lambda line: (line.name.casefold(), line.key))
    return sorted(lines, key=lambda line: (risk_key(line.worst), line.name.casefold()))
