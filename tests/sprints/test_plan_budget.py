"""The planning page's budget line (issue 16): hours used against the budget in its period, and the forecast."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from server.tables import Project
from tests.conftest import Agency
from tests.factories import add_card, add_entry, today


async def test_the_plan_shows_a_retainers_burn_this_month(as_user: Any, agency: Agency) -> None:
    await Project.update({Project.budget_hours: 10, Project.budget_period: "monthly"}).where(
        Project.id == agency.acme_project
    )
    task = await add_card(agency.acme_project, "Design")
    await add_entry(task, agency.max, datetime.combine(today(), time(0, 5), tzinfo=UTC), 12 * 60)
    max_ = await as_user("max")
    page = await max_.get(f"/projects/{agency.acme_project}/plan")
    assert page.status_code == 200
    assert 'class="plan-meter-note plan-burn is-over"' in page.text  # 12 h of 10: over
    assert "Budget: 12h of 10h used, forecast" in page.text


async def test_the_plan_has_no_burn_line_without_a_budget(as_user: Any, agency: Agency) -> None:
    max_ = await as_user("max")
    page = await max_.get(f"/projects/{agency.acme_project}/plan")
    assert "plan-burn" not in page.text
