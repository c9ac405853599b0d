"""Reads for revenue, cost and margin (admins only): each overview line's for its budget period,
and one project's per task and per person for a period (the budget detail page). Minutes and
amounts come from the entry rollup (its person months for the overview, its day rows for a
project's tasks and people), never from the entries themselves; cost is those minutes at each
person's cost rate today (rules.margin)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from server.billing.summary_store import rows_by_id
from server.budgets.store import ProjectBurn, burn_columns, decimal_of, project_burn, used_by_project
from server.kernel.db import among
from server.rules.burn import BudgetPeriod, month_of
from server.rules.margin import (
    CostRate,
    CostUnknown,
    Figures,
    MarginSort,
    Shown,
    allocate,
    cost_of,
    fee_revenue,
    shown,
    sort_key,
    summed,
    to_minor,
)
from server.tables import EntryRollup, EntryRollupPersonMonth, Project, Task, User


@dataclass(frozen=True)
class Missing:
    """A person whose hours have no cost in the client's currency, and why."""

    person_id: int
    name: str
    why: CostUnknown
    currency: str  # their cost rate's ("" without one)


@dataclass(frozen=True)
class LineMargin:
    """One project's revenue, cost and margin for a period, in its client's currency."""

    currency: str
    figures: Figures
    fixed_fee: bool
    missing: list[Missing] = field(default_factory=list)

    @property
    def shown(self) -> Shown:
        return shown(self.figures, self.currency)


def _as_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def fee_period(project: dict[str, Any]) -> BudgetPeriod:
    return BudgetPeriod.of(project["budget_period"])


def _missing(
    minutes_by_person: dict[int, int], rates: dict[int, CostRate], names: dict[int, str], currency: str
) -> list[Missing]:
    found = []
    for person, minutes in minutes_by_person.items():
        rate = rates.get(person)
        why = (rate or CostRate(None)).unknown_in(currency)
        if minutes > 0 and why is not None:
            found.append(Missing(person, names.get(person, "?"), why, rate.currency if rate else ""))
    return sorted(found, key=lambda m: (m.name.casefold(), m.person_id))


def _cost(minutes_by_person: dict[int, int], rates: dict[int, CostRate], currency: str) -> int | None:
    total: int | None = 0
    for person, minutes in minutes_by_person.items():
        part = cost_of(minutes, rates.get(person), currency) if minutes else 0
        total = None if total is None or part is None else total + part
    return total


def cost_rate_of(row: dict[str, Any]) -> CostRate:
    """A person's cost rate from a raw row with their cost_rate and cost_currency."""
    amount = row["cost_rate"]
    return CostRate(None if amount is None else decimal_of(amount), row["cost_currency"] or "")


async def people_of(person_ids: Iterable[int]) -> tuple[dict[int, CostRate], dict[int, str]]:
    """These people's cost rates and names, in one read."""
    rows = await rows_by_id(User, set(person_ids), User.name, User.cost_rate, User.cost_currency)
    rates = {pid: CostRate(row["cost_rate"], row["cost_currency"] or "") for pid, row in rows.items()}
    return rates, {pid: str(row["name"]) for pid, row in rows.items()}


def in_periods(
    project_ids: list[int], monthly: Collection[int], month_start: date, engine: Any
) -> tuple[str, list[Any]]:
    """SQL for the person-month rows that these projects' budget periods read, and its arguments:
    every month of a project, but only this month (from `month_start`) of those in `monthly`. A
    retainer's overview line reads one month, not its year."""
    whole = [p for p in project_ids if p not in monthly]
    retainers = [p for p in project_ids if p in monthly]
    parts, args = [], []
    if whole:
        sql, ids = among("project", whole, engine)
        parts.append(sql)
        args += ids
    if retainers:
        sql, ids = among("project", retainers, engine)
        parts.append(f"({sql} AND month >= {{}})")
        args += [*ids, month_start]
    return "(" + (" OR ".join(parts) or "1 = 0") + ")", args


