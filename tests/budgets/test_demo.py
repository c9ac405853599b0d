"""The demo agency's budgets: one project healthy, one at risk, one over, whatever the day."""

from __future__ import annotations

from server.demo import DEMO_PASSWORD, seed_demo
from server.tables import Project
from tests.conftest import Browser


async def test_the_demo_shows_one_budget_of_each_kind(browser: Browser) -> None:
    await seed_demo()
    await browser.login("ada@agency.example", DEMO_PASSWORD)
    page = await browser.get("/budgets")
    assert page.status_code == 200
    for risk in ("over", "at_risk", "healthy"):
        assert page.text.count(f'class="budget-line risk-{risk}"') == 1, risk
    over, at_risk, healthy = (page.text.index(f"risk-{r}") for r in ("over", "at_risk", "healthy"))
    assert over < at_risk < healthy


async def test_the_demo_shows_a_healthy_and_a_thin_margin(browser: Browser) -> None:
    await seed_demo()
    await browser.login("ada@agency.example", DEMO_PASSWORD)
    page = await browser.get("/budgets")
    assert page.text.count('class="margin margin-thin"') == 1  # the brand book's fixed fee
    assert "fixed fee" in page.text
    web = await Project.select(Project.id).where(Project.key == "ACME").first()
    assert web is not None
    last_month = await browser.get(f"/budgets/{web['id']}?period=last_month")  # this month may have just begun
    assert 'class="stat stat-margin margin-healthy"' in last_month.text  # the website, billed by the hour
