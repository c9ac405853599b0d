"""Reads for the budgets overview: each active project with a budget, what it has used in its current
period (from the entry rollup's person months and project days, never the entries themselves) and
its burn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from server.kernel.db import among
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
    fixed_fee: Decimal | None = None

    @cached_property
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
        Project.fixed_fee,
        Project.client.name.as_alias("client_name"),
        Project.client.currency.as_alias("currency"),
    )


# What a budget's period used, from the rollup's person months (the FROM is theirs): in all, and from
# the month's first day bound twice; and a project's first day by index (the project is `p`).
USED_SUMS = """CAST(SUM(minutes) AS BIGINT) AS minutes, CAST(SUM(amount) AS BIGINT) AS amount,
  CAST(SUM(CASE WHEN month >= {} THEN minutes ELSE 0 END) AS BIGINT) AS month_minutes,
  CAST(SUM(CASE WHEN month >= {} THEN amount ELSE 0 END) AS BIGINT) AS month_amount"""
FIRST_DAY = "(SELECT d.day FROM entry_rollup_project_day d WHERE d.project = p.id ORDER BY d.day LIMIT 1)"

OVERVIEW = f"""WITH p AS (
  SELECT project.id, project.key, project.name, project.budget_hours, project.budget_amount, project.budget_period,
    project.budget_ends_on, project.created_at, project.fixed_fee,
    client.name AS client_name, client.currency AS currency, client.id AS client_id
  FROM project JOIN client ON client.id = project.client
  WHERE project.archived = {{}} AND client.archived = {{}}
    AND (project.budget_hours IS NOT NULL OR project.budget_amount IS NOT NULL)),
used AS (
  SELECT project, {USED_SUMS}
  FROM entry_rollup_person_month
  WHERE project IN (SELECT id FROM p WHERE budget_period <> {{}})
    OR (month >= {{}} AND project IN (SELECT id FROM p WHERE budget_period = {{}}))
  GROUP BY project)
SELECT p.*, u.minutes, u.amount, u.month_minutes, u.month_amount,
  CASE WHEN p.budget_period = {{}} THEN NULL ELSE {FIRST_DAY} END AS first_day
FROM p LEFT JOIN used u ON u.project = p.id"""


async def overview_rows(today: date) -> list[dict[str, Any]]:
    """Every active project with an hours or a money budget, with its client's name and currency
    and what its budget period has used (the columns of burn_columns and of used_by_project): a
    retainer's rows of this month only, a whole-project budget's every month and its first day.
    One statement, for the overview's 200 lines (a query for the projects and another for their
    use cost a round trip and Piccolo's building of a select, a fifth of the page's time)."""
    month_start, monthly = month_of(today)[0], BudgetPeriod.MONTHLY.value
    return await Project.raw(OVERVIEW, False, False, month_start, month_start, monthly, month_start, monthly, monthly)


async def used_by_project(
    project_ids: list[int], month_start: date, until: date | None = None
) -> dict[int, dict[str, Any]]:
    """Per project: minutes and billable amount (minor units) in all and since `month_start` (a
    month's first day), and the first day anything was logged. From the rollup's person months (a
    few rows a project and month; its project days were fifty thousand rows a year for the
    overview to add up) and the first of the project's days, through their index: one query.
    `until`: only days up to it (a past month's report reads the budget as it stood at the
    month's end), from the project days."""
    if not project_ids:
        return {}
    if until is not None:
        return await _used_until(project_ids, month_start, until)
    engine = EntryRollupDay._meta.db
    in_used, used_ids = among("project", project_ids, engine)
    in_firsts, first_ids = among("p.id", project_ids, engine)
    rows = await EntryRollupDay.raw(
        f"WITH used AS (SELECT project, {USED_SUMS} FROM entry_rollup_person_month WHERE {in_used} GROUP BY project),"
        f" firsts AS MATERIALIZED (SELECT p.id AS project, {FIRST_DAY} AS first_day FROM project p WHERE {in_firsts})"
        " SELECT u.*, f.first_day FROM used u JOIN firsts f ON f.project = u.project",
        month_start,
        month_start,
        *used_ids,
        *first_ids,
    )
    return {int(r["project"]): r for r in rows}


async def _used_until(project_ids: list[int], month_start: date, until: date) -> dict[int, dict[str, Any]]:
    if not project_ids:
        return {}
    marks = ", ".join("{}" for _ in project_ids)
    rows = await EntryRollupDay.raw(
        "SELECT project, MIN(day) AS first_day,"
        " SUM(minutes) AS minutes, SUM(amount) AS amount,"
        " SUM(CASE WHEN day >= {} THEN minutes ELSE 0 END) AS month_minutes,"
        " SUM(CASE WHEN day >= {} THEN amount ELSE 0 END) AS month_amount"
        f" FROM entry_rollup_project_day WHERE project IN ({marks}) AND day <= {{}} GROUP BY project",
        month_start,
        month_start,
        *project_ids,
        until,
    )
    return {int(r["project"]): r for r in rows}


def decimal_of(value: Any) -> Decimal:
    """A Numeric as Piccolo reads it (Decimal), or from raw SQL on SQLite (a number or text)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


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
        budget_minor = int(decimal_of(project["budget_amount"]).scaleb(digits(currency)))
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
        fixed_fee=decimal_of(project["fixed_fee"]) if project.get("fixed_fee") is not None else None,
    )


async def lines_of(projects: list[dict[str, Any]], today: date) -> list[ProjectBurn]:
    """These projects' lines (read with burn_columns): one query."""
    used = await used_by_project([int(p["id"]) for p in projects], month_of(today)[0])
    return [project_burn(p, used.get(int(p["id"])), today) for p in projects]


async def budget_lines(today: date, *, sort: str = "risk") -> list[ProjectBurn]:
    """Every active project with a budget, one line each, worst first (or by name)."""
    lines = [project_burn(row, row, today) for row in await overview_rows(today)]
    lines = [line for line in lines if line.hours is not None or line.money is not None]
    if sort == "name":
        return sorted(lines, key=lambda line: (line.name.casefold(), line.key))
    return sorted(lines, key=lambda line: (risk_key(line.worst), line.name.casefold()))
