"""A summary's cost and margin (issue 16), worked out when its result is computed and kept in it
(`result["costs"]`), so that a later change of a cost rate or a fee never rewrites what a finalised
summary said. Only the agency's admins read them: the client's copy drops them
(rules.shared_summaries).

Per (project, person) line of the result: the revenue (the billable amount, or for a fixed-fee
project its fee for the period shared by hours), the minutes at the person's cost rate, and why a
cost is unknown (no cost rate, or one in another currency than the client's: never converted)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from server.accounts.store import cost_rates_of
from server.rules.burn import BudgetPeriod
from server.rules.margin import NO_RATE, Figures, Shown, allocate, cost_of, fee_revenue, shown, summed, to_minor
from server.rules.money import digits, money_text, rate_text
from server.tables import EntryRollupDay, Project

VERSION = 1


async def fixed_fees(project_ids: set[int]) -> dict[int, tuple[Decimal, BudgetPeriod]]:
    """The fixed-fee projects among these, with their fee and what it covers."""
    found: dict[int, tuple[Decimal, BudgetPeriod]] = {}
    ordered = sorted(project_ids)
    for i in range(0, len(ordered), 500):  # SQLite's limit on bound values, with room to spare
        rows = await Project.select(Project.id, Project.fixed_fee, Project.budget_period).where(
            Project.id.is_in(ordered[i : i + 500]) & Project.fixed_fee.is_not_null()
        )
        for row in rows:
            found[int(row["id"])] = (Decimal(row["fixed_fee"]), BudgetPeriod.of(row["budget_period"]))
    return found


async def _all_minutes(project_ids: list[int]) -> dict[int, int]:
    """Every minute logged on these projects so far (the rollup's project days): what a whole-project
    fee is shared over."""
    if not project_ids:
        return {}
    marks = ", ".join("{}" for _ in project_ids)
    rows = await EntryRollupDay.raw(
        "SELECT project, CAST(SUM(minutes) AS BIGINT) AS minutes FROM entry_rollup_project_day"
        f" WHERE project IN ({marks}) GROUP BY project",
        *project_ids,
    )
    return {int(r["project"]): int(r["minutes"] or 0) for r in rows}


async def costs_for(
    rate_rows: list[dict[str, Any]], currency_of: dict[int, str], start: date, end: date
) -> dict[str, Any]:
    """The `costs` of a result over [start, end], from its (project, person) groups (minutes in
    `total`, the amount in minor units)."""
    rates = await cost_rates_of({int(r["person_id"]) for r in rate_rows})
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rate_rows:
        by_project[int(row["project_id"])].append(row)
    fees = await fixed_fees(set(by_project))
    shared = await _all_minutes(sorted(pid for pid, (_fee, period) in fees.items() if period is BudgetPeriod.PROJECT))
    lines, fee_lines = [], []
    for project_id, unordered in sorted(by_project.items()):
        rows = sorted(unordered, key=lambda r: int(r["person_id"]))  # the same lines whichever way they were read
        currency = currency_of[project_id]
        places = digits(currency)
        if project_id in fees:
            fee, period = fees[project_id]
            minutes = sum(int(r["total"]) for r in rows)
            revenue = fee_revenue(
                to_minor(fee, currency),
                period,
                start,
                end,
                minutes=minutes,
                project_minutes=max(shared.get(project_id, 0), minutes),
            )
            shares = allocate(revenue, [int(r["total"]) for r in rows])
            fee_lines.append(
                {
                    "project_id": project_id,
                    "fee": money_text(to_minor(fee, currency), places),
                    "period": period.value,
                    "revenue": money_text(revenue, places),
                }
            )
        else:
            shares = [int(r["amount"]) for r in rows]
        for row, share in zip(rows, shares, strict=True):
            rate = rates.get(int(row["person_id"]), NO_RATE)
            cost = cost_of(int(row["total"]), rate, currency)
            why = rate.unknown_in(currency)
            lines.append(
                {
                    "project_id": project_id,
                    "person_id": int(row["person_id"]),
                    "currency": currency,
                    "minutes": int(row["total"]),
                    "revenue": money_text(share, places),
                    "cost": None if cost is None else money_text(cost, places),
                    "cost_rate": rate_text(None if rate.amount is None else rate.cents),
                    "cost_currency": rate.currency or None,
                    "unknown": None if why is None else why.value,
                }
            )
    return {"version": VERSION, "lines": lines, "fixed_fees": fee_lines}


# ---- what the summary page shows of them ---------------------------------------------------------


def _figures(line: dict[str, Any]) -> Figures:
    currency = line["currency"]
    cost = line.get("cost")
    return Figures(
        int(line["minutes"]),
        to_minor(Decimal(str(line["revenue"])), currency),
        None if cost is None else to_minor(Decimal(str(cost)), currency),
    )


def margins_of(result: dict[str, Any]) -> dict[str, Any] | None:
    """A stored result's cost and margin per project (by id) and per person (by id: one per
    currency they worked in), as the summary page shows them; None for a result computed before
    costs were kept."""
    costs = result.get("costs")
    if not isinstance(costs, dict):
        return None
    by_project: dict[int, list[Figures]] = defaultdict(list)
    by_person: dict[int, dict[str, list[Figures]]] = defaultdict(lambda: defaultdict(list))
    currency_of: dict[int, str] = {}
    for line in costs.get("lines", []):
        figures = _figures(line)
        by_project[int(line["project_id"])].append(figures)
        by_person[int(line["person_id"])][line["currency"]].append(figures)
        currency_of[int(line["project_id"])] = line["currency"]
    projects: dict[int, Shown] = {pid: shown(summed(parts), currency_of[pid]) for pid, parts in by_project.items()}
    people: dict[int, list[tuple[str, Shown]]] = {
        pid: [(currency, shown(summed(parts), currency)) for currency, parts in sorted(currencies.items())]
        for pid, currencies in by_person.items()
    }
    unknown = sorted({line["person_id"] for line in costs.get("lines", []) if line.get("unknown")})
    fees = {int(f["project_id"]): f for f in costs.get("fixed_fees", [])}
    return {"projects": projects, "people": people, "unknown_people": unknown, "fees": fees}
