"""The budget banner on a project's board and settings (the agency's admins): while a budget is past
one of the project's alert thresholds in its current period, how far. The board and the settings
page (lower features) load it after the page, so they need know nothing of budgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from litestar import MediaType, Request, Response, get
from litestar.params import FromPath

from server.budgets.alert_store import burns_of
from server.budgets.store import ProjectBurn
from server.kernel.access import admin_only, project_for
from server.kernel.i18n import _, current_locale, money, number
from server.kernel.templating import render_fragment
from server.kernel.web import fragment_response, me_of, today_of
from server.rules.burn import Burn, reached, stored_thresholds


def _percent(item: Burn) -> str:
    return format_percent(item.used_percent / 100, locale=current_locale())


def _hours(minutes: int) -> str:
    return number(round(Decimal(minutes) / 60, 1))


def _sentence(line: ProjectBurn, item: Burn, kind: str) -> str:
    percent = _percent(item)
    if kind == "hours":
        used, budget = _hours(item.used), _hours(item.budget or 0)
        if line.monthly:
            return _(
                "%(percent)s of this month's hours budget used: %(used)s of %(budget)s h",
                percent=percent,
                used=used,
                budget=budget,
            )
        return _(
            "%(percent)s of the hours budget used: %(used)s of %(budget)s h", percent=percent, used=used, budget=budget
        )
    used, budget = money(line.amount(item.used), line.currency), money(line.amount(item.budget or 0), line.currency)
    if line.monthly:
        return _(
            "%(percent)s of this month's money budget used: %(used)s of %(budget)s",
            percent=percent,
            used=used,
            budget=budget,
        )
    return _("%(percent)s of the money budget used: %(used)s of %(budget)s", percent=percent, used=used, budget=budget)


def banner_items(project: dict[str, Any], line: ProjectBurn) -> list[dict[str, Any]]:
    """Each budget past one of the project's thresholds, worst first: what the banner says."""
    thresholds = stored_thresholds(project.get("budget_thresholds"))
    items = []
    for kind, item in (("hours", line.hours), ("money", line.money)):
        if item is None or reached(item.used, item.budget, thresholds) is None:
            continue
        over = item.budget is not None and item.used >= item.budget
        items.append({"kind": kind, "over": over, "percent": item.used_percent, "text": _sentence(line, item, kind)})
    return sorted(items, key=lambda i: -i["percent"])


@get("/projects/{project_id:int}/budget-banner", guards=[admin_only], media_type=MediaType.HTML)
async def budget_banner(request: Request[Any, Any, Any], project_id: FromPath[int]) -> Response[str]:
    """The banner, or nothing while every budget is below its thresholds (or there is none)."""
    await project_for(me_of(request), project_id)
    found = await burns_of([project_id], today_of(request))
    items = banner_items(*found[0]) if found else []
    html = render_fragment("budgets/_banner.html", items=items, project_id=project_id) if items else ""
    return fragment_response(html)


ROUTES = [budget_banner]
