"""A project's budget detail (/budgets/<project id>, the agency's admins): its burn, and revenue,
cost and margin per task and per person over its budget period, last month or the whole project,
sortable so that what loses money is one click away."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from server.budgets.margin_store import PeriodChoice, project_margins
from server.budgets.store import ProjectBurn
from server.budgets.views import BurnView, Words, burn_words, missing_text, words
from server.kernel.access import admin_only, project_for
from server.kernel.i18n import _, duration, money
from server.kernel.web import me_of, render, today_of
from server.rules.burn import Burn
from server.rules.margin import MarginSort


def period_labels() -> dict[PeriodChoice, str]:
    return {
        PeriodChoice.THIS_MONTH: _("This month"),
        PeriodChoice.LAST_MONTH: _("Last month"),
        PeriodChoice.WHOLE: _("Whole project"),
    }


def sort_labels() -> dict[MarginSort, str]:
    return {
        MarginSort.HOURS: _("Hours"),
        MarginSort.MARGIN: _("Margin"),
        MarginSort.MARGIN_PERCENT: _("Margin") + " %",
        MarginSort.NAME: _("Name"),
    }


def _budget(line: ProjectBurn, item: Burn, w: Words, *, in_hours: bool) -> BurnView:
    """One budget of the project as the page's head shows it: durations ("12h 30m") or amounts."""

    def said(value: int) -> str:
        return duration(value) if in_hours else money(line.amount(value), line.currency)

    text = w.used_of % {"used": said(item.used), "budget": said(item.budget or 0)}
    return burn_words(line, item, text, said(item.forecast), w, label=w.hours if in_hours else w.money)


def burn_view(line: ProjectBurn) -> list[BurnView]:
    """The project's budgets (hours, money) with their burn; none without a budget."""
    budgets, w = [(line.hours, True), (line.money, False)], words()
    return [_budget(line, item, w, in_hours=hours) for item, hours in budgets if item is not None]


@get("/budgets/{project_id:int}", name="budget-detail", guards=[admin_only])
async def budget_detail(
    request: Request[Any, Any, Any], project_id: FromPath[int], period: FromQuery[str] = "", sort: FromQuery[str] = ""
) -> Template:
    await project_for(me_of(request), project_id)
    choice = PeriodChoice(period) if period in set(PeriodChoice) else None
    order = MarginSort(sort) if sort in set(MarginSort) else MarginSort.HOURS
    margins = await project_margins(project_id, choice, today_of(request), order)
    return render(
        request,
        "budgets/detail.html",
        nav="budgets",
        m=margins,
        budgets=burn_view(margins.burn),
        sort=order.value,
        period=margins.choice.value,
        periods=list(period_labels().items()),
        sorts=list(sort_labels().items()),
        why_unknown=missing_text,
    )


ROUTES = [budget_detail]
