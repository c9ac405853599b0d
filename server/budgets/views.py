"""The budgets overview's lines as pages write them: each budget's burn in words and a bar, each
line's revenue, cost and margin, formatted once in Python (the overview, its live lines and a
project's detail page). A page of 200 lines is a thousand numbers and amounts: the words and
patterns are translated once a page (`Words`), and the views are slotted objects, which Jinja
reads faster than dicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from server.budgets.charts import burn_bar
from server.budgets.margin_store import LineMargin, Missing, line_margins
from server.budgets.store import ProjectBurn
from server.kernel.i18n import _, day, money, number
from server.rules.burn import Burn, Risk


@dataclass(frozen=True, slots=True)
class Words:
    """The overview's fixed words and its patterns, translated once for the page rather than once
    per line (a page of 200 projects asked the catalogue 4,000 times)."""

    project: str
    period: str
    hours: str
    money: str
    elapsed: str
    status: str
    revenue: str
    cost: str
    margin: str
    monthly_report: str
    fixed_fee: str
    cost_unknown: str
    per_task: str
    this_month: str
    whole_project: str
    until: str  # %(day)s
    used_of: str  # %(used)s %(budget)s
    used_of_hours: str  # %(used)s %(budget)s
    n_hours: str  # %(n)s
    titled: str  # %(used)s %(forecast)s
    forecast: str  # %(f)s
    runs_out: str  # %(day)s
    per_hour: str  # %(rate)s
    statuses: dict[Risk, str]


def words() -> Words:
    return Words(
        project=_("Project"),
        period=_("Period"),
        hours=_("Hours"),
        money=_("Money"),
        elapsed=_("Elapsed"),
        status=_("Status"),
        revenue=_("Revenue"),
        cost=_("Cost"),
        margin=_("Margin"),
        monthly_report=_("Monthly report"),
        fixed_fee=_("fixed fee"),
        cost_unknown=_("cost unknown"),
        per_task=_("Margin per task and per person"),
        this_month=_("This month"),
        whole_project=_("Whole project"),
        until=_("Until %(day)s"),
        used_of=_("%(used)s of %(budget)s"),
        used_of_hours=_("%(used)s of %(budget)s h"),
        n_hours=_("%(n)s h"),
        titled=_("%(used)s; forecast %(forecast)s"),
        forecast=_("Forecast: %(f)s"),
        runs_out=_("runs out %(day)s"),
        per_hour=_("%(rate)s / h"),
        statuses={Risk.OVER: _("Over budget"), Risk.AT_RISK: _("At risk"), Risk.HEALTHY: _("Healthy")},
    )


@dataclass(frozen=True, slots=True)
class BurnView:
    """One budget's burn as a page shows it."""

    text: str  # "12.5 of 40 h"
    percent: int
    forecast: str
    forecast_text: str
    runs_out_on: str  # the day, written; "" unless at risk of running out
    runs_out_text: str
    bar: Markup
    alarm: bool
    risk: str
    label: str = ""  # the detail page's "Hours" or "Money"


@dataclass(frozen=True, slots=True)
class MarginView:
    """A line's revenue, cost and margin as its cells show them."""

    revenue: str
    rate: str
    cost: str
    margin: str
    percent: str
    health: str
    fixed_fee: bool
    missing: str  # why some hours have no cost; "" when all have one


@dataclass(frozen=True, slots=True)
class LineView:
    """One overview line as the template draws it."""

    id: int
    key: str
    name: str
    client_name: str
    client_id: int
    period: str
    hours: BurnView | None
    money: BurnView | None
    elapsed: str
    risk: str
    status: str
    margin: MarginView | None


def _hours(minutes: int) -> str:
    return number(round(Decimal(minutes) / 60, 1))


def burn_words(line: ProjectBurn, item: Burn, text: str, forecast: str, w: Words, label: str = "") -> BurnView:
    """One budget's burn as a page shows it, from its "used of budget" and its forecast as written:
    the percent, the forecast and the day it runs out, the bar; the overview's lines and a project's
    detail page."""
    runs_out = day(item.runs_out_on) if item.runs_out_on and item.risk is Risk.AT_RISK else ""
    return BurnView(
        text=text,
        percent=item.used_percent,
        forecast=forecast,
        forecast_text=w.forecast % {"f": forecast},
        runs_out_on=runs_out,
        runs_out_text=w.runs_out % {"day": runs_out} if runs_out else "",
        bar=burn_bar(item, title=w.titled % {"used": text, "forecast": forecast}, show_elapsed=line.ends),
        alarm=item.risk in (Risk.AT_RISK, Risk.OVER),
        risk=item.risk.value,
        label=label,
    )


def _figures(line: ProjectBurn, item: Burn, w: Words, *, in_hours: bool) -> BurnView:
    """One budget's figures as an overview line shows them: hours to a tenth ("12.5 of 40 h")."""
    if in_hours:
        used, budget, forecast = (_hours(v) for v in (item.used, item.budget or 0, item.forecast))
        text = w.used_of_hours % {"used": used, "budget": budget}
        return burn_words(line, item, text, w.n_hours % {"n": forecast}, w)
    used, budget, forecast = (
        money(line.amount(v), line.currency) for v in (item.used, item.budget or 0, item.forecast)
    )
    return burn_words(line, item, w.used_of % {"used": used, "budget": budget}, forecast, w)


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


def margin_view(margin: LineMargin | None, w: Words) -> MarginView | None:
    """A line's revenue, cost and margin as its cells show them (formatted here, once)."""
    if margin is None:
        return None
    s, currency = margin.shown, margin.currency
    return MarginView(
        revenue=money(s.revenue, currency),
        rate=w.per_hour % {"rate": money(s.rate, currency)} if s.rate is not None else "",
        cost=money(s.cost, currency) if s.cost is not None else "—",
        margin=money(s.margin, currency) if s.margin is not None else "—",
        percent=f"{number(s.percent)} %" if s.percent is not None else "",
        health=s.health,
        fixed_fee=margin.fixed_fee,
        missing=missing_text(margin.missing, currency) if margin.missing else "",
    )


def _period(line: ProjectBurn, w: Words) -> str:
    if line.monthly:
        return w.this_month
    return w.until % {"day": day(line.end)} if line.ends else w.whole_project


def line_view(line: ProjectBurn, margin: LineMargin | None, w: Words) -> LineView:
    worst = line.worst
    return LineView(
        id=line.id,
        key=line.key,
        name=line.name,
        client_name=line.client_name,
        client_id=line.client_id,
        period=_period(line, w),
        hours=_figures(line, line.hours, w, in_hours=True) if line.hours else None,
        money=_figures(line, line.money, w, in_hours=False) if line.money else None,
        elapsed=f"{worst.elapsed_percent} %" if line.ends else "",
        risk=worst.risk.value,
        status=w.statuses.get(worst.risk, ""),
        margin=margin_view(margin, w),
    )


async def views_of(lines: list[ProjectBurn], today: date, w: Words) -> list[LineView]:
    """The lines as the page draws them: the whole overview, or one line fetched again live."""
    margins = await line_margins(lines, today)  # revenue, cost and margin (issue 16): admins' figures
    return [line_view(line, margins.get(line.id), w) for line in lines]
