"""GET /budgets: every active project with a budget, one line each, worst first or by name."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from server.budgets.store import project_burn
from server.rules.burn import Risk
from server.tables import Project
from tests.conftest import Agency, Browser
from tests.factories import add_card, add_entry, today


async def set_budget(project_id: int, **values: Any) -> None:
    await Project.update({getattr(Project, k): v for k, v in values.items()}).where(Project.id == project_id)


async def log_today(agency: Agency, project_id: int, minutes: int) -> None:
    task = await add_card(project_id, "Work")
    await add_entry(task, agency.max, datetime.combine(today(), time(0, 5), tzinfo=UTC), minutes)


def order_of(text: str, *keys: str) -> list[str]:
    return sorted(keys, key=lambda key: text.index(f'<span class="key">{key}</span>'))


async def test_ada_sees_the_project_over_budget_first(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, budget_amount=Decimal("1000"), budget_period="monthly")
    await set_budget(agency.globex_project, budget_hours=100)
    await log_today(agency, agency.acme_project, 12 * 60)
    await log_today(agency, agency.globex_project, 60)
    page = await ada.get("/budgets")
    assert page.status_code == 200
    assert order_of(page.text, "ACME", "GLOBEX") == ["ACME", "GLOBEX"]
    assert "12 of 10 h" in page.text
    assert "€1,140.00 of €1,000.00" in page.text  # 12 h at Acme's €95
    assert "1 of 100 h" in page.text
    assert 'class="budget-line risk-over"' in page.text
    assert 'class="budget-line risk-healthy"' in page.text
    assert "burn-alarm" in page.text and "<svg" in page.text
    assert "BRAND" not in page.text  # no budget: no line


async def test_it_sorts_by_name_on_request(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1)
    await set_budget(agency.brand_project, budget_hours=100)
    await log_today(agency, agency.brand_project, 5 * 60)  # healthy
    await log_today(agency, agency.acme_project, 2 * 60)  # over
    page = await ada.get("/budgets?sort=name")
    assert order_of(page.text, "ACME", "BRAND") == ["BRAND", "ACME"]  # Acme brand book < Acme website
    by_risk = await ada.get("/budgets?sort=nonsense")
    assert order_of(by_risk.text, "ACME", "BRAND") == ["ACME", "BRAND"]


async def test_archived_projects_are_left_out(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10, archived=True)
    page = await ada.get("/budgets")
    assert "ACME" not in page.text
    assert "No active project has a budget yet" in page.text


async def test_members_and_clients_do_not_find_it(as_user: Any, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    for persona in ("max", "cleo"):
        page = await (await as_user(persona)).get("/budgets")
        assert page.status_code == 404
        assert "ACME" not in page.text


def project(**values: Any) -> dict[str, Any]:
    row = {"id": 1, "key": "ACME", "name": "Acme", "client_name": "Acme", "currency": "EUR"}
    row.update(budget_hours=None, budget_amount=None, budget_period="monthly", created_at=date(2026, 1, 1))
    return {**row, **values}


def test_a_retainer_burning_fast_mid_month_is_at_risk() -> None:
    used = {"month_minutes": 30 * 60, "month_amount": 0, "minutes": 99 * 60, "amount": 0, "first_day": None}
    line = project_burn(project(budget_hours=40), used, date(2026, 11, 10))
    assert line.hours is not None and line.money is None
    assert (line.start, line.end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert line.hours.risk is Risk.AT_RISK  # 30 h in 10 days: 90 h by the 30th
    assert line.hours.forecast == 90 * 60


def test_a_whole_project_budget_counts_everything_since_it_began() -> None:
    used = {"month_minutes": 60, "month_amount": 100, "minutes": 50 * 60, "amount": 500000, "first_day": "2025-12-01"}
    line = project_burn(
        project(budget_hours=60, budget_amount=Decimal("4000"), budget_period="project"), used, date(2026, 11, 10)
    )
    assert line.start == date(2025, 12, 1)
    assert line.hours is not None and line.hours.risk is Risk.HEALTHY
    assert line.money is not None and line.money.risk is Risk.OVER  # €5,000 of €4,000
    assert line.worst is line.money


def test_a_money_budget_in_yen_counts_whole_yen() -> None:
    used = {"month_minutes": 0, "month_amount": 5000, "minutes": 0, "amount": 5000, "first_day": None}
    line = project_burn(project(currency="JPY", budget_amount=Decimal("10000")), used, date(2026, 11, 30))
    assert line.money is not None and (line.money.used, line.money.budget) == (5000, 10000)


def test_a_whole_project_budget_with_an_end_forecasts_to_it() -> None:
    used = {"month_minutes": 0, "month_amount": 0, "minutes": 50 * 60, "amount": 0, "first_day": "2026-11-01"}
    row = project(
        budget_hours=100, budget_period="project", budget_ends_on=date(2026, 12, 31), created_at=date(2026, 11, 5)
    )
    line = project_burn(row, used, date(2026, 11, 10))  # 50 h in 10 of 61 days: 305 h by the end
    assert (line.start, line.end) == (date(2026, 11, 1), date(2026, 12, 31))
    assert line.hours is not None and line.hours.risk is Risk.AT_RISK
    assert line.hours.runs_out_on == date(2026, 11, 20)


async def many_budgets(agency: Agency, count: int) -> list[int]:
    """`count` projects of Acme, LD001 to LD<count>, each with a monthly budget of 10 h; nothing
    logged yet (healthy)."""
    rows = await Project.insert(
        *(Project(client=agency.acme, name=f"Load {n:03}", key=f"LD{n:03}") for n in range(1, count + 1))
    ).returning(Project.id)
    ids = [int(row["id"]) for row in rows]
    await Project.update({Project.budget_hours: 10, Project.budget_period: "monthly"}).where(Project.id.is_in(ids))
    return ids


async def test_the_worst_lines_come_first_and_the_rest_as_they_are_scrolled_to(ada: Browser, agency: Agency) -> None:
    from server.budgets.pages import PAGE

    ids = await many_budgets(agency, PAGE + 7)
    await log_today(agency, ids[-1], 11 * 60)  # the last by name is over budget
    page = await ada.get("/budgets")
    assert page.text.count('class="budget-line ') == PAGE
    assert order_of(page.text, f"LD{PAGE + 7:03}", "LD001") == [f"LD{PAGE + 7:03}", "LD001"]  # the worst first
    assert f'<span class="key">LD{PAGE:03}</span>' not in page.text  # not yet: healthy, and later by name
    assert "Show 7 more projects" in page.text
    assert f'hx-get="/budgets/more?sort=risk&amp;after={PAGE}"' in page.text
    more = await ada.get(f"/budgets/more?sort=risk&after={PAGE}")
    assert more.status_code == 200
    assert more.text.count('class="budget-line ') == 7
    assert f'<span class="key">LD{PAGE:03}</span>' in more.text
    assert "budget-more" not in more.text  # nothing left to fetch
    everything = await ada.get("/budgets?all=true")  # without script: the link shows every line
    assert everything.text.count('class="budget-line ') == PAGE + 7
    assert "budget-more" not in everything.text


async def test_the_page_counts_its_lines_by_risk(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1, budget_period="monthly")
    await set_budget(agency.globex_project, budget_hours=100)
    await log_today(agency, agency.acme_project, 2 * 60)
    page = await ada.get("/budgets")
    counts = page.text.split('class="budget-counts"')[1].split("</p>")[0]
    assert '<span class="budget-status status-over">Over budget</span> <b>1</b>' in counts
    assert "status-healthy" in counts and "status-at_risk" not in counts


async def test_a_nonsense_offset_answers_the_first_lines(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=10)
    more = await ada.get("/budgets/more?after=-5&sort=nonsense")
    assert more.status_code == 200
    assert '<span class="key">ACME</span>' in more.text
    bad = await ada.get("/budgets/more?after=abc")
    assert bad.status_code == 400


async def test_the_counts_are_fetched_again_as_they_are_now(ada: Browser, agency: Agency) -> None:
    await set_budget(agency.acme_project, budget_hours=1, budget_period="monthly")
    first = await ada.get("/budgets/counts")
    assert "status-healthy" in first.text and "status-over" not in first.text
    await log_today(agency, agency.acme_project, 2 * 60)
    again = await ada.get("/budgets/counts")
    assert '<span class="budget-status status-over">Over budget</span> <b>1</b>' in again.text
    assert "status-healthy" not in again.text
