"""Revenue, cost and margin (issue 16): on the budgets overview's lines and per task and per person on
a project's budget page (/budgets/<project id>), for the agency's admins only."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from server.tables import Project, User
from tests.conftest import Agency, Browser
from tests.factories import add_card, add_entry, today


async def cost_rate(person_id: int, amount: str | None, currency: str = "EUR") -> None:
    value = None if amount is None else Decimal(amount)
    await User.update({User.cost_rate: value, User.cost_currency: currency if value is not None else ""}).where(
        User.id == person_id
    )


async def set_project(project_id: int, **values: Any) -> None:
    await Project.update({getattr(Project, k): v for k, v in values.items()}).where(Project.id == project_id)


async def log(task_id: int, person_id: int, minutes: int, on: date | None = None, *, at: int = 0) -> None:
    started = datetime.combine(on or today(), time(0, 5), tzinfo=UTC) + timedelta(hours=at)
    await add_entry(task_id, person_id, started, minutes)


def rows_of(page: str, table: str) -> list[list[str]]:
    """The cells of a table's body rows, as text."""
    body = re.search(rf'<table class="table margins" id="{table}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body is not None, table
    wide = re.sub(r'<span class="margin-pct-inline[^"]*">.*?</span>', "", body.group(1))  # a phone's copy of the %
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", wide, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row] for row in cells]


async def test_ada_sees_margin_per_task_and_per_person(ada: Browser, agency: Agency) -> None:
    # Acme bills €95 an hour (rounded up to 15 minutes); max costs €45, mia €80.
    await cost_rate(agency.max, "45")
    await cost_rate(agency.mia, "80")
    design, bugs = await add_card(agency.acme_project, "Design"), await add_card(agency.acme_project, "Bugs")
    await log(design, agency.max, 120)
    await log(bugs, agency.max, 60, at=3)
    await log(bugs, agency.mia, 60, at=5)
    page = await ada.get(f"/budgets/{agency.acme_project}")
    assert page.status_code == 200
    tasks = rows_of(page.text, "margin-tasks")
    # most hours first: Design 2 h, then Bugs 2 h (by key)
    assert tasks[0][0].endswith("Design") and tasks[1][0].endswith("Bugs")
    assert tasks[0][1:] == ["2h", "€190.00", "€90.00", "€100.00", "52.6 %", "€95.00"]
    assert tasks[1][1:] == ["2h", "€190.00", "€125.00", "€65.00", "34.2 %", "€95.00"]
    people = rows_of(page.text, "margin-people")
    assert people[0] == ["Max Member", "3h", "€285.00", "€135.00", "€150.00", "52.6 %", "€95.00"]
    assert people[1] == ["Mia Member", "1h", "€95.00", "€80.00", "€15.00", "15.8 %", "€95.00"]
    assert "€165.00" in page.text  # the project's margin: €380 less €215


async def test_sorting_by_margin_puts_the_least_profitable_task_first(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    await cost_rate(agency.mia, "120")  # costs more than Acme pays for her
    design, bugs = await add_card(agency.acme_project, "Design"), await add_card(agency.acme_project, "Bugs")
    await log(design, agency.max, 180)
    await log(bugs, agency.mia, 60, at=4)
    page = await ada.get(f"/budgets/{agency.acme_project}?sort=margin")
    tasks = rows_of(page.text, "margin-tasks")
    assert [t[0].split(" ", 1)[1] for t in tasks] == ["Bugs", "Design"]
    assert tasks[0][4] == "-€25.00"
    assert 'class="margin-line margin-line-loss"' in page.text


async def test_a_person_without_a_cost_rate_leaves_the_margin_blank_and_says_why(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    design = await add_card(agency.acme_project, "Design")
    await log(design, agency.max, 60)
    await log(design, agency.mia, 60, at=3)
    page = await ada.get(f"/budgets/{agency.acme_project}")
    assert "Mia Member has no cost rate" in page.text
    assert f'href="/admin/users/{agency.mia}"' in page.text
    tasks = rows_of(page.text, "margin-tasks")
    assert tasks[0][3:6] == ["—", "—", "—"]  # cost, margin, margin %
    people = {p[0]: p for p in rows_of(page.text, "margin-people")}
    assert people["Max Member"][4] == "€50.00"


async def test_a_cost_rate_in_another_currency_is_never_converted(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.mia, "50", "EUR")  # Globex bills in USD
    task = await add_card(agency.globex_project, "App")
    await log(task, agency.mia, 60)
    page = await ada.get(f"/budgets/{agency.globex_project}")
    assert "Mia Member's cost rate is in EUR, not USD" in html.unescape(page.text)
    assert rows_of(page.text, "margin-people")[0][1:5] == ["1h", "$120.00", "—", "—"]


async def test_a_monthly_fixed_fee_is_the_revenue_shared_by_hours(ada: Browser, agency: Agency) -> None:
    await set_project(agency.acme_project, fixed_fee=Decimal("3000"), budget_period="monthly")
    await cost_rate(agency.max, "50")
    await cost_rate(agency.mia, "50")
    design, bugs = await add_card(agency.acme_project, "Design"), await add_card(agency.acme_project, "Bugs")
    await log(design, agency.max, 30 * 60 // 2)  # 15 h
    await log(bugs, agency.mia, 5 * 60, at=16)  # 5 h
    page = await ada.get(f"/budgets/{agency.acme_project}")
    assert "fixed fee of €3,000.00 per month" in page.text
    tasks = {t[0].split(" ", 1)[1]: t for t in rows_of(page.text, "margin-tasks")}
    assert tasks["Design"][2:5] == ["€2,250.00", "€750.00", "€1,500.00"]
    assert tasks["Bugs"][2:5] == ["€750.00", "€250.00", "€500.00"]
    assert tasks["Design"][6] == "€150.00"  # effective: €2,250 over 15 h


async def test_the_period_picker_shows_last_month(ada: Browser, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    task = await add_card(agency.acme_project, "Old work")
    last_month = today().replace(day=1) - timedelta(days=3)
    await log(task, agency.max, 60, last_month)
    this_month = await ada.get(f"/budgets/{agency.acme_project}?period=this_month")
    assert "No hours in this period." in this_month.text
    page = await ada.get(f"/budgets/{agency.acme_project}?period=last_month")
    assert rows_of(page.text, "margin-tasks")[0][1] == "1h"
    whole = await ada.get(f"/budgets/{agency.acme_project}?period=nonsense")  # the budget's own: whole project
    assert rows_of(whole.text, "margin-tasks")[0][1] == "1h"


async def test_the_overview_shows_revenue_cost_and_margin_per_line(ada: Browser, agency: Agency) -> None:
    await set_project(agency.acme_project, budget_hours=100)
    await set_project(agency.globex_project, budget_hours=100)
    await cost_rate(agency.max, "45")
    await log(await add_card(agency.acme_project, "Design"), agency.max, 120)
    await log(await add_card(agency.globex_project, "App"), agency.mia, 60)
    page = await ada.get("/budgets")
    acme = re.search(rf'<tr id="budget-{agency.acme_project}".*?</tr>', page.text, re.S)
    assert acme is not None
    assert "€190.00" in acme.group(0) and "€90.00" in acme.group(0)
    assert f'href="/budgets/{agency.acme_project}"' in acme.group(0)
    assert re.search(r'€100.00</a>\s*<div class="muted small">52.6 %</div>', acme.group(0))
    globex = re.search(rf'<tr id="budget-{agency.globex_project}".*?</tr>', page.text, re.S)
    assert globex is not None and "cost unknown" in globex.group(0)
    assert "Mia Member has no cost rate" in globex.group(0)


async def test_a_fixed_fee_line_on_the_overview_earns_its_fee(ada: Browser, agency: Agency) -> None:
    await set_project(agency.acme_project, budget_hours=100, fixed_fee=Decimal("5000"), budget_period="project")
    await cost_rate(agency.max, "45")
    await log(await add_card(agency.acme_project, "Design"), agency.max, 600)
    page = await ada.get("/budgets")
    line = re.search(rf'<tr id="budget-{agency.acme_project}".*?</tr>', page.text, re.S)
    assert line is not None
    assert "€5,000.00" in line.group(0) and "fixed fee" in line.group(0)
    assert "€4,550.00" in line.group(0)  # €5,000 less 10 h at €45


async def test_members_and_clients_do_not_find_a_budget_page(as_user: Any, agency: Agency) -> None:
    await cost_rate(agency.max, "45")
    for persona in ("max", "mia", "cleo", "cole"):
        page = await (await as_user(persona)).get(f"/budgets/{agency.acme_project}")
        assert page.status_code == 404, persona
        assert "€45" not in page.text


async def test_an_unknown_project_is_not_found(ada: Browser) -> None:
    assert (await ada.get("/budgets/999999")).status_code == 404
    assert (await ada.get("/budgets/0")).status_code == 404


async def test_a_persons_name_is_never_markup(ada: Browser, agency: Agency) -> None:
    await User.update({User.name: '<b onmouseover="x">Mia</b>'}).where(User.id == agency.mia)
    await set_project(agency.acme_project, budget_hours=10)
    task = await add_card(agency.acme_project, "Design")
    await log(task, agency.mia, 60)
    for path in (f"/budgets/{agency.acme_project}", "/budgets"):
        page = await ada.get(path)
        assert "cost unknown" in page.text  # Mia has no cost rate: her name is in the explanation
        assert "<b onmouseover" not in page.text
