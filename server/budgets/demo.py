"""The demo agency's budgets, set from the hours the demo logged so that, whatever the day, the
overview shows one project healthy (the website), one at risk (the app) and one over (the brand book)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from server.budgets.store import used_by_project
from server.rules.burn import BudgetPeriod, month_of
from server.tables import Project


async def seed_budgets(web: int, brand: int, app: int, today: date) -> None:
    used = await used_by_project([web, brand, app], month_of(today)[0])

    def hours(project: int) -> int:
        return int((used.get(project) or {}).get("minutes") or 0) // 60

    def first_day(project: int) -> date:
        value = (used.get(project) or {}).get("first_day")
        return date.fromisoformat(str(value)[:10]) if value is not None else today

    # Healthy: a monthly retainer with plenty left (twice this month's pace, at least 40 h), which last
    # month's hours fitted in too (a fifth to spare: the monthly client report of last month is healthy).
    month = int((used.get(web) or {}).get("month_minutes") or 0) // 60
    pace = month * 31 // max(today.day, 1)
    last_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = await used_by_project([web], last_start, until=today.replace(day=1) - timedelta(days=1))
    last_month = int((last.get(web) or {}).get("month_minutes") or 0) // 60
    retainer = max(40, 2 * pace, (last_month * 5 // 4 + 9) // 10 * 10)
    await Project.update({Project.budget_hours: retainer, Project.budget_period: BudgetPeriod.MONTHLY.value}).where(
        Project.id == web
    )
    # Over: the brand book has used a fifth more than its hours and money budgets.
    spent = max(hours(brand), 1)
    await Project.update(
        {
            Project.budget_hours: max(spent * 5 // 6, 0),
            Project.budget_amount: Decimal(max(spent * 5 // 6, 0) * 110),
            Project.budget_period: BudgetPeriod.PROJECT.value,
        }
    ).where(Project.id == brand)
    # Its margin is thin: the brand book was sold for a fixed fee of about €55 for each hour it took,
    # and an hour of Mia's costs the agency €48 (the website, billed by the hour, earns well).
    await Project.update({Project.fixed_fee: Decimal(max(round(spent * 55, -2), 100))}).where(Project.id == brand)
    # At risk: the app's budget ends in six weeks; at today's pace it is spent well before that.
    start = first_day(app)
    ends_on = today + timedelta(weeks=6)
    elapsed, days = (today - start).days + 1, (ends_on - start).days + 1
    forecast = hours(app) * days // max(elapsed, 1)
    budget = max((hours(app) + forecast) // 2, hours(app) + 1)
    await Project.update(
        {
            Project.budget_hours: budget,
            Project.budget_period: BudgetPeriod.PROJECT.value,
            Project.budget_ends_on: ends_on,
        }
    ).where(Project.id == app)