async def _person_months(lines: list[ProjectBurn], month_start: date) -> list[dict[str, Any]]:
    """Per line's project and person, from the rollup's person months: minutes and amount in the
    line's budget period (this month of a retainer, every month of a whole-project budget), with
    the person's name and cost rate. One query."""
    monthly = {line.id for line in lines if line.monthly}
    rows_read, args = in_periods([line.id for line in lines], monthly, month_start, EntryRollupPersonMonth._meta.db)
    return await EntryRollupPersonMonth.raw(
        "WITH used AS (SELECT project, person, CAST(SUM(minutes) AS BIGINT) AS minutes,"
        " CAST(SUM(amount) AS BIGINT) AS amount"
        f" FROM entry_rollup_person_month WHERE {rows_read} GROUP BY project, person)"
        " SELECT used.*, u.name, u.cost_rate, u.cost_currency FROM used JOIN users u ON u.id = used.person",
        *args,
    )


async def line_margins(lines: list[ProjectBurn], today: date) -> dict[int, LineMargin]:
    """Each overview line's revenue, cost and margin over its budget period (this month for a
    retainer, the whole project otherwise), by project id: one read."""
    if not lines:
        return {}
    rows = await _person_months(lines, month_of(today)[0])
    rates = {int(r["person"]): cost_rate_of(r) for r in rows}
    names = {int(r["person"]): str(r["name"]) for r in rows}
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_project[int(row["project"])].append(row)
    found = {}
    for line in lines:
        mine = by_project[line.id]
        minutes = {int(r["person"]): int(r["minutes"] or 0) for r in mine}
        period_minutes = sum(minutes.values())
        if line.fixed_fee is not None and line.currency:
            revenue = fee_revenue(
                to_minor(line.fixed_fee, line.currency),
                BudgetPeriod.MONTHLY if line.monthly else BudgetPeriod.PROJECT,
                line.start,
                line.end,
                minutes=period_minutes,
                project_minutes=period_minutes,  # a whole-project line's period is the whole project
                whole=not line.monthly,
            )
        else:
            revenue = sum(int(r["amount"] or 0) for r in mine)
        figures = Figures(period_minutes, revenue, _cost(minutes, rates, line.currency))
        found[line.id] = LineMargin(
            line.currency, figures, line.fixed_fee is not None, _missing(minutes, rates, names, line.currency)
        )
    return found


# ---- one project: per task and per person -------------------------------------------------------


