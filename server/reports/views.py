"""A monthly report as its pages show it, in the reader's language: the month's name, hours as
decimal hours, shares, the budgets' bars, money (the agency's copy only). The admin's page, the
client's portal, the print sheet and a link's public page all render `report/_sheet.html` from this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_skeleton
from markupsafe import Markup

from server.budgets.charts import burn_bar
from server.budgets.store import ProjectBurn
from server.kernel.i18n import _, current_locale, day, money, number, short_day
from server.reports.store import Report
from server.rules.burn import Risk
from server.rules.money import digits, from_minor
from server.rules.reports import Hours, Kind
from server.rules.weeks import local_day


def month_name(month: date) -> str:
    """ "November 2026", "tháng 11 năm 2026", "ноябрь 2026 г.", "2026年11月"."""
    return format_skeleton("yMMMM", month, locale=current_locale())


def hours(minutes: int) -> str:
    """Minutes as decimal hours, one decimal: "12.5 h"."""
    return _("%(n)s h", n=_hours_number(minutes))


def kind_name(kind: Kind) -> str:
    if kind.other:
        return _("Other work")
    return " + ".join(kind.labels) if kind.labels else _("No label")


def risk_label(risk: Risk) -> str:
    return {Risk.OVER: _("Over budget"), Risk.AT_RISK: _("At risk"), Risk.HEALTHY: _("Within budget")}.get(risk, "")


@dataclass(frozen=True)
class BudgetView:
    period: str  # "This month", "Until 31 Mar 2027", "Whole project"
    hours: str  # "40.5 of 60 h (67 %)", or ""
    money: str  # the agency's copy only
    risk: str
    status: str
    bar: Markup


def _hours_number(minutes: int) -> str:
    return number(round(Decimal(minutes) / 60, 1))


def budget_view(burn: ProjectBurn, *, with_money: bool) -> BudgetView | None:
    """A project's budget as it stood on the report's last day (None: nothing this reader may see)."""
    money_burn = burn.money if with_money else None
    shown = [b for b in (burn.hours, money_burn) if b is not None]
    if not shown:
        return None
    worst = max(shown, key=lambda b: b.used_percent)
    if burn.monthly:
        period = _("This month")
    else:
        period = _("Until %(day)s", day=day(burn.end)) if burn.ends else _("Whole project")
    hours_text = money_text = ""
    if burn.hours is not None:
        used, budget = _hours_number(burn.hours.used), _hours_number(burn.hours.budget or 0)
        hours_text = _("%(used)s of %(budget)s h", used=used, budget=budget) + f" ({burn.hours.used_percent} %)"
    if money_burn is not None:
        used, budget = (money(burn.amount(v), burn.currency) for v in (money_burn.used, money_burn.budget or 0))
        money_text = _("%(used)s of %(budget)s", used=used, budget=budget) + f" ({money_burn.used_percent} %)"
    title = "; ".join(t for t in (hours_text, money_text) if t)
    return BudgetView(
        period=period,
        hours=hours_text,
        money=money_text,
        risk=worst.risk.value,
        status=risk_label(worst.risk),
        bar=burn_bar(worst, title=title, show_elapsed=burn.ends),
    )


def _amount(report: Report, minor: int) -> str:
    return money(from_minor(minor, digits(report.currency)), report.currency)


def _hours_line(report: Report, part: Hours) -> dict[str, Any]:
    return {
        "hours": hours(part.minutes),
        "billable": hours(part.billable_minutes),
        "amount": _amount(report, part.amount),
        "share": part.share_of(report.total),
    }


def sheet(report: Report, agency: str, timezone: str) -> dict[str, Any]:
    """Everything the sheet shows, formatted; money only in the agency's copy. Days of approvals and
    deliveries are the agency's (its time zone)."""
    with_money = not report.for_client
    first = report.month
    projects = [
        {
            "key": line.key,
            "name": line.name,
            **(_hours_line(report, line.hours) if line.hours is not None else {"hours": None}),
            "budget": budget_view(line.budget, with_money=with_money) if line.budget else None,
        }
        for line in report.projects
    ]
    return {
        "agency": agency,
        "client_name": report.client["name"],
        "month": month_name(report.month),
        "span": _("%(start)s – %(end)s", start=day(first), end=day(report.until)),
        "to_date": not report.complete,
        "for_client": report.for_client,
        "with_money": with_money,
        "empty": report.empty,
        "total": _hours_line(report, report.total),
        "projects": projects,
        "budgets": any(p["budget"] for p in projects),
        "kinds": [
            {"name": kind_name(kind), "other": kind.other, **_hours_line(report, part)} for kind, part in report.kinds
        ],
        "approvals": [
            {
                "project": f"{a.project_key}",
                "project_name": a.project_name,
                "week": a.name,
                "dates": _("%(start)s – %(end)s", start=day(a.starts_on), end=day(a.ends_on)),
                "goal": a.goal,
                "approved_on": short_day(local_day(a.approved_at, timezone), report.month),
                "reviewer": a.reviewer,
                "cards": a.cards,
                "estimate": hours(a.estimate_minutes) if a.estimate_minutes else "",
            }
            for a in report.approvals
        ],
        "deliveries": [
            {
                "key": f"{d.project_key}-{d.number}",
                "title": d.title,
                "internal": d.internal,
                "on": short_day(local_day(d.at, timezone), report.month),
            }
            for d in report.deliveries
        ],
        "hidden_hours": report.hidden_hours,
    }
