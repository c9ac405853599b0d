"""The budgets overview (/budgets, the agency's admins): every active project with a budget, one line
each, worst first or by name, with a small burn bar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from server.budgets.charts import burn_bar
from server.budgets.store import ProjectBurn, budget_lines
from server.kernel.access import admin_only
from server.kernel.i18n import _, day, money, number
from server.kernel.web import render, today_of
from server.rules.burn import Burn, Risk

SORTS = ("risk", "name")


def status_labels() -> dict[Risk, str]:
    return {Risk.OVER: _("Over budget"), Risk.AT_RISK: _("At risk"), Risk.HEALTHY: _("Healthy"), Risk.NO_BUDGET: ""}


def _hours(minutes: int) -> str:
    return number(round(Decimal(minutes) / 60, 1))


def _figures(line: ProjectBurn, item: Burn, *, in_hours: bool) -> dict[str, Any]:
    """One budget's figures as the line shows them: used of budget, forecast, the bar."""
    if in_hours:
        used, budget, forecast = (_hours(v) for v in (item.used, item.budget or 0, item.forecast))
        text = _("%(used)s of %(budget)s h", used=used, budget=budget)
        forecast_text = _("%(n)s h", n=forecast)
    else:
        used, budget, forecast = (
            money(line.amount(v), line.currency) for v in (item.used, item.budget or 0, item.forecast)
        )
        text = _("%(used)s of %(budget)s", used=used, budget=budget)
        forecast_text = forecast
    title = _("%(used)s; forecast %(forecast)s", used=text, forecast=forecast_text)
    return {
        "text": text,
        "percent": item.used_percent,
        "forecast": forecast_text,
        "runs_out_on": day(item.runs_out_on) if item.runs_out_on and item.risk is Risk.AT_RISK else "",
        "bar": burn_bar(item, title=title, show_elapsed=line.ends),
        "alarm": item.risk in (Risk.AT_RISK, Risk.OVER),
    }


def line_view(line: ProjectBurn) -> dict[str, Any]:
    worst = line.worst
    return {
        "line": line,
        "hours": _figures(line, line.hours, in_hours=True) if line.hours else None,
        "money": _figures(line, line.money, in_hours=False) if line.money else None,
        "elapsed": f"{worst.elapsed_percent} %" if line.ends else "",
        "period": _("This month")
        if line.monthly
        else (_("Until %(day)s", day=day(line.end)) if line.ends else _("Whole project")),
        "risk": worst.risk.value,
        "status": status_labels()[worst.risk],
    }


@get("/budgets", name="budgets", guards=[admin_only])
async def overview(request: Request[Any, Any, Any], sort: FromQuery[str] = "risk") -> Template:
    sort = sort if sort in SORTS else "risk"
    lines = await budget_lines(today_of(request), sort=sort)
    return render(request, "budgets/index.html", lines=[line_view(line) for line in lines], sort=sort)


ROUTES = [overview]