class PeriodChoice(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    WHOLE = "whole"


@dataclass(frozen=True)
class MarginRow:
    """A task's or a person's line of the detail page."""

    id: int
    name: str
    key: str  # a task's ACME-12; "" for a person
    currency: str
    figures: Figures
    missing: list[Missing]

    @property
    def shown(self) -> Shown:
        return shown(self.figures, self.currency)


@dataclass
class ProjectMargins:
    project: dict[str, Any]
    burn: ProjectBurn
    choice: PeriodChoice
    start: date
    end: date
    total: LineMargin
    fee: Decimal | None
    tasks: list[MarginRow]
    people: list[MarginRow]


async def project_row(project_id: int) -> dict[str, Any]:
    """The project as project_burn reads it, with its client's name and currency and its fee."""
    row = await Project.select(*burn_columns(), Project.archived).where(Project.id == project_id).first()
    assert row is not None  # the caller loaded it through project_for
    return row


def default_choice(project: dict[str, Any]) -> PeriodChoice:
    """The project's budget period: this month for a retainer, else the whole project."""
    return PeriodChoice.THIS_MONTH if fee_period(project) is BudgetPeriod.MONTHLY else PeriodChoice.WHOLE


def period_of(choice: PeriodChoice, today: date, first_day: date) -> tuple[date, date]:
    if choice is PeriodChoice.THIS_MONTH:
        return month_of(today)
    if choice is PeriodChoice.LAST_MONTH:
        return month_of(today.replace(day=1) - timedelta(days=1))
    return min(first_day, today), today


async def _grid(project_id: int, start: date | None, end: date | None) -> list[dict[str, Any]]:
    """Minutes and amount per (person, task) of the project, from the rollup's day rows."""
    where = "project = {}" + (" AND day >= {} AND day <= {}" if start is not None else "")
    args: list[Any] = [project_id] + ([start, end] if start is not None else [])
    return await EntryRollup.raw(
        "SELECT person, task, CAST(SUM(minutes) AS BIGINT) AS minutes, CAST(SUM(amount) AS BIGINT) AS amount"
        f" FROM entry_rollup WHERE {where} GROUP BY person, task",
        *args,
    )


def _rows(
    cells: list[tuple[int, int, Figures]],
    by_task: bool,
    names: dict[int, tuple[str, str]],
    missing: list[Missing],
    sort: MarginSort,
    currency: str,
) -> list[MarginRow]:
    """Cells (person, task, figures) summed by task or by person, ordered by `sort`."""
    groups: dict[int, list[tuple[int, int, Figures]]] = defaultdict(list)
    for cell in cells:
        groups[cell[1] if by_task else cell[0]].append(cell)
    rows = []
    for key, group in groups.items():
        people = {c[0] for c in group}
        name, label = names.get(key, ("?", ""))
        rows.append(
            MarginRow(
                key, name, label, currency, summed(c[2] for c in group), [m for m in missing if m.person_id in people]
            )
        )
    return sorted(rows, key=lambda r: sort_key(sort, f"{r.key} {r.name}", r.figures))


async def project_margins(
    project_id: int, choice: PeriodChoice | None, today: date, sort: MarginSort
) -> ProjectMargins:
    """One project's burn, and its revenue, cost and margin per task and per person over a period."""
    project = await project_row(project_id)
    used = (await used_by_project([project_id], month_of(today)[0])).get(project_id)
    burn = project_burn(project, used, today)
    created = _as_day(project["created_at"])
    first = _as_day(used["first_day"]) if used and used.get("first_day") is not None else created
    choice = choice or default_choice(project)
    start, end = period_of(choice, today, min(first, created))
    grid = await _grid(project_id, *((None, None) if choice is PeriodChoice.WHOLE else (start, end)))
    currency = str(project["currency"] or "")
    rates, person_names = await people_of(int(r["person"]) for r in grid)
    minutes = sum(int(r["minutes"] or 0) for r in grid)
    fee = Decimal(project["fixed_fee"]) if project["fixed_fee"] is not None and currency else None
    if fee is not None:
        # a retainer's whole project counts this month's fee in full, as "this month" does
        fee_end = month_of(today)[1] if choice is PeriodChoice.WHOLE else end
        revenue = fee_revenue(
            to_minor(fee, currency),
            fee_period(project),
            start,
            fee_end,
            minutes=minutes,
            project_minutes=int((used or {}).get("minutes") or 0),
            whole=choice is PeriodChoice.WHOLE,
        )
        shares = allocate(revenue, [int(r["minutes"] or 0) for r in grid])
    else:
        revenue = sum(int(r["amount"] or 0) for r in grid)
        shares = [int(r["amount"] or 0) for r in grid]
    cells = [
        (
            int(r["person"]),
            int(r["task"]),
            Figures(
                int(r["minutes"] or 0), share, cost_of(int(r["minutes"] or 0), rates.get(int(r["person"])), currency)
            ),
        )
        for r, share in zip(grid, shares, strict=True)
    ]
    by_person: dict[int, int] = defaultdict(int)
    for person, _task, figures in cells:
        by_person[person] += figures.minutes
    missing = _missing(by_person, rates, person_names, currency)
    tasks = await rows_by_id(Task, {c[1] for c in cells}, Task.number, Task.title)
    task_names = {tid: (str(t["title"]), f"{project['key']}-{t['number']}") for tid, t in tasks.items()}
    total = Figures(minutes, revenue, summed(c[2] for c in cells).cost)
    return ProjectMargins(
        project=project,
        burn=burn,
        choice=choice,
        start=start,
        end=end,
        total=LineMargin(currency, total, fee is not None, missing),
        fee=fee,
        tasks=_rows(cells, True, task_names, missing, sort, currency),
        people=_rows(cells, False, {pid: (name, "") for pid, name in person_names.items()}, missing, sort, currency),
    )
