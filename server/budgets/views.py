"""The budgets overview's lines as pages write them: each budget's burn in words and a bar, each
line's revenue, cost and margin, formatted once in Python (the overview, its live lines and a
project's detail page)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from server.budgets.charts import burn_bar
from server.budgets.margin_store import LineMargin, Missing, line_margins
from server.budgets.store import ProjectBurn
from server.kernel.i18n import _, day, money, number
from server.rules.burn import Burn, Risk


def status_label(risk: Risk) -> str:
    if risk is Risk.OVER:
        return _("Over budget")
    if risk is Risk.AT_RISK:
        return _("At risk")
    return _("Healthy") if risk is Risk.HEALTHY else ""


def _hours(minutes: int) -> str:
    return number(round(Decimal(minutes) / 60, 1))


def burn_words(line: ProjectBurn, item: Burn, text: str, forecast: str) -> dict[str, Any]:
    """One budget's burn as a page shows it, from its "used of budget" and its forecast as written:
    the percent, the forecast and the day it runs out, the bar; the overview's lines and a project's
    detail page."""
    title = _("%(used)s; forecast %(forecast)s", used=text, forecast=forecast)
    runs_out = day(item.runs_out_on) if item.runs_out_on and item.risk is Risk.AT_RISK else ""
    return {
        "text": text,
        "percent": item.used_percent,
        "forecast": forecast,
        "forecast_text": _("Forecast: %(f)s", f=forecast),
        "runs_out_on": runs_out,
        "runs_out_text": _("runs out %(day)s", day=runs_out) if runs_out else "",
        "bar": burn_bar(item, title=title, show_elapsed=line.ends),
        "alarm": item.risk in (Risk.AT_RISK, Risk.OVER),
        "risk": item.risk.value,
    }


def _figures(line: ProjectBurn, item: Burn, *, in_hours: bool) -> dict[str, Any]:
    """One budget's figures as an overview line shows them: hours to a tenth ("12.5 of 40 h")."""
    if in_hours:
        used, budget, forecast = (_hours(v) for v in (item.used, item.budget or 0, item.forecast))
        return burn_words(line, item, _("%(used)s of %(budget)s h", used=used, budget=budget), _("%(n)s h", n=forecast))
    used, budget, forecast = (
        money(line.amount(v), line.currency) for v in (item.used, item.budget or 0, item.forecast)
    )
    return burn_words(line, item, _("%(used)s of %(budget)s", used=used, budget=budget), forecast)


def labels() -> dict[str, str]:
    """The overview's fixed words, translated once for the page rather than once per line (a page of
    200 projects asked the catalogue for them 4,000 times)."""
    return {
        "project": _("Project"),
        "period": _("Period"),
        "hours": _("Hours"),
        "money": _("Money"),
        "elapsed": _("Elapsed"),
        "status": _("Status"),
        "revenue": _("Revenue"),
        "cost": _("Cost"),
        "margin": _("Margin"),
        "monthly_report": _("Monthly report"),
        "fixed_fee": _("fixed fee"),
        "cost_unknown": _("cost unknown"),
        "per_task": _("Margin per task and per person"),
    }


def missing_text(missing: list[Missing], currency: str) -> str:
    """Why some hours have no cost: each person's reason (the overview's lines and the detail page)."""
    parts = []
    for m in missing:
        if m.why == "other_currency":
            text = _("%(name)s's cost rate is in %(theirs)s, not %(currency)s", name=m.name, theirs=m.currency,
                     currency=currency)  # fmt: skip
        else:
            text = _("%(name)s has no cost rate", name=m.name)
        parts.append(text)
    return "; ".join(parts)


def margin_view(margin: LineMargin | None) -> dict[str, Any] | None:
    """A line's revenue, cost and margin as its cells show them (formatted here, once)."""
    if margin is None:
        return None
    s, currency = margin.shown, margin.currency
    return {
        "revenue": money(s.revenue, currency),
        "rate": _("%(rate)s / h", rate=money(s.rate, currency)) if s.rate is not None else "",
        "cost": money(s.cost, currency) if s.cost is not None else "—",
        "margin": money(s.margin, currency) if s.margin is not None else "—",
        "percent": f"{number(s.percent)} %" if s.percent is not None else "",
        "health": s.health,
        "fixed_fee": margin.fixed_fee,
        "missing": missing_text(margin.missing, currency) if margin.missing else "",
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
        "status": status_label(worst.risk),
    }


async def views_of(lines: list[ProjectBurn], today: date) -> list[dict[str, Any]]:
    """The lines as the page draws them: the whole overview, or one line fetched again live."""
    margins = await line_margins(lines, today)  # revenue, cost and margin (issue 16): admins' figures
    return [{**line_view(line), "margin": margin_view(margins.get(line.id))} for line in lines]
